import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBindings } from '../../generator/bindings/bindings.js';
import { repoRoot } from '../helpers/project.js';
import * as run from './toolchains.js';

// The bindings of the example registry, compiled and run by the real toolchains: every example
// event of the spec parses (directly and as an SQS body) and invalid ones fail, saying why.
let out = '';
let valid: run.ExampleEvent[] = [];
let invalid: run.InvalidEvent[] = [];

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'evtgen-bindings-'));
  await buildBindings({
    project: repoRoot,
    langs: ['python', 'java', 'typescript', 'go', 'csharp'],
    out,
    from: 'registry',
  });
  valid = await run.exampleEvents(repoRoot);
  expect(valid.length).toBeGreaterThanOrEqual(3);
  invalid = run.invalidEvents(valid[0] as run.ExampleEvent);
});

describe('bindings of the example registry', () => {
  it('Python: py_compile, then parse_event on every example event and three invalid ones', () => {
    run.expectParsed(run.python(out, valid, invalid), valid, invalid, expect);
  });

  it.skipIf(!run.runJava)('Java: javac against Jackson, then EventParser on the same events', async () => {
    run.expectParsed(await run.java(out, valid, invalid), valid, invalid, expect);
  });

  // Python checks every value and Java's Jackson reads enums strictly: a status outside the enum
  // fails in both (TypeScript's parser checks presence only, as documented).
  it.skipIf(!run.runJava)('Python and Java refuse a value outside its enum, naming it', async () => {
    const placed = valid.find((e) => e.detailType === 'OrderPlaced') as run.ExampleEvent;
    const event = JSON.parse(placed.json) as { detail: { data: Record<string, unknown> } };
    event.detail.data.status = 'teleported';
    const bad = [{ json: JSON.stringify(event), message: /./ }];
    expect(run.python(out, [], bad)).toMatch(
      /invalid \/detail\/data\/status: 'teleported' is not one of 'placed', 'paid'/,
    );
    expect(await run.java(join(out, 'enum'), [], bad, join(out, 'java'))).toMatch(
      /invalid not a valid com\.example\.orders@OrderPlaced event: .*teleported/,
    );
  });

  it('TypeScript: tsc (strict, NodeNext), then parseEvent on the same events', async () => {
    run.expectParsed(await run.typescript(out, valid, invalid), valid, invalid, expect);
  });

  it.skipIf(!run.hasTool('go'))('Go: go build', async () => {
    await run.goBuild(out);
  });

  it.skipIf(!run.hasTool('dotnet'))('C#: dotnet build', async () => {
    await run.dotnetBuild(out);
  });

  it('the manifest of every language maps each subject to its version and file', async () => {
    for (const lang of ['python', 'java', 'typescript', 'go', 'csharp']) {
      const manifest = JSON.parse(await readFile(join(out, lang, 'bindings.json'), 'utf8')) as {
        subjects: Record<string, Record<string, { file: string }>>;
      };
      expect(Object.keys(manifest.subjects)).toEqual([
        'com.example.orders@OrderPlaced',
        'com.example.orders@OrderShipped',
        'com.example.orders@PaymentFailed',
      ]);
      const placed = manifest.subjects['com.example.orders@OrderPlaced'] ?? {};
      expect(Object.keys(placed)).toEqual(['2']);
      await readFile(join(out, lang, placed['2']?.file ?? 'missing'), 'utf8');
    }
  });
});

if (!run.runJava)
  console.warn('javac or Jackson (libjackson2-databind-java) missing: Java bindings not compiled');
for (const [lang, tool] of [
  ['go', 'go'],
  ['csharp', 'dotnet'],
] as const) {
  if (!run.hasTool(tool))
    console.warn(`${tool} is not installed: the ${lang} bindings are generated, not compiled`);
}
