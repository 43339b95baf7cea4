/**
 * collectGarbage (generator/collect-garbage.ts) frees what has become garbage in a large heap at
 * once, and does nothing in a small one.
 */
import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../generator/collect-garbage.js';

const usedMb = () => getHeapStatistics().used_heap_size / 1024 / 1024;

describe('collectGarbage', () => {
  it('frees the garbage of a large heap at once', () => {
    // ~320 MB of small objects in the old generation (held while they are made, so they survive).
    let garbage: { readonly n: number; readonly s: string }[][] | undefined = Array.from(
      { length: 40 },
      (_, i) => Array.from({ length: 200_000 }, (_, j) => ({ n: i * j, s: `${i}-${j}` })),
    );
    const before = usedMb();
    expect(before).toBeGreaterThan(256);
    expect(garbage.length).toBe(40);
    garbage = undefined;
    collectGarbage();
    expect(usedMb()).toBeLessThan(before - 200);
  });
});
