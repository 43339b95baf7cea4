import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBindings } from '../../generator/bindings/bindings.js';
import { repoRoot, tempProject } from '../helpers/project.js';
import * as run from './toolchains.js';

// fixtures/hostile: quotes, comment closers, triple quotes, backslashes, reserved words of every
// target language (class, import, None, default, package, func, interface, namespace, self, cls),
// leading digits (2fa, 3d, 2nd), non-ASCII (Café, crème, 注文, ü) in names, keys, enum values,
// detail-types and descriptions. The bindings must compile in every tested language and parse the
// fixture's example events.
let out = '';
let valid: run.ExampleEvent[] = [];
let invalid: run.InvalidEvent[] = [];

beforeAll(async () => {
  const project = await tempProject();
  await cp(join(repoRoot, 'test', 'bindings', 'fixtures', 'hostile', 'specs'), join(project, 'specs'), {
    recursive: true,
  });
  out = await mkdtemp(join(tmpdir(), 'evtgen-bindings-hostile-'));
  await buildBindings({
    project,
    langs: ['python', 'java', 'typescript', 'go', 'csharp'],
    out,
    from: 'spec',
  });
  valid = await run.exampleEvents(project);
  expect(valid.map((e) => e.subject).sort()).toEqual([
    'hostile.things@2fa-enabled',
    'hostile.things@Café servi',
    'hostile.things@class "quoted" */',
  ]);
  invalid = run.invalidEvents(valid[0] as run.ExampleEvent);
});

describe('bindings of a hostile-names spec', () => {
  it('Python: compiles, imports and parses every example', () => {
    run.expectParsed(run.python(out, valid, invalid), valid, invalid, expect);
  });

  it.skipIf(!run.runJava)('Java: compiles against Jackson and parses every example', async () => {
    run.expectParsed(await run.java(out, valid, invalid), valid, invalid, expect);
  });

  it('TypeScript: compiles under strict NodeNext and parses every example', async () => {
    run.expectParsed(await run.typescript(out, valid, invalid), valid, invalid, expect);
  });

  it.skipIf(!run.hasTool('go'))('Go: go build', async () => {
    await run.goBuild(out);
  });

  it.skipIf(!run.hasTool('dotnet'))('C#: dotnet build', async () => {
    await run.dotnetBuild(out);
  });
});
