// Compiling and running generated bindings with the real toolchains of this machine, shared by the
// example-registry and hostile-names tests.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadContract } from '../../generator/model/build-model.js';
import { repoRoot } from '../helpers/project.js';

export const jars = ['jackson-databind', 'jackson-core', 'jackson-annotations'].map(
  (j) => `/usr/share/java/${j}.jar`,
);
/** With CI=true, Java never skips: a missing javac or Jackson fails the test (`.ci/run` installs them). */
export const runJava =
  process.env.CI === 'true' || (existsSync('/usr/bin/javac') && jars.every((j) => existsSync(j)));

export function hasTool(tool: string): boolean {
  try {
    execFileSync('which', [tool], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface ExampleEvent {
  readonly name: string;
  readonly detailType: string;
  readonly subject: string;
  readonly json: string;
}

export interface InvalidEvent {
  readonly json: string;
  readonly message: RegExp;
}

/** Every example of every message of the project's specs, as EventBridge would deliver it. */
export async function exampleEvents(project: string): Promise<ExampleEvent[]> {
  const loaded = await loadContract(project, join(project, 'specs'), {
    validate: false,
    requireSecurity: false,
    checkDeployability: false,
  });
  return (loaded.model?.events ?? []).flatMap((e) =>
    e.examples.map((x, i) => ({
      name: `${e.messageName}-${i}`,
      detailType: e.detailType,
      subject: `${e.source}@${e.detailType}`,
      json: JSON.stringify({
        version: '0',
        id: `id-${i}`,
        'detail-type': e.detailType,
        source: e.source,
        account: '123456789012',
        time: '2025-03-14T09:26:54Z',
        region: 'eu-central-1',
        resources: [],
        detail: { metadata: x.headers ?? {}, data: x.payload },
      }),
    })),
  );
}

/** Missing `detail.data`, an unknown type, and not JSON: each must fail, saying why. */
export function invalidEvents(first: ExampleEvent): InvalidEvent[] {
  const event = JSON.parse(first.json) as { source: string; detail: Record<string, unknown> };
  return [
    {
      json: JSON.stringify({ ...event, detail: { metadata: event.detail.metadata } }),
      message: /\/detail\/data: required property is missing/,
    },
    {
      json: JSON.stringify({ ...event, 'detail-type': 'Nope' }),
      message: new RegExp(`unknown event type ${event.source.replace(/\./g, '\\.')}@Nope`),
    },
    { json: '{"source": ', message: /not JSON/ },
  ];
}

/** Lines `ok <name> <subject>` for each valid event (also parsed from an SQS body), `invalid <message>` for the rest. */
export function expectParsed(
  text: string,
  valid: readonly ExampleEvent[],
  invalid: readonly InvalidEvent[],
  expect: (text: string) => {
    toContain(s: string): void;
    toMatch(r: RegExp): void;
    not: { toMatch(r: RegExp): void };
  },
): void {
  for (const e of valid) expect(text).toContain(`ok ${e.name} ${e.subject}\n`);
  for (const bad of invalid) expect(text).toMatch(bad.message);
  expect(text).not.toMatch(/parsed invalid/);
}

const pythonScript = `
import json, sys
from evtgen_bindings import parse_event, InvalidEvent
cases = json.load(sys.stdin)
for e in cases["valid"]:
    p = parse_event(e["json"])
    q = parse_event({"body": e["json"]})
    assert p == q and p.detail_type == e["detailType"], (p, q)
    print("ok", e["name"], p.subject)
for e in cases["invalid"]:
    try:
        parse_event(e["json"])
        print("parsed invalid", e["json"])
    except InvalidEvent as error:
        print("invalid", error)
`;

/** py_compile of every module, then the parser on every event. */
export function python(
  out: string,
  valid: readonly ExampleEvent[],
  invalid: readonly InvalidEvent[],
): string {
  const dir = join(out, 'python');
  const modules = execFileSync('find', [dir, '-name', '*.py'], { encoding: 'utf8' }).trim().split('\n');
  execFileSync('python3', ['-m', 'py_compile', ...modules]);
  return execFileSync('python3', ['-c', pythonScript], {
    cwd: dir,
    input: JSON.stringify({ valid, invalid }),
    encoding: 'utf8',
  });
}

const javaMain = `import evtgen.bindings.EventParser;
import java.nio.file.*;
public class Main {
  public static void main(String[] args) throws Exception {
    for (int i = 0; i + 1 < args.length; i += 2) {
      String json = Files.readString(Path.of(args[i + 1]));
      try {
        EventParser.ParsedEvent p = EventParser.parse(json);
        String body = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(java.util.Map.of("body", json));
        EventParser.ParsedEvent q = EventParser.parse(body);
        if (!q.subject().equals(p.subject())) throw new IllegalStateException("SQS body parsed differently");
        System.out.println((args[i].startsWith("bad") ? "parsed invalid " : "ok ") + args[i] + " " + p.subject());
      } catch (EventParser.InvalidEventException e) {
        System.out.println("invalid " + e.getMessage());
      }
    }
  }
}
`;

/** javac of every class against Debian's Jackson, then a main running the parser on every event. */
export async function java(
  out: string,
  valid: readonly ExampleEvent[],
  invalid: readonly InvalidEvent[],
  bindings = join(out, 'java'),
): Promise<string> {
  await mkdir(out, { recursive: true });
  const sources = execFileSync('find', [bindings, '-name', '*.java'], { encoding: 'utf8' })
    .trim()
    .split('\n');
  await writeFile(join(out, 'Main.java'), javaMain);
  const classes = join(out, 'classes');
  const cp = jars.join(':');
  execFileSync('javac', ['-encoding', 'UTF-8', '-d', classes, '-cp', cp, join(out, 'Main.java'), ...sources]);
  const args: string[] = [];
  for (const [i, e] of [...valid, ...invalid.map((b, j) => ({ name: `bad${j}`, json: b.json }))].entries()) {
    const file = join(out, `event-${i}.json`);
    await writeFile(file, e.json);
    args.push(e.name, file);
  }
  return execFileSync('java', ['-cp', `${classes}:${cp}`, 'Main', ...args], { encoding: 'utf8' });
}

const tsScript = `
import { parseEvent } from './index.js';
const cases = JSON.parse(process.argv[1]);
for (const e of cases.valid) {
  const p = parseEvent(e.json);
  const q = parseEvent({ body: e.json });
  if (p.detailType !== e.detailType || q.subject !== p.subject) throw new Error('wrong type for ' + e.name);
  console.log('ok', e.name, p.subject);
}
for (const e of cases.invalid) {
  try { parseEvent(e.json); console.log('parsed invalid', e.json); }
  catch (error) { console.log('invalid', error.name, error.message); }
}
`;

/** tsc (strict, NodeNext) to JavaScript, then the parser on every event. */
export async function typescript(
  out: string,
  valid: readonly ExampleEvent[],
  invalid: readonly InvalidEvent[],
): Promise<string> {
  const dir = join(out, 'typescript');
  const js = join(out, 'typescript-js');
  const compilerOptions = {
    strict: true,
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    target: 'ES2022',
    outDir: js,
  };
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['*.ts'] }));
  // An ES module consumer (under NodeNext, a CommonJS one compiles the same imports).
  await writeFile(join(dir, 'package.json'), '{"type": "module"}');
  execFileSync(join(repoRoot, 'node_modules', '.bin', 'tsc'), ['-p', dir], { encoding: 'utf8' });
  await writeFile(join(js, 'package.json'), '{"type": "module"}');
  return execFileSync('node', ['--input-type=module', '-e', tsScript, JSON.stringify({ valid, invalid })], {
    cwd: js,
    encoding: 'utf8',
  });
}

/** `go vet ./...` (which builds) of the Go bindings' own module (where `go` is installed). */
export async function goBuild(out: string): Promise<void> {
  execFileSync('go', ['vet', './...'], { cwd: join(out, 'go'), encoding: 'utf8' });
}

/** `dotnet build` of the C# bindings as one library (where `dotnet` is installed). */
export async function dotnetBuild(out: string): Promise<void> {
  const dir = join(out, 'csharp');
  await writeFile(
    join(dir, 'Bindings.csproj'),
    '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net8.0</TargetFramework><Nullable>enable</Nullable></PropertyGroup></Project>\n',
  );
  execFileSync('dotnet', ['build', '--nologo'], { cwd: dir, encoding: 'utf8' });
}
