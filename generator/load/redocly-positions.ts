/**
 * Redocly's problem locations as line and column, in time proportional to the problems.
 *
 * Why not `getLineColLocation` from @redocly/openapi-core: it counts lines from the start of the
 * file for every problem, so a large document with many findings costs (size × problems): 3.5 s of
 * `evtgen generate` on GitHub's 13 MB REST description (135 warnings). This finds the same AST node
 * with Redocly's own `getAstNodeByPointer`, on the AST Redocly caches on the source, and turns its
 * offset into a position through an index of line starts (binary search). Positions are identical
 * to Redocly's (test/unit/redocly-positions.test.ts), including its quirk of reporting 1:1 for an
 * empty node. A source Redocly read as JSON (redocly-resolver.ts) needs no AST at all: the same node
 * is found in the JSON text (json-locate.ts `jsonNodeOffsets`).
 */
import { createRequire } from 'node:module';
import type { SourcePosition } from '../diagnostics.js';
import { jsonNodeOffsets, lineIndex } from './json-locate.js';
import { isJsonSource } from './redocly-resolver.js';

type Core = typeof import('@redocly/openapi-core');
type Location = Parameters<Core['getLineColLocation']>[0];
type AstParser = (body: string, options: { filename: string }) => unknown;

export interface LineCol {
  readonly line: number;
  readonly col: number;
}

const lineIndexOf = new WeakMap<object, (offset: number) => SourcePosition>();

/** The start of `location` as Redocly's `getLineColLocation(location).start` gives it. */
export function problemStart(core: Core, location: Location): LineCol {
  if (location.pointer === undefined) return { line: 1, col: 1 };
  const { source } = location;
  if (isJsonSource(source)) {
    // Redocly's own reading of its pointers (format/codeframes.js): `#/` dropped, segments unescaped.
    const segments = location.pointer.slice(2).split('/').map(core.unescapePointer);
    return positionOf(source, jsonOffsetsOf(source)(segments, !!location.reportOnKey));
  }
  const ast = source.getAst(astParser() as never);
  const node = core.getAstNodeByPointer(ast as never, location.pointer, !!location.reportOnKey);
  const start = node?.startPosition ?? 1;
  const end = node?.endPosition ?? 1;
  // Redocly's loop never reaches the start of an empty node and leaves the position at 1:1.
  if (start >= end) return { line: 1, col: 1 };
  return positionOf(source, start);
}

/** 1-based line and column of the character at 0-based `offset` of the source's body. */
function positionOf(source: { readonly body: string }, offset: number): LineCol {
  let index = lineIndexOf.get(source);
  if (!index) {
    index = lineIndex(source.body);
    lineIndexOf.set(source, index);
  }
  const { line, column } = index(offset);
  return { line, col: column };
}

const jsonOffsetsOf = (source: { readonly body: string }) => {
  let offsets = jsonOffsetsBySource.get(source);
  if (!offsets) {
    offsets = jsonNodeOffsets(source.body);
    jsonOffsetsBySource.set(source, offsets);
  }
  return offsets;
};
const jsonOffsetsBySource = new WeakMap<object, ReturnType<typeof jsonNodeOffsets>>();

let parser: AstParser | undefined;

/** The YAML AST parser Redocly itself uses (its dependency yaml-ast-parser), so nodes match. */
function astParser(): AstParser {
  if (!parser) {
    const fromCore = createRequire(createRequire(import.meta.url).resolve('@redocly/openapi-core'));
    parser = (fromCore('yaml-ast-parser') as { safeLoad: AstParser }).safeLoad;
  }
  return parser;
}
