import { relative, sep } from 'node:path';
import type { Diagnostic, Severity } from '../diagnostics.js';
import { joinPointer } from './json-pointer.js';
import type { SourceFile } from './source-file.js';

/** Rules of the AsyncAPI parser that evtgen switches off, and why. */
const silencedRules = new Set([
  // Says a newer AsyncAPI version exists; evtgen deliberately targets 3.0 (see README).
  'asyncapi-latest-version',
]);

const severities: Record<number, Severity> = { 0: 'error', 1: 'warning', 2: 'info', 3: 'info' };

type AsyncApiParser = { validate(input: string, options: { source: string }): Promise<ParserDiagnostic[]> };
interface ParserDiagnostic {
  code: string | number;
  message: string;
  path: (string | number)[];
  severity: number;
  source?: string;
  range: { start: { line: number; character: number } };
}

let parser: Promise<AsyncApiParser> | undefined;

/**
 * evtgen runs offline and resolves only local files (a remote `$ref` is its own `ref-remote` error),
 * so the parser must not fetch either: these resolvers win over its built-in HTTP ones (lower
 * `order`) and answer every URL with an empty document instead of a network request.
 */
const offlineResolvers = ['http', 'https'].map((schema) => ({ schema, order: 1, read: () => '{}' }));

/** The parser is heavy to import (Spectral); load it only when an AsyncAPI document is validated. */
function getParser(): Promise<AsyncApiParser> {
  parser ??= import('@asyncapi/parser').then(
    ({ Parser }) =>
      new Parser({ __unstable: { resolver: { resolvers: offlineResolvers } } }) as unknown as AsyncApiParser,
  );
  return parser;
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
  const results = await (await getParser()).validate(text, { source: file.path });
  return results
    .filter((d) => !silencedRules.has(String(d.code)))
    .map((d) => {
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
}

function withPeriod(message: string): string {
  return /[.?!]$/.test(message) ? message : `${message}.`;
}
