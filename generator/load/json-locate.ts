import type { SourcePosition } from '../diagnostics.js';
import { splitPointer } from './json-pointer.js';

/**
 * Pointer → line:col for a JSON text parsed with JSON.parse (large documents: the YAML parser keeps
 * a node per value and is ~20× slower).
 *
 * Indexed lazily, one container at a time (`containerOffsets`): a lookup reads only the objects and
 * arrays on its pointer's way, each once (its keys or items, every value beside them skipped whole),
 * and later lookups reuse them. Why: a clean run of GitHub's REST API description asks for one
 * position (an ajv warning), and indexing all of its 13 MB took ~0.35 s and tens of MB while the
 * bundler's worker waited for a core; `evtgen check`, which locates ~1,700 findings in each of two
 * versions, reads about as much as the whole index did. The offsets are those the whole index gave
 * (test/unit/json-locate.test.ts keeps it, to compare).
 */
export function jsonLocator(text: string): (pointer: string) => SourcePosition {
  const offsetOf = lazyOffsets(text);
  let positionOf: ((offset: number) => SourcePosition) | undefined;
  return (pointer) => {
    const offset = offsetOf(splitPointer(pointer));
    positionOf ??= lineIndex(text);
    return positionOf(offset);
  };
}

/** One container's entries: an object's keys → [key offset, value offset], an array's item offsets. */
interface ContainerOffsets {
  readonly keys?: Map<string, readonly [number, number]>;
  readonly items?: number[];
}

/**
 * The offset `jsonLocator` gives for a pointer: the key naming the last value it reaches in an
 * object, or that value itself in an array; a pointer that runs out stops at the last node it
 * reached. Each object or array a pointer goes through is read once, when first reached. A key
 * written twice is the last one, as in JSON.parse.
 */
export function lazyOffsets(text: string): (segments: readonly string[]) => number {
  const { root, containerAt } = lazyContainers(text);
  return (segments) => {
    let node = root;
    let offset = root;
    for (const segment of segments) {
      const container = containerAt(node);
      if (container?.keys) {
        const entry = container.keys.get(segment);
        if (!entry) break;
        [offset, node] = entry;
      } else if (container?.items) {
        const item = container.items[Number(segment)];
        if (item === undefined) break;
        offset = item;
        node = item;
      } else break;
    }
    return offset;
  };
}

/** The offset of a JSON text's value, and each container's entries, read when first asked for. */
function lazyContainers(text: string) {
  const containers = new Map<number, ContainerOffsets | undefined>();
  return {
    root: skipWhitespace(text, 0),
    containerAt(offset: number): ContainerOffsets | undefined {
      if (!containers.has(offset)) containers.set(offset, containerOffsets(text, offset));
      return containers.get(offset);
    },
  };
}

/** The entries of the object or array whose first character is at `from` (undefined for a scalar). */
function containerOffsets(text: string, from: number): ContainerOffsets | undefined {
  const c = text.charCodeAt(from);
  if (c === 123) {
    const keys = new Map<string, readonly [number, number]>();
    let pos = skipWhitespace(text, from + 1);
    if (text.charCodeAt(pos) === 125) return { keys };
    for (;;) {
      pos = skipWhitespace(text, pos);
      const keyOffset = pos;
      const end = stringEnd(text, pos);
      const raw = text.slice(pos + 1, end - 1);
      const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
      pos = skipWhitespace(text, skipWhitespace(text, end) + 1); // past ':'
      keys.set(key, [keyOffset, pos]);
      pos = skipWhitespace(text, valueEnd(text, pos));
      if (text.charCodeAt(pos++) === 125) return { keys };
    }
  }
  if (c === 91) {
    const items: number[] = [];
    let pos = skipWhitespace(text, from + 1);
    if (text.charCodeAt(pos) === 93) return { items };
    for (;;) {
      pos = skipWhitespace(text, pos);
      items.push(pos);
      pos = skipWhitespace(text, valueEnd(text, pos));
      if (text.charCodeAt(pos++) === 93) return { items };
    }
  }
  return undefined;
}

function skipWhitespace(text: string, from: number): number {
  let pos = from;
  for (;;) {
    const c = text.charCodeAt(pos);
    if (c === 32 || c === 10 || c === 13 || c === 9) pos++;
    else return pos;
  }
}

/** The offset after the string whose opening quote is at `from`. */
function stringEnd(text: string, from: number): number {
  let quote = text.indexOf('"', from + 1);
  for (;;) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    quote = text.indexOf('"', quote + 1);
  }
}

/**
 * A quote or a bracket: what skipping a container must see (a quote opens a string, skipped whole
 * by `stringEnd`). One character at a time: a pattern matching whole strings overflows the regular
 * expression engine's backtracking stack on a string of a few MB (test/unit/json-locate.test.ts).
 */
const quoteOrBracket = /["[\]{}]/g;

/** The offset after the value that starts at `from`. */
function valueEnd(text: string, from: number): number {
  const c = text.charCodeAt(from);
  if (c === 34) return stringEnd(text, from);
  if (c === 123 || c === 91) {
    let depth = 0;
    quoteOrBracket.lastIndex = from;
    // `test` finds the next one without making a match object.
    while (quoteOrBracket.test(text)) {
      const at = quoteOrBracket.lastIndex - 1;
      const d = text.charCodeAt(at);
      if (d === 34) quoteOrBracket.lastIndex = stringEnd(text, at);
      else if (d === 123 || d === 91) depth++;
      else if (--depth === 0) return at + 1;
    }
    return text.length;
  }
  let pos = from;
  for (; pos < text.length; pos++) {
    const d = text.charCodeAt(pos);
    if (d === 44 || d === 125 || d === 93 || d === 32 || d === 10 || d === 13 || d === 9) break;
  }
  return pos;
}

/**
 * Pointer segments → 0-based offset of the node Redocly's `getAstNodeByPointer` finds in the same JSON text
 * (load/redocly-positions.ts): the value's first character, or with `onKey` the key naming it; a
 * pointer that runs out stops at the last node it reached, as Redocly's walk does. Built on the same
 * containers, read as lookups reach them (`lazyOffsets`), so a 13 MB document needs no YAML AST
 * (~1 s and several hundred MB there), nor an index of all of it.
 */
export function jsonNodeOffsets(text: string): (segments: readonly string[], onKey: boolean) => number {
  const { root, containerAt } = lazyContainers(text);
  return (segments, onKey) => {
    let node = root;
    let keyOffset: number | undefined;
    for (const segment of segments) {
      const container = containerAt(node);
      if (container?.keys) {
        const entry = container.keys.get(segment);
        if (!entry) break;
        [keyOffset, node] = entry;
      } else if (container?.items) {
        const item = container.items[Number.parseInt(segment, 10)];
        if (item === undefined) break;
        node = item;
        keyOffset = undefined;
      } else break;
    }
    return onKey && keyOffset !== undefined ? keyOffset : node;
  };
}

/** 0-based offset → 1-based line and column, by binary search over the text's line starts. */
export function lineIndex(text: string): (offset: number) => SourcePosition {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] as number) + 1 };
  };
}
