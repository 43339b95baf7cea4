import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { relative, sep } from 'node:path';
import type { Diagnostic, Severity } from '../diagnostics.js';
import { EvalWorker } from '../eval-worker.js';
import { packagePath } from '../package-root.js';
import { checkChannelParameters } from './asyncapi-channel-parameters.js';
import { joinPointer } from './json-pointer.js';
import { remoteRefs } from './remote-refs.js';
import type { SourceFile } from './source-file.js';

/** Rules of the AsyncAPI parser that evtgen switches off, and why. */
const silencedRules = new Set([
  // Says a newer AsyncAPI version exists; evtgen deliberately targets 3.0 (see docs/decisions.md).
  'asyncapi-latest-version',
]);

const severities: Record<number, Severity> = { 0: 'error', 1: 'warning', 2: 'info', 3: 'info' };

interface ParserDiagnostic {
  code: string | number;
  message: string;
  path: (string | number)[];
  severity: number;
  source?: string;
  range: { start: { line: number; character: number } };
}

/**
 * The parser runs in a worker thread, where it overlaps with model building and code emission on
 * another core instead of preceding them. The worker is a short CommonJS script evaluated from this
 * string, so the same code works from the TypeScript sources (tests) and the compiled package.
 *
 * It configures the parser in four ways, each for a measured reason (bench/, docs/performance.md):
 * - Offline: evtgen resolves only local files (a remote `$ref` is its own `ref-remote` error), so the
 *   parser must not fetch either. The resolvers given win over its built-in HTTP ones (lower
 *   `order`) and answer every URL with an empty document instead of a network request.
 * - Linear structure check: the schema the `asyncapi-document-resolved` rule validates with stops
 *   at an operation's `channel` and `messages`, which are validated where they are defined
 *   (`prepareSchemas` in asyncapi-meta.cjs says why).
 * - Precompiled structure schemas: the AsyncAPI JSON Schema's validators, compiled at build, instead
 *   of two ajv compiles per document (`usePrecompiled` in asyncapi-meta.cjs).
 * - `asyncapi3-channel-parameters` is off: Spectral evaluated it over the resolved document too, and
 *   evtgen runs the same check itself (asyncapi-channel-parameters.ts).
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const meta = require(workerData.metaModule);
const modules = meta.parserModules(workerData.parserPath);
meta.prepareSchemas(modules);
meta.usePrecompiled(modules, workerData.metaDir);
const { Parser } = modules.parserRequire('./index.js');
const offline = ['http', 'https'].map((schema) => ({ schema, order: 1, read: () => '{}' }));
const parser = new Parser({
  ruleset: { rules: { 'asyncapi3-channel-parameters': 'off' } },
  __unstable: { resolver: { resolvers: offline } },
});
parentPort.on('message', async ({ id, text, source }) => {
  try {
    const found = await parser.validate(text, { source });
    const diagnostics = found.map(({ code, message, path, severity, source, range }) =>
      ({ code, message, path, severity, source, range: { start: range.start } }));
    parentPort.postMessage({ id, result: diagnostics });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.stack) || error) });
  }
});
`;

const parserWorker = new EvalWorker<{ text: string; source: string }, ParserDiagnostic[]>(
  workerSource,
  () => ({
    parserPath: createRequire(import.meta.url).resolve('@asyncapi/parser'),
    metaModule: packagePath('generator', 'load', 'asyncapi-meta.cjs'),
    metaDir: packagePath('dist', 'asyncapi-meta'),
  }),
);

/**
 * Starts the parser's worker before the specs are loaded, when they are likely to hold AsyncAPI:
 * loading the parser takes the worker ~0.5–1 s, now spent while the main thread reads and models the
 * specs. (Warming its schemas up with a minimal document was measured too: it saved 0.6 s of the
 * first validation but cost 1.3 s, a loss.)
 */
export function startAsyncApiParser(): void {
  parserWorker.start();
}

/**
 * `startAsyncApiParser` when one of the spec files `paths` looks like AsyncAPI: a guess from the text
 * (an `asyncapi` key at the start of a line), good enough to start the parser early; a wrong guess
 * costs only an idle worker or the wait that used to be.
 */
export async function startAsyncApiParserFor(paths: readonly string[]): Promise<void> {
  // generate.ts has usually started it already: the files' heads are not read twice.
  if (parserWorker.running) return;
  for (const path of paths) {
    if (/^\s*["']?asyncapi["']?\s*:/m.test(await head(path))) {
      startAsyncApiParser();
      return;
    }
  }
}

/** The first 64 KB: enough for a guess, and a 13 MB OpenAPI description is not read whole. */
async function head(path: string): Promise<string> {
  const file = await open(path).catch(() => undefined);
  if (!file) return '';
  try {
    const buffer = Buffer.alloc(65_536);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    return buffer.toString('utf8', 0, bytesRead);
  } finally {
    await file.close();
  }
}

/** Wall time spent waiting for the parser, summed over calls: the benchmark reports it. */
export const parserTiming = { totalMs: 0 };

function validateInWorker(text: string, source: string): Promise<ParserDiagnostic[]> {
  const started = performance.now();
  return parserWorker.request({ text, source }).finally(() => {
    parserTiming.totalMs += performance.now() - started;
  });
}

/**
 * Validates an AsyncAPI document with the official parser (its JSON Schema and Spectral rules,
 * including the `sqs` bindings) and returns its findings as evtgen diagnostics.
 */
export async function validateAsyncApi(
  file: SourceFile,
  text: string,
  projectRoot: string,
): Promise<Diagnostic[]> {
  let results: ParserDiagnostic[];
  try {
    results = await validateInWorker(text, file.path);
  } catch (error) {
    return [
      {
        severity: 'error',
        code: 'asyncapi/parser-failed',
        message: `The AsyncAPI parser failed on this document: ${firstLine(String((error as Error).message))}`,
        file: file.displayPath,
        position: { line: 1, column: 1 },
        pointer: '',
        hint: 'This is a parser failure rather than a finding; simplify the document around recent edits, and report it with the document.',
      },
    ];
  }
  // A remote $ref is evtgen's own `ref-remote` error; the parser, answered offline with an empty
  // document, reports what it read there (e.g. "schema" property type must be string) and the
  // structure errors that follow from it: those are left out.
  const remote = remoteRefs(file.value, '').map((r) => r.pointer);
  const found = results
    .filter((d) => !silencedRules.has(String(d.code)))
    .filter((d) => !(d.source && /^[a-z][a-z0-9+.-]*:\//i.test(d.source) && !d.source.startsWith('file:')))
    .filter((d) => {
      if (d.code !== 'asyncapi-document-resolved') return true;
      const at = joinPointer('', ...d.path.map(String));
      return !remote.some((r) => r === at || r.startsWith(`${at}/`));
    })
    .map((d): Diagnostic => {
      const displayPath =
        d.source && d.source !== file.path
          ? relative(projectRoot, d.source).split(sep).join('/')
          : file.displayPath;
      return {
        severity: severities[d.severity] ?? 'error',
        code: `asyncapi/${d.code}`,
        // The parser names files by absolute path; diagnostics name them relative to the project.
        message: withPeriod(d.message.replaceAll(`${projectRoot}${sep}`, '')),
        file: displayPath,
        position: { line: d.range.start.line + 1, column: d.range.start.character + 1 },
        pointer: joinPointer('', ...d.path.map(String)),
        hint: 'See the AsyncAPI 3.0 specification for this object (https://www.asyncapi.com/docs/reference/specification/v3.0.0).',
      };
    });
  return [...found, ...checkChannelParameters(file)];
}

function withPeriod(message: string): string {
  return /[.?!]$/.test(message) ? message : `${message}.`;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
