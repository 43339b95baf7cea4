/**
 * The one bundling step (generated/cdk/bundles.ts) as `npx cdk synth` runs it: two clean copies of
 * the example at different paths produce byte-identical bundles with the same asset hashes (what
 * makes an unchanged function skip the deploy on any machine); each asset holds its entry and
 * exactly the shared chunks it imports, nothing outside it; a handler edit changes that function's
 * asset only (the others keep their cached bundles); and a synthesized bundle runs as Lambda runs it.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFile, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpEvent } from '../handlers/events.js';
import { exampleAppCopy } from '../helpers/example-app.js';
import { lambdaContext } from '../helpers/lambda.js';

const scratch: string[] = [];
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

/** Runs `npx cdk synth` in `cwd`; resolves to its standard error (EVTGEN_BUNDLE_TIMINGS=1's line). */
function synth(cwd: string): Promise<string> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
  return new Promise((resolve, reject) => {
    execFile(
      'npx',
      ['cdk', 'synth', '--no-notices', '--quiet'],
      {
        cwd,
        env: {
          ...env,
          CDK_DISABLE_CLI_TELEMETRY: 'true',
          AWS_EC2_METADATA_DISABLED: 'true',
          NO_COLOR: '1',
          EVTGEN_BUNDLE_TIMINGS: '1',
        },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, _stdout, stderr) =>
        error ? reject(new Error(`cdk synth in ${cwd} failed:\n${stderr}`)) : resolve(stderr),
    );
  });
}

/** What EVTGEN_BUNDLE_TIMINGS=1 says of the first step: functions built, functions from the cache. */
function ownSteps(stderr: string): { built: number; cached: number } | undefined {
  const match = /own code [\d.]+ s \((\d+) built, (\d+) cached\)/.exec(stderr);
  return match ? { built: Number(match[1]), cached: Number(match[2]) } : undefined;
}

interface SynthesizedFunction {
  /** `cdk.out/asset.<hash>`: the hash is the content hash CDK uploads and deploys by. */
  readonly asset: string;
  /** sha256 of each file of the asset. */
  readonly files: Record<string, string>;
  /** Each `.mjs` file of the asset → the relative modules it imports (statically or with `import()`). */
  readonly imports: Record<string, string[]>;
}

/** Every function of the synthesized template by its contract name (the `evtgen:function` metadata). */
async function functionsOf(project: string): Promise<Record<string, SynthesizedFunction>> {
  const out = join(project, 'cdk.out');
  const template = JSON.parse(await readFile(join(out, 'OrdersService.template.json'), 'utf8')) as {
    Resources: Record<string, { Type: string; Metadata?: Record<string, unknown> }>;
  };
  const functions: Record<string, SynthesizedFunction> = {};
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const metadata = resource.Metadata ?? {};
    const { name } = metadata['evtgen:function'] as { name: string };
    const asset = metadata['aws:asset:path'] as string;
    const files: Record<string, string> = {};
    const imports: Record<string, string[]> = {};
    for (const file of (await readdir(join(out, asset))).sort()) {
      const content = await readFile(join(out, asset, file));
      files[file] = createHash('sha256').update(content).digest('hex');
      if (file.endsWith('.mjs'))
        imports[file] = [
          ...content.toString('utf8').matchAll(/(?:from|import)\s*\(?"(\.{1,2}\/[^"]+)"/g),
        ].map((match) => match[1] ?? '');
    }
    functions[name] = { asset, files, imports };
  }
  return functions;
}

/** The cache's index: entry → the build folder its bundle is in. */
async function cachedBuilds(project: string): Promise<Record<string, string>> {
  const index = JSON.parse(
    await readFile(join(project, 'cdk.out', '.evtgen-bundles', 'minified', 'index.json'), 'utf8'),
  ) as { bundles: Record<string, { dir: string }> };
  return Object.fromEntries(Object.entries(index.bundles).map(([entry, bundle]) => [entry, bundle.dir]));
}

let first: string;
let second: string;
let firstFunctions: Record<string, SynthesizedFunction>;
let secondFunctions: Record<string, SynthesizedFunction>;
let firstSteps: { built: number; cached: number } | undefined;

beforeAll(async () => {
  first = await exampleAppCopy('bundles-a-');
  second = await exampleAppCopy('bundles-b-');
  scratch.push(first, second);
  firstSteps = ownSteps(await synth(first));
  await synth(second);
  [firstFunctions, secondFunctions] = await Promise.all([functionsOf(first), functionsOf(second)]);
});

describe('one bundling step for every function (npx cdk synth)', () => {
  it('two clean builds in different folders give byte-identical bundles and the same asset hashes', () => {
    expect(Object.keys(firstFunctions).sort()).toEqual([
      'audit',
      'createOrder',
      'fulfilment',
      'getHealth',
      'getOrder',
      'notifications',
      'outboxRelay',
      'shipments',
    ]);
    for (const fn of Object.values(firstFunctions)) {
      // index.mjs and the shared chunks, each with its source map.
      for (const file of Object.keys(fn.files))
        expect(file).toMatch(/^(index|chunk-[A-Z0-9]+)\.mjs(\.map)?$/);
      for (const file of Object.keys(fn.files).filter((f) => f.endsWith('.mjs')))
        expect(fn.files[`${file}.map`], `${fn.asset}/${file}.map`).toBeDefined();
      // Self-contained: every chunk imported is in the asset, and every chunk there is imported.
      const imported = new Set(['index.mjs']);
      for (const targets of Object.values(fn.imports))
        for (const target of targets) {
          expect(target).toMatch(/^\.\/chunk-[A-Z0-9]+\.mjs$/);
          expect(fn.files[target.slice(2)], `${fn.asset}: ${target}`).toBeDefined();
          imported.add(target.slice(2));
        }
      expect([...imported].sort()).toEqual(Object.keys(fn.imports).sort());
    }
    // Eight different bundles: a function never gets another one's asset.
    expect(new Set(Object.values(firstFunctions).map((fn) => fn.asset)).size).toBe(8);
    expect(secondFunctions).toEqual(firstFunctions);
    // A clean build runs the first step for every function.
    expect(firstSteps).toEqual({ built: 8, cached: 0 });
  });

  it('a changed handler changes only its own asset hash and cached bundle, and builds only its own code', async () => {
    const before = await cachedBuilds(second);
    await appendFile(
      join(second, 'app', 'handlers', 'consumers', 'audit.ts'),
      "\n/** A change to this handler only. */\nexport const bundleProbe = 'changed';\n",
    );
    // The first step ran for audit alone; the other seven outputs came from the cache.
    expect(ownSteps(await synth(second))).toEqual({ built: 1, cached: 7 });
    const after = await functionsOf(second);
    const changed = Object.keys(after).filter((name) => after[name]?.asset !== firstFunctions[name]?.asset);
    expect(changed).toEqual(['audit']);
    const rebuilt = await cachedBuilds(second);
    const moved = Object.keys(rebuilt).filter((entry) => rebuilt[entry] !== before[entry]);
    expect(moved).toEqual(['app/handlers/consumers/audit.ts']);
    // The same edit built from nothing gives the same bytes as the build from the cache.
    await appendFile(
      join(first, 'app', 'handlers', 'consumers', 'audit.ts'),
      "\n/** A change to this handler only. */\nexport const bundleProbe = 'changed';\n",
    );
    await rm(join(first, 'cdk.out'), { recursive: true, force: true });
    expect(ownSteps(await synth(first))).toEqual({ built: 8, cached: 0 });
    expect(await functionsOf(first)).toEqual(after);
  });

  it('a synthesized bundle runs as Lambda runs it: getHealth answers 200 from its asset', async () => {
    const health = firstFunctions.getHealth;
    if (!health) throw new Error('no getHealth function in the template');
    const module = (await import(pathToFileURL(join(first, 'cdk.out', health.asset, 'index.mjs')).href)) as {
      handler: (
        event: APIGatewayProxyEventV2,
        context: Context,
      ) => Promise<APIGatewayProxyStructuredResultV2>;
    };
    const response = await module.handler(
      httpEvent({ method: 'GET', path: '/health', routeKey: 'GET /health' }),
      lambdaContext('getHealth'),
    );
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({ status: 'ok' });
  });
});
