import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  type CliResult,
  corporaRoot,
  linkDependencies,
  runCli,
  type TscResult,
  tempProject,
  typeCheck,
} from '../helpers/project.js';

const examplesRoot = join(corporaRoot, 'asyncapi-examples');
const examplesPresent = existsSync(examplesRoot);
if (!examplesPresent) {
  console.warn(
    `[asyncapi-examples] SKIPPED: the AsyncAPI examples are not at ${examplesRoot} ` +
      '(../shared/corpora relative to the repository root; CI has it, a fresh clone does not).',
  );
}

interface Expected {
  readonly outcome: 'generated' | 'refused';
  /** Diagnostic codes that must be among the errors of a refusal (evtgen's own reasons, stable offline). */
  readonly codes?: readonly string[];
  readonly why?: string;
}

/**
 * The expected outcome of every entry document (path relative to asyncapi-examples/). A document that
 * appears in the corpus without an entry here fails the run.
 */
const expected: Record<string, Expected> = {
  'adeo-kafka-request-reply-asyncapi.yml': {
    outcome: 'refused',
    codes: ['schema-format-unsupported', 'ref-remote'],
    why:
      'Avro payloads (schemaFormat application/vnd.apache.avro;version=1.9.0), which evtgen does not read, ' +
      'with remote .avsc $refs (evtgen runs offline: ref-remote); the AsyncAPI parser also rejects its Kafka binding keys',
  },
  'anyof-asyncapi.yml': { outcome: 'generated' },
  'application-headers-asyncapi.yml': { outcome: 'generated' },
  'correlation-id-asyncapi.yml': { outcome: 'generated' },
  'gitter-streaming-asyncapi.yml': { outcome: 'generated' },
  'kraken-websocket-request-reply-message-filter-in-reply-asyncapi.yml': {
    outcome: 'refused',
    codes: ['example-invalid'],
    why:
      'its subscriptionStatus examples do not satisfy the payload schema (a string `pair` where an array is ' +
      'declared, a status outside the enum, required properties missing): generate refuses examples their ' +
      'schemas refuse (issue 13, point 9)',
  },
  'kraken-websocket-request-reply-multiple-channels-asyncapi.yml': {
    outcome: 'refused',
    codes: ['example-invalid'],
    why:
      'its subscriptionStatus examples do not satisfy the payload schema (a string `pair` where an array is ' +
      'declared, a status outside the enum, required properties missing): generate refuses examples their ' +
      'schemas refuse (issue 13, point 9)',
  },
  'mercure-asyncapi.yml': { outcome: 'generated' },
  'not-asyncapi.yml': { outcome: 'generated' },
  'oneof-asyncapi.yml': { outcome: 'generated' },
  'operation-security-asyncapi.yml': { outcome: 'generated' },
  'rpc-client-asyncapi.yml': { outcome: 'generated' },
  'rpc-server-asyncapi.yml': { outcome: 'generated' },
  'simple-asyncapi.yml': { outcome: 'generated' },
  'slack-rtm-asyncapi.yml': { outcome: 'generated' },
  'social-media/backend/asyncapi.yaml': { outcome: 'generated' },
  'social-media/comments-service/asyncapi.yaml': { outcome: 'generated' },
  'social-media/frontend/asyncapi.yaml': { outcome: 'generated' },
  'social-media/notification-service/asyncapi.yaml': { outcome: 'generated' },
  'social-media/public-api/asyncapi.yaml': { outcome: 'generated' },
  'streetlights-kafka-asyncapi.yml': { outcome: 'generated' },
  'streetlights-mqtt-asyncapi.yml': { outcome: 'generated' },
  'streetlights-operation-security-asyncapi.yml': { outcome: 'generated' },
  'websocket-gemini-asyncapi.yml': { outcome: 'generated' },
};

/** `file:line:col  error  code  message`, as the CLI prints a diagnostic. */
const errorLine = /^\S+:\d+:\d+ {2}error {2}\S+ {2}.+$/;
/** A JS stack frame: `    at fn (/path/file.js:12:34)` or `    at /path/file.mjs:1:2`. */
const stackFrame = /^\s*at .*\.[cm]?[jt]sx?:\d+:\d+\)?$/m;

function readSpec(path: string): unknown {
  try {
    return parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every YAML/JSON file under asyncapi-examples/ whose top level has `asyncapi`: the entry documents. */
function entryDocuments(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ya?ml|json)$/i.test(entry.name)) {
        const value = readSpec(path);
        if (isRecord(value) && 'asyncapi' in value)
          found.push(relative(examplesRoot, path).split(sep).join('/'));
      }
    }
  };
  walk(examplesRoot);
  return found.sort();
}

/** The document and, transitively, every local file its `$ref`s name (URLs are left to the tools). */
function withReferencedFiles(entry: string): string[] {
  const files = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const path = pending.pop() as string;
    if (files.has(path) || !existsSync(path)) continue;
    files.add(path);
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(visit);
      else if (isRecord(node)) {
        const ref = node.$ref;
        if (typeof ref === 'string') {
          const filePart = ref.split('#')[0] ?? '';
          if (filePart !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(filePart)) {
            pending.push(resolve(dirname(path), decodeURI(filePart)));
          }
        }
        Object.values(node).forEach(visit);
      }
    };
    visit(readSpec(path));
  }
  return [...files].sort();
}

function commonDirectory(paths: readonly string[]): string {
  const split = paths.map((p) => dirname(p).split(sep));
  const first = split[0] ?? [];
  let length = first.length;
  for (const parts of split) {
    let i = 0;
    while (i < length && parts[i] === first[i]) i++;
    length = i;
  }
  return first.slice(0, length).join(sep) || sep;
}

/** A temporary project whose specs/ holds the document and its referenced files, layout kept. */
async function projectFor(document: string): Promise<string> {
  const files = withReferencedFiles(join(examplesRoot, document));
  const base = commonDirectory(files);
  const dir = await tempProject();
  for (const file of files) {
    const target = join(dir, 'specs', relative(base, file));
    await mkdir(dirname(target), { recursive: true });
    await cp(file, target);
  }
  return dir;
}

async function listTs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
}

/** Runs `fn` over `items`, `limit` at a time (the CLI runs are independent processes). */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

interface DocumentRun {
  readonly document: string;
  readonly project: string;
  readonly result: CliResult;
  readonly outcome: 'generated' | 'refused' | 'crashed';
  readonly errorCodes: string[];
  readonly warnings: number;
  readonly tsFiles: string[];
}

function classify(result: CliResult): DocumentRun['outcome'] {
  const output = `${result.stdout}\n${result.stderr}`;
  if (output.includes('node:internal') || stackFrame.test(output)) return 'crashed';
  if (result.code === 0) return 'generated';
  if (result.code === 1 && result.stderr.split('\n').some((line) => errorLine.test(line))) return 'refused';
  return 'crashed';
}

/** One tsc over the generated TypeScript of every successful project. */
async function typeCheckProjects(projects: readonly string[]): Promise<TscResult> {
  const dir = await mkdtemp(join(tmpdir(), 'evtgen-tsc-'));
  await Promise.all(projects.map(linkDependencies));
  return typeCheck(
    dir,
    projects.map((p) => `${p.split(sep).join('/')}/generated/**/*.ts`),
  );
}

const documents = examplesPresent ? entryDocuments() : [];

describe.skipIf(!examplesPresent)('AsyncAPI 3.0 examples through `evtgen generate`', () => {
  const runs = new Map<string, DocumentRun>();
  let tsc: TscResult = { code: 0, output: '', errors: [] };

  beforeAll(async () => {
    const done = await pool(documents, 4, async (document): Promise<DocumentRun> => {
      const project = await projectFor(document);
      const result = await runCli(['generate'], project);
      const lines = result.stderr.split('\n');
      return {
        document,
        project,
        result,
        outcome: classify(result),
        errorCodes: lines.filter((l) => errorLine.test(l)).map((l) => l.split(/ {2}/)[2] ?? ''),
        warnings: lines.filter((l) => /^\S+:\d+:\d+ {2}warning {2}/.test(l)).length,
        tsFiles: await listTs(join(project, 'generated')),
      };
    });
    for (const run of done) runs.set(run.document, run);
    const generated = done.filter((r) => r.outcome === 'generated' && r.tsFiles.length > 0);
    if (generated.length > 0) tsc = await typeCheckProjects(generated.map((r) => r.project));

    const rows = done.map((r) => {
      const detail =
        r.outcome === 'refused'
          ? `exit 1, errors: ${[...new Set(r.errorCodes)].join(', ')}`
          : r.outcome === 'generated'
            ? `exit 0, ${r.tsFiles.length} .ts files${r.warnings ? `, ${r.warnings} warnings` : ''}`
            : `exit ${r.result.code}: ${r.result.stderr.trim().split('\n').slice(0, 3).join(' | ')}`;
      return `  ${r.outcome.padEnd(9)} ${r.document} (${detail})`;
    });
    const count = (o: DocumentRun['outcome']) => done.filter((r) => r.outcome === o).length;
    console.log(
      [
        `[asyncapi-examples] ${done.length} documents: ${count('generated')} generated, ` +
          `${count('refused')} refused with diagnostics, ${count('crashed')} crashed; ` +
          `tsc over ${generated.length} outputs: ${tsc.code === 0 ? 'clean' : 'ERRORS'}`,
        ...rows,
      ].join('\n'),
    );
  }, 900_000);

  it('finds every document listed in the expected table, and no other', () => {
    expect(documents).toEqual(Object.keys(expected).sort());
  });

  it.each(documents)('%s: never crashes and ends as expected', (document) => {
    const run = runs.get(document);
    const want = expected[document];
    expect(run, 'not run').toBeDefined();
    if (!run || !want) return;
    const { code, stdout, stderr } = run.result;
    expect(stderr, 'stack trace or Node internals on stderr').not.toMatch(/node:internal/);
    expect(stderr, 'stack trace on stderr').not.toMatch(stackFrame);
    expect(stdout, 'stack trace on stdout').not.toMatch(stackFrame);
    expect([0, 1], `exit code ${code}; stderr:\n${stderr}`).toContain(code);
    expect(run.outcome, `stderr:\n${stderr}`).toBe(want.outcome);
    if (want.outcome === 'generated') {
      expect(run.tsFiles.length, 'no TypeScript generated').toBeGreaterThan(0);
      expect(stderr.split('\n').filter((l) => errorLine.test(l))).toEqual([]);
    } else {
      for (const wanted of want.codes ?? []) expect(run.errorCodes).toContain(wanted);
    }
  });

  it('the generated TypeScript of every successful document type-checks (one tsc run)', () => {
    const byDocument = new Map<string, string[]>();
    for (const line of tsc.errors) {
      const owner = [...runs.values()].find((r) => line.startsWith(`${r.project}${sep}`));
      const key = owner?.document ?? '(unattributed)';
      byDocument.set(key, [...(byDocument.get(key) ?? []), line]);
    }
    expect(Object.fromEntries(byDocument)).toEqual({});
    expect(tsc.code, tsc.output).toBe(0);
  });
});
