import { cp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot, runCli, tempProject, typeCheck } from '../helpers/project.js';

/**
 * Spec text never breaks generated code: fixtures/hostile-text/ is an OpenAPI + AsyncAPI pair whose
 * every text field holds quotes, star-slash, backticks, `${`, line breaks, U+2028/U+2029, non-ASCII
 * and trailing backslashes. The real CLI generates a project from it (generated/, handler skeletons,
 * CDK app scaffold), strict tsc must accept all of it, and the texts must read back exactly: string
 * literals evaluate to the spec's text, JSDoc renders to it (Markdown backslash escapes).
 */
const fixture = join(repoRoot, 'test', 'pipeline', 'fixtures', 'hostile-text', 'specs');

interface Spec {
  readonly info: { readonly title: string };
  readonly paths?: Record<string, Record<string, { readonly operationId: string; readonly summary: string }>>;
}

let dir: string;
let asyncapi: Spec;
let openapi: Spec;

beforeAll(async () => {
  dir = await tempProject();
  await cp(fixture, join(dir, 'specs'), { recursive: true });
  asyncapi = parse(await readFile(join(fixture, 'hostile.asyncapi.yaml'), 'utf8')) as Spec;
  openapi = parse(await readFile(join(fixture, 'hostile.openapi.yaml'), 'utf8')) as Spec;
  const result = await runCli(['generate'], dir);
  if (result.code !== 0) throw new Error(`generate failed:\n${result.stdout}${result.stderr}`);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Every string literal of a TypeScript file, as TypeScript reads it (escapes resolved). */
async function stringLiterals(path: string): Promise<string[]> {
  const source = ts.createSourceFile(path, await readFile(join(dir, path), 'utf8'), ts.ScriptTarget.ES2022);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) found.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The doc comment line holding `marker`, rendered as Markdown does its backslash escapes. */
async function docLine(path: string, marker: string): Promise<string> {
  const line = (await readFile(join(dir, path), 'utf8')).split('\n').find((l) => l.includes(marker)) ?? '';
  return line
    .replace(/^\s*(\/\*\*|\*)\s?/, '')
    .replace(/\s*\*\/\s*$/, '')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

describe('hostile spec text', () => {
  it('generates a project that strict tsc compiles: generated/, handler skeletons and the CDK app', async () => {
    const { errors, output } = await typeCheck(dir, ['generated/**/*.ts', 'app/**/*.ts']);
    expect(errors, output).toEqual([]);
    // The files the type check is about are there (an empty include would also pass).
    for (const path of [
      'app/cdk/main.ts',
      'app/cdk/stack.ts',
      'app/handlers/http/get-order-x.ts',
      'app/handlers/consumers/on-order-placed.ts',
      'generated/cdk/index.ts',
    ]) {
      await expect(readFile(join(dir, path), 'utf8')).resolves.toContain('*\\/');
    }
  });

  it('JSDoc reads the title back exactly (generated/cdk/index.ts and the CDK app)', async () => {
    const title = asyncapi.info.title;
    expect(title).toContain('*/');
    expect(await docLine('generated/cdk/index.ts', 'as the specs describe it')).toBe(
      `${title} as the specs describe it: API, functions, bus, rules, queues, registry, alarms.`,
    );
    expect(await docLine('app/cdk/main.ts', 'The CDK app of')).toBe(
      `The CDK app of ${title}: \`npx cdk synth\` / \`npx cdk deploy\` run this file (see cdk.json).`,
    );
  });

  it('string literals evaluate to the spec text: stack description, log lines, catalog', async () => {
    const operation = openapi.paths?.["/bob's-orders/{orderId}"]?.get;
    // The spec text itself, with a literal dollar-brace (not a template here).
    expect(operation?.operationId).toContain("'*/`" + '$' + '{x}`');
    expect(await stringLiterals('app/cdk/main.ts')).toContain(`${asyncapi.info.title} (evtgen)`);
    const skeleton = await stringLiterals('app/handlers/http/get-order-x.ts');
    expect(skeleton).toContain(`${operation?.operationId} called`);
    expect(skeleton).toContain(`${operation?.operationId} is not implemented yet`);
    expect(await stringLiterals('generated/catalog.ts')).toContain(operation?.operationId);
  });

  it('a summary with line breaks stays one comment line in the skeleton', async () => {
    const operation = openapi.paths?.["/bob's-orders/{orderId}"]?.get;
    const summary = (operation?.summary ?? '').replace(/\s+/g, ' ').trim();
    expect(await docLine('app/handlers/http/get-order-x.ts', 'GET /')).toBe(
      `${operation?.operationId}: GET /bob's-orders/{orderId} — ${summary}`,
    );
  });
});
