import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { jsonLocator, jsonNodeOffsets, lazyOffsets } from '../../generator/load/json-locate.js';
import { encodePointerSegment } from '../../generator/load/json-pointer.js';

// The index of the whole document, as json-locate.ts built it before it read containers lazily:
// the reference the lazy lookups are compared with.

/** A container of the offset index: objects map keys to [key offset, child], arrays list children. */
interface Container {
  readonly keys?: Map<string, [number, Container | number]>;
  readonly items?: (Container | number)[];
  readonly offset: number;
}

/**
 * The offset `jsonLocator` gives for a pointer, from the whole index: the key naming the last value
 * it reaches in an object, or that value itself in an array; a pointer that runs out stops at the
 * last node it reached.
 */
function indexedOffset(root: Container | number, segments: readonly string[]): number {
  let node: Container | number = root;
  let offset = typeof root === 'number' ? root : root.offset;
  for (const segment of segments) {
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
  return offset;
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

// jsonLocator indexes a document one container at a time, as lookups reach them (`lazyOffsets`); it
// must give the offset the index of the whole document gives (`scan`, `indexedOffset`) for every
// pointer, including those that run out, whether a container is read for it or was read before.

/** Every pointer to a value of `value`, as segments, and a few that lead nowhere from each. */
function pointers(value: unknown, at: string[] = [], into: string[][] = []): string[][] {
  into.push(at);
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) pointers(item, [...at, String(i)], into);
    for (const wrong of [String(value.length), '-1', '01', '1.5', '', 'x', '1e0'])
      into.push([...at, wrong, 'deeper']);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) pointers(child, [...at, key], into);
    into.push([...at, 'no such key'], [...at, '']);
  } else into.push([...at, 'through a primitive']);
  return into;
}

const tricky = `
  {"a" :{ "b":[ 1, {"c": "x\\"}{[y"}, [ ] , {} ,"\\\\"],
  "dup": {"k": 1}, "esc\\"aped": true, "u\\u0041": null, "~/": -1.5e3,
  "dup": {"k": [2, 3]},
  "": {"": "empty key"},
  "deep": [[[[{"z": "\\\\\\""}]]]]
  }, "tail": "done" }
`;

function sameEitherWay(text: string, segments: readonly (readonly string[])[], eachAfresh = true): void {
  const root = scan(text);
  const indexed = segments.map((s) => indexedOffset(root, s));
  // One lazy index for every lookup (containers read by earlier lookups reused) …
  const shared = lazyOffsets(text);
  expect(segments.map((s) => shared(s))).toEqual(indexed);
  // … and a new one for each (every container on the way read for it).
  if (eachAfresh) expect(segments.map((s) => lazyOffsets(text)(s))).toEqual(indexed);
}

/**
 * What jsonNodeOffsets gave from the index of the whole document (its implementation before it read
 * containers lazily): the offsets Redocly's positions are made of.
 */
function nodeOffsetFromIndex(root: Container | number, segments: readonly string[], onKey: boolean): number {
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
}

describe('json-locate', () => {
  it('finds every pointer of a document with escapes, duplicate keys and empty containers as the index does', () => {
    const all = pointers(JSON.parse(tricky));
    expect(all.length).toBeGreaterThan(30);
    sameEitherWay(tricky, all);
  });

  it('takes the last of a key written twice, as JSON.parse does', () => {
    const text = '{"k": 1, "k": 2}';
    expect(lazyOffsets(text)(['k'])).toBe(text.lastIndexOf('"k"'));
    expect(indexedOffset(scan(text), ['k'])).toBe(text.lastIndexOf('"k"'));
  });

  it('finds every pointer of the repository’s JSON specs as the index does', () => {
    for (const file of [
      'specs/registry/com.example.orders@OrderPlaced.json',
      'specs/external/com.example.shipping@ShipmentDispatched.json',
      'test/check/fixtures/sarif-2.1.0.subset.schema.json',
    ]) {
      const text = readFileSync(file, 'utf8');
      sameEitherWay(text, pointers(JSON.parse(text)));
    }
  });

  it("finds a sample of GitHub's REST API description's pointers as the index does", () => {
    const require = createRequire(import.meta.url);
    const text = readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8');
    const all = pointers(JSON.parse(text));
    // Every 20,000th pointer (a lookup of a 13 MB text reads up to all of it).
    const sample = all.filter((_, i) => i % 20_000 === 7);
    expect(sample.length).toBeGreaterThan(30);
    sameEitherWay(text, sample, false);
  });

  it('gives lines and columns', () => {
    const locate = jsonLocator(tricky);
    expect(locate('/a/b/1/c')).toEqual({ line: 2, column: 21 });
    expect(locate('')).toEqual({ line: 2, column: 3 });
    expect(locate('/tail')).toEqual({ line: 7, column: 6 });
    // A pointer's escapes: the key "~/" of /a.
    const line3 = tricky.split('\n')[2] as string;
    expect(locate(`/a/${encodePointerSegment('~/')}`)).toEqual({
      line: 3,
      column: line3.indexOf('"~/"') + 1,
    });
  });

  it("finds Redocly's nodes (jsonNodeOffsets) where the whole index found them, on keys and values", () => {
    for (const text of [tricky, readFileSync('test/check/fixtures/sarif-2.1.0.subset.schema.json', 'utf8')]) {
      const all = pointers(JSON.parse(text));
      const root = scan(text);
      for (const onKey of [false, true]) {
        const lazy = jsonNodeOffsets(text);
        expect(all.map((s) => lazy(s, onKey))).toEqual(all.map((s) => nodeOffsetFromIndex(root, s, onKey)));
      }
    }
  });

  it('skips strings of many MB and of many escapes whole (no regular expression over a string)', () => {
    const text = JSON.stringify({
      a: { big: `${'x'.repeat(20_000_000)}"`, escapes: '"\\'.repeat(2_000_000), after: 1 },
      b: 2,
    });
    const locate = jsonLocator(text);
    expect(locate('/b')).toEqual({ line: 1, column: text.lastIndexOf('"b"') + 1 });
    expect(locate('/a/after')).toEqual({ line: 1, column: text.lastIndexOf('"after"') + 1 });
  });
});
