import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBindings } from '../../generator/bindings/bindings.js';
import { loadContract } from '../../generator/model/build-model.js';
import { repoRoot } from '../helpers/project.js';

// The bindings of the example registry, compiled and run by the real toolchains; each example event
// of the spec must parse and an invalid one must fail with a clear message.
const jars = ['jackson-databind', 'jackson-core', 'jackson-annotations'].map(
  (j) => `/usr/share/java/${j}.jar`,
);
const hasJava = existsSync('/usr/bin/javac') && jars.every((j) => existsSync(j));
const ci = process.env.CI === 'true';

let out = '';
let events: { name: string; detailType: string; json: string }[] = [];

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'evtgen-bindings-'));
  await buildBindings({
    project: repoRoot,
    langs: ['python', 'java', 'typescript', 'go', 'csharp'],
    out,
    from: 'registry',
  });
  const loaded = await loadContract(repoRoot, join(repoRoot, 'specs'), {
    validate: false,
    requireSecurity: false,
    checkDeployability: false,
  });
  events = (loaded.model?.events ?? []).flatMap((e) =>
    e.examples.map((x, i) => ({
      name: `${e.detailType}-${i}`,
      detailType: e.detailType,
      json: JSON.stringify({
        version: '0',
        id: `id-${i}`,
        'detail-type': e.detailType,
        source: e.source,
        account: '123456789012',
        time: '2025-03-14T09:26:54Z',
        region: 'eu-central-1',
        resources: [],
        detail: { metadata: x.headers, data: x.payload },
      }),
    })),
  );
  expect(events.length).toBeGreaterThanOrEqual(3);
});

/** Missing `detail.data`, an unknown type, and not JSON: each must fail, naming why. */
function invalidEvents(): { json: string; message: RegExp }[] {
  const first = JSON.parse(events[0]?.json ?? '{}') as { detail: Record<string, unknown> };
  const noData = { ...first, detail: { metadata: first.detail.metadata } };
  return [
    { json: JSON.stringify(noData), message: /\/detail\/data: required property is missing/ },
    {
      json: JSON.stringify({ ...first, 'detail-type': 'Nope' }),
      message: /unknown event type com\.example\.orders@Nope/,
    },
    { json: '{"source": ', message: /not JSON/ },
  ];
}

describe('Python bindings', () => {
  it('compile with py_compile and parse every example event, direct and as an SQS body', async () => {
    const dir = join(out, 'python');
    const modules = execFileSync('find', [dir, '-name', '*.py'], { encoding: 'utf8' }).trim().split('\n');
    expect(modules.length).toBeGreaterThanOrEqual(5);
    execFileSync('python3', ['-m', 'py_compile', ...modules]);
    const script = `
import json, sys
from evtgen_bindings import parse_event, InvalidEvent
cases = json.load(sys.stdin)
for e in cases["valid"]:
    p = parse_event(e["json"])
    assert p.detail_type == e["detailType"], p
    q = parse_event({"body": e["json"]})
    assert q == p
    print("ok", e["name"], p.subject, p.version, type(p.event).__name__, type(p.event.detail.data).__name__)
for e in cases["invalid"]:
    try:
        parse_event(e["json"])
        print("parsed invalid", e["json"])
    except InvalidEvent as error:
        print("invalid", error)
`;
    const input = JSON.stringify({ valid: events, invalid: invalidEvents() });
    const text = execFileSync('python3', ['-c', script], { cwd: dir, input, encoding: 'utf8' });
    for (const e of events)
      expect(text).toMatch(
        new RegExp(`ok ${e.name} com\\.example\\.orders@${e.detailType} \\d+ ${e.detailType}Envelope`),
      );
    for (const bad of invalidEvents()) expect(text).toMatch(bad.message);
    expect(text).not.toMatch(/parsed invalid/);
  });
});

describe('Java bindings', () => {
  it.skipIf(!hasJava && !ci)('compile with javac against Jackson and parse every example event', async () => {
    const dir = join(out, 'java');
    const sources = execFileSync('find', [dir, '-name', '*.java'], { encoding: 'utf8' }).trim().split('\n');
    const main = join(out, 'Main.java');
    await writeFile(
      main,
      `import evtgen.bindings.EventParser;
import java.nio.file.*;
public class Main {
  public static void main(String[] args) throws Exception {
    for (String file : args) {
      String json = Files.readString(Path.of(file));
      try {
        EventParser.ParsedEvent p = EventParser.parse(json);
        EventParser.ParsedEvent q = EventParser.parse(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(java.util.Map.of("body", json)));
        System.out.println("ok " + file + " " + p.subject() + " " + p.version() + " " + p.event().getClass().getSimpleName() + " " + q.subject());
      } catch (EventParser.InvalidEventException e) {
        System.out.println("invalid " + e.getMessage());
      }
    }
  }
}
`,
    );
    const classes = join(out, 'classes');
    const cp = jars.join(':');
    execFileSync('javac', ['-d', classes, '-cp', cp, main, ...sources]);
    const files: string[] = [];
    for (const [i, e] of [
      ...events,
      ...invalidEvents().map((b, j) => ({ name: `bad${j}`, json: b.json })),
    ].entries()) {
      const f = join(out, `event-${i}.json`);
      await writeFile(f, e.json);
      files.push(f);
    }
    const text = execFileSync('java', ['-cp', `${classes}:${cp}`, 'Main', ...files], { encoding: 'utf8' });
    for (const [i, e] of events.entries())
      expect(text).toContain(`ok ${files[i]} com.example.orders@${e.detailType}`);
    for (const bad of invalidEvents()) expect(text).toMatch(bad.message);
  });
  if (!hasJava && !ci)
    console.warn('javac or Jackson (libjackson2-databind-java) missing: Java bindings not compiled');
});

describe('TypeScript bindings', () => {
  it('compile with tsc (NodeNext, strict) and parse every example event with the emitted JavaScript', async () => {
    const dir = join(out, 'typescript');
    const js = join(out, 'typescript-js');
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          outDir: js,
        },
        include: ['*.ts'],
      }),
    );
    // An ES module consumer (under NodeNext, a CommonJS one compiles the same imports).
    await writeFile(join(dir, 'package.json'), '{"type": "module"}');
    execFileSync(join(repoRoot, 'node_modules', '.bin', 'tsc'), ['-p', dir], { encoding: 'utf8' });
    await writeFile(join(js, 'package.json'), '{"type": "module"}');
    const script = `
import { parseEvent } from './index.js';
const cases = JSON.parse(process.argv[1]);
for (const e of cases.valid) {
  const p = parseEvent(e.json);
  const q = parseEvent({ body: e.json });
  if (p.detailType !== e.detailType || q.subject !== p.subject) throw new Error('wrong type for ' + e.name);
  console.log('ok', e.name, p.subject, p.version);
}
for (const e of cases.invalid) {
  try { parseEvent(e.json); console.log('parsed invalid', e.json); }
  catch (error) { console.log(error.name, error.message); }
}
`;
    const input = JSON.stringify({ valid: events, invalid: invalidEvents() });
    const text = execFileSync('node', ['--input-type=module', '-e', script, input], {
      cwd: js,
      encoding: 'utf8',
    });
    for (const e of events)
      expect(text).toMatch(new RegExp(`ok ${e.name} com\\.example\\.orders@${e.detailType} \\d+`));
    for (const bad of invalidEvents()) expect(text).toMatch(bad.message);
    expect(text).toMatch(/InvalidEventError/);
    expect(text).not.toMatch(/parsed invalid/);
  });
});

describe('Go and C# bindings', () => {
  for (const [lang, tool] of [
    ['go', 'go'],
    ['csharp', 'dotnet'],
  ] as const) {
    const present = (() => {
      try {
        execFileSync('which', [tool]);
        return true;
      } catch {
        return false;
      }
    })();
    it.skipIf(!present)(`${lang}: generated (compiled only where ${tool} exists)`, async () => {
      const manifest = JSON.parse(await readFile(join(out, lang, 'bindings.json'), 'utf8')) as {
        subjects: Record<string, unknown>;
      };
      expect(Object.keys(manifest.subjects)).toContain('com.example.orders@OrderPlaced');
    });
    if (!present)
      console.warn(`${tool} is not installed: the ${lang} bindings are generated but not compiled here`);
  }
});
