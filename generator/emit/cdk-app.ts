import { posix } from 'node:path';
import type { ContractModel } from '../model/contract.js';
import { toTypeName } from '../model/naming.js';
import { cdkServiceClassName } from './cdk.js';
import { loadTemplate } from './templates.js';

/** A user-owned file of the CDK app, relative to the project root: created when absent, never overwritten. */
export interface AppScaffoldFile {
  readonly path: string;
  readonly content: string;
}

export interface AppLayout {
  /** Project-relative POSIX paths. */
  readonly handlersDir: string;
  readonly outDir: string;
}

/**
 * The CDK app scaffold from `templates/app/`: `cdk.json` at the project root, `app/cdk/main.ts`
 * (the App, with cdk-nag) and `app/cdk/stack.ts` (the stack instantiating the generated service
 * construct), next to the handlers folder. Placeholders for JWT issuers and audiences go into
 * cdk.json's context, so `cdk synth` works offline at once.
 */
export async function emitAppScaffold(model: ContractModel, layout: AppLayout): Promise<AppScaffoldFile[]> {
  if (model.httpOperations.length === 0 && model.consumers.length === 0) return [];
  const appDir = posix.join(posix.dirname(layout.handlersDir), 'cdk');
  const render = async (name: string, data: Record<string, unknown>) =>
    (await loadTemplate('app', name))(data);
  const title = model.service.title || model.service.name;
  const jwtSchemes = (model.securitySchemes ?? []).filter(
    (s) =>
      s.awsAuthType?.toLowerCase() !== 'awssigv4' &&
      (s.type === 'oauth2' || s.type === 'openIdConnect' || (s.type === 'http' && s.scheme === 'bearer')),
  );
  const jwtContext = Object.fromEntries(
    jwtSchemes.map((s) => [
      s.name,
      {
        issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_REPLACEME',
        audience: ['replace-with-the-app-client-id'],
      },
    ]),
  );
  return [
    {
      path: 'cdk.json',
      content: await render('cdk.json.hbs', {
        app: `node_modules/.bin/esbuild ${posix.join(appDir, 'main.ts')} --bundle --platform=node --format=esm --target=node20 --packages=external --log-level=warning --outfile=cdk.out/.app/main.mjs && node cdk.out/.app/main.mjs`,
        // Laid out as biome/prettier format JSON: short arrays on one line.
        jwtContext: JSON.stringify(jwtContext, null, 2)
          .replace(/\[\n\s*("[^"]*")\n\s*\]/g, '[$1]')
          .replace(/\n/g, '\n    '),
      }),
    },
    {
      path: posix.join(appDir, 'main.ts'),
      content: await render('main.ts.hbs', { title, stackName: toTypeName(model.service.name || 'service') }),
    },
    {
      path: posix.join(appDir, 'stack.ts'),
      content: await render('stack.ts.hbs', {
        title,
        className: cdkServiceClassName(model),
        generatedImport: posix.relative(appDir, layout.outDir),
        handlersDir: layout.handlersDir,
      }),
    },
  ];
}
