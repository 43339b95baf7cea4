import type { SourcePosition } from '../diagnostics.js';
import { splitPointer } from './json-pointer.js';

/** A container of the offset index: objects map keys to [key offset, child], arrays list children. */
interface Container {
  readonly keys?: Map<string, [number, Container | number]>;
  readonly items?: (Container | number)[];
  readonly offset: number;
}

/**
 * Pointer → line:col for a JSON text parsed with JSON.parse (large documents: the YAML parser keeps
 * a node per value and is ~20× slower). The offset index is built by one scan on the first call,
 * so documents nobody asks a position of cost nothing extra.
 */
export function jsonLocator(text: string): (pointer: string) => SourcePosition {
  let root: Container | number | undefined;
  let positionOf: ((offset: number) => SourcePosition) | undefined;
  return (pointer) => {
    root ??= scan(text);
    let node: Container | number = root;
    let offset = typeof root === 'number' ? root : root.offset;
    for (const segment of splitPointer(pointer)) {
      if (typeof node === 'number') break;
      if (node.keys) {
        const entry = node.keys.get(segment);
        if (!entry) break;
        offset = entry[0];
        node = entry[1];
      } else if (node.items) {
        const item = node.items[Number(segment)];
        if (item === undefined) break;
        offset = typeof item === 'number' ? item : item.offset;
        node = item;
      } else break;
    }
    positionOf ??= lineIndex(text);
    return positionOf(offset);
  };
}

/**
 * Pointer segments → 0-based offset of the node Redocly's `getAstNodeByPointer` finds in the same JSON text
 * (load/redocly-positions.ts): the value's first character, or with `onKey` the key naming it; a
 * pointer that runs out stops at the last node it reached, as Redocly's walk does. Built on the same
 * one-pass scan, so a 13 MB document needs no YAML AST (~1 s and several hundred MB there).
 */
export function jsonNodeOffsets(text: string): (segments: readonly string[], onKey: boolean) => number {
  let root: Container | number | undefined;
  return (segments, onKey) => {
    root ??= scan(text);
    let node: Container | number = root;
    let keyOffset: number | undefined;
    for (const segment of segments) {
      if (typeof node === 'number') continue;
      if (node.keys) {
        const entry = node.keys.get(segment);
        if (!entry) break;
        [keyOffset, node] = entry;
      } else if (node.items) {
        const item = node.items[Number.parseInt(segment, 10)];
        if (item === undefined) break;
        node = item;
        keyOffset = undefined;
      }
    }
    if (onKey && keyOffset !== undefined) return keyOffset;
    return typeof node === 'number' ? node : node.offset;
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

/** One pass over valid JSON (JSON.parse accepted it), recording where every key and item starts. */
function scan(text: string): Container | number {
  let pos = 0;
  const ws = () => {
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 10 || c === 13 || c === 9) pos++;
      else return;
    }
  };
  const string = (): string => {
    const start = ++pos;
    let escaped = false;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 92) {
        escaped = true;
        pos += 2;
      } else if (c === 34) break;
      else pos++;
    }
    const raw = text.slice(start, pos);
    pos++;
    return escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
  };
  const value = (): Container | number => {
    ws();
    const offset = pos;
    const c = text.charCodeAt(pos);
    if (c === 123) {
      pos++;
      const keys = new Map<string, [number, Container | number]>();
      ws();
      if (text.charCodeAt(pos) === 125) {
        pos++;
        return { offset, keys };
      }
      for (;;) {
        ws();
        const keyOffset = pos;
        const key = string();
        ws();
        pos++; // ':'
        keys.set(key, [keyOffset, value()]);
        ws();
        if (text.charCodeAt(pos++) === 125) return { offset, keys };
      }
    }
    if (c === 91) {
      pos++;
      const items: (Container | number)[] = [];
      ws();
      if (text.charCodeAt(pos) === 93) {
        pos++;
        return { offset, items };
      }
      for (;;) {
        items.push(value());
        ws();
        if (text.charCodeAt(pos++) === 93) return { offset, items };
      }
    }
    if (c === 34) {
      string();
      return offset;
    }
    for (; pos < text.length; pos++) {
      const d = text.charCodeAt(pos);
      if (d === 44 || d === 125 || d === 93 || d === 32 || d === 10 || d === 13 || d === 9) break;
    }
    return offset;
  };
  return value();
}
