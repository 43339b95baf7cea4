import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { indexedOffset, jsonLocator, offsetAlong, scan } from '../../generator/load/json-locate.js';
import { encodePointerSegment } from '../../generator/load/json-pointer.js';

// jsonLocator answers its first lookups by following the pointer through the text (`offsetAlong`)
// and the later ones from an index of the whole document (`scan`, `indexedOffset`): both must give
// the same offset for every pointer, including those that run out.

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

function sameEitherWay(text: string, segments: readonly (readonly string[])[]): void {
  const root = scan(text);
  const along = segments.map((s) => offsetAlong(text, s));
  const indexed = segments.map((s) => indexedOffset(root, s));
  expect(along).toEqual(indexed);
}

describe('json-locate', () => {
  it('finds every pointer of a document with escapes, duplicate keys and empty containers as the index does', () => {
    const all = pointers(JSON.parse(tricky));
    expect(all.length).toBeGreaterThan(30);
    sameEitherWay(tricky, all);
  });

  it('takes the last of a key written twice, as JSON.parse does', () => {
    const text = '{"k": 1, "k": 2}';
    expect(offsetAlong(text, ['k'])).toBe(text.lastIndexOf('"k"'));
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
    sameEitherWay(text, sample);
  });

  it('gives the same line and column before and after it builds the index', () => {
    const all = pointers(JSON.parse(tricky)).map((s) =>
      s.length === 0 ? '' : `/${s.map(encodePointerSegment).join('/')}`,
    );
    const fresh = all.map((p) => jsonLocator(tricky)(p));
    const reused = jsonLocator(tricky);
    // The same locator for every lookup: the first few follow the pointer, the rest use the index.
    expect(all.map((p) => reused(p))).toEqual(fresh);
    expect(jsonLocator(tricky)('/a/b/1/c')).toEqual({ line: 2, column: 21 });
    expect(reused('/a/b/1/c')).toEqual({ line: 2, column: 21 });
  });
});
