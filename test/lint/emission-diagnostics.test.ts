/**
 * `evtgen lint` asks emission only what it would report (emit/emit-diagnostics.ts) instead of making
 * the whole output: the validators' code, its bundling and split, the event models, the handlers and
 * the CDK app say nothing. What must not change is what lint reports: the same diagnostics as the
 * full emission (emit/emit-all.ts), for each emitter that can find a problem — ajv (an unknown
 * format), the CDK contract (two security schemes on a route, a keyword the Schema Registry's draft 4
 * cannot express) and openapi-typescript (refusing a document).
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../generator/diagnostics.js';
import { emitAll } from '../../generator/emit/emit-all.js';
import { emitDiagnostics } from '../../generator/emit/emit-diagnostics.js';
import { type LoadResult, loadContract } from '../../generator/model/build-model.js';
import type { TypedDocuments } from '../../generator/openapi-worker.js';
import { exampleProject, repoRoot, runCli } from '../helpers/project.js';

/** The example specs with one finding for each of ajv and the CDK contract's two checks. */
async function projectWithFindings(): Promise<string> {
  const dir = await exampleProject();
  const edit = async (file: string, from: string, to: string) => {
    const path = join(dir, 'specs', file);
    const text = await readFile(path, 'utf8');
    if (!text.includes(from)) throw new Error(`fixture: "${from}" is not in ${file}`);
    await writeFile(path, text.replace(from, to));
  };
  // An unknown format: ajv warns (validator-warning) for every validator that reaches it.
  await edit(
    'schemas/common.yaml',
    '  type: string\n  format: uuid\n  examples:\n    - 6f1c2b0e',
    '  type: string\n  format: order-id\n  examples:\n    - 6f1c2b0e',
  );
  // `contains` has no draft 4 form: the registry copy is looser (registry-conversion).
  await edit(
    'orders.asyncapi.yaml',
    '          type: array\n          minItems: 1\n          maxItems: 100\n',
    '          type: array\n          minItems: 1\n          maxItems: 100\n          contains: {type: object}\n',
  );
  // Two schemes on every route: an HTTP API route has one authorizer (cdk-authorizer).
  await edit(
    'orders.openapi.yaml',
    'security:\n  - cognito: []\n',
    'security:\n  - cognito: []\n  - key: []\n',
  );
  await edit(
    'orders.openapi.yaml',
    '  securitySchemes:\n',
    '  securitySchemes:\n    key:\n      type: apiKey\n      in: header\n      name: X-Key\n',
  );
  return dir;
}

/**
 * A model of its own for each side: the example check leaves its ajv instances (and what ajv said
 * while compiling there) to the first emission of the model, so one model emitted twice would not
 * compare like with like.
 */
async function load(root: string): Promise<LoadResult & { model: NonNullable<LoadResult['model']> }> {
  const loaded = await loadContract(root, join(root, 'specs'));
  if (!loaded.model) throw new Error(`fixture does not load: ${JSON.stringify(loaded.diagnostics)}`);
  return loaded as LoadResult & { model: NonNullable<LoadResult['model']> };
}

async function bothWays(
  root: string,
  typed?: TypedDocuments,
): Promise<{ full: Diagnostic[]; only: Diagnostic[] }> {
  const first = await load(root);
  const full = (await emitAll(first.model, root, first.locate, typed)).diagnostics;
  const second = await load(root);
  const only = await emitDiagnostics(second.model, root, second.locate, typed);
  return { full, only };
}

const codes = (diagnostics: readonly Diagnostic[]) => [...new Set(diagnostics.map((d) => d.code))].sort();

describe('what emission reports, without the output', () => {
  it('is what the full emission reports: ajv, the CDK authorizer and the registry conversion', async () => {
    const root = await projectWithFindings();
    const { full, only } = await bothWays(root);
    expect(codes(full)).toEqual(['cdk-authorizer', 'registry-conversion', 'validator-warning']);
    expect(only).toEqual(full);
  });

  it('is what the full emission reports when openapi-typescript refuses a document', async () => {
    // A stand-in for openapi-typescript: no real document makes it fail once Redocly accepted it
    // (the one known crash is worked around in openapi-worker.ts), so its answer is a rejection.
    const refusing: TypedDocuments = {
      get: () => Promise.reject(new Error('Cannot read this construct\nat transformSchemaObject')),
    };
    const root = await projectWithFindings();
    const { full, only } = await bothWays(root, refusing);
    expect(codes(full)).toContain('openapi-typescript');
    expect(only).toEqual(full);
  });

  it('is what the full emission reports on the examples, where there is nothing to report', async () => {
    for (const root of [await exampleProject(), join(repoRoot, 'examples', 'shipping')]) {
      const { full, only } = await bothWays(root);
      expect(only).toEqual(full);
      expect(only).toEqual([]);
    }
  });

  it('reaches `evtgen lint`: each finding is reported, and nothing is written', async () => {
    const root = await projectWithFindings();
    const result = await runCli(['lint', '--format', 'json'], root);
    expect(result.code).toBe(0);
    const reported = JSON.parse(result.stdout) as { diagnostics: Diagnostic[] };
    expect(codes(reported.diagnostics)).toEqual([
      'cdk-authorizer',
      'registry-conversion',
      'validator-warning',
    ]);
    expect(await readdir(root)).toEqual(['specs']);
  }, 60_000);
});
