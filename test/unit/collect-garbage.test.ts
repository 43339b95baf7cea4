/**
 * collectGarbage (generator/collect-garbage.ts) frees what has become garbage in a large heap at
 * once, and does nothing in a small one; heapGrowthBound collects when the heap has grown its
 * headroom past what the last collection left, and never again and again when the live data alone
 * is past its minimum.
 */
import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { collectGarbage, heapGrowthBound } from '../../generator/collect-garbage.js';

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

describe('heapGrowthBound', () => {
  /** A heap of `used` MB, which a collection brings down to `live` MB; counts the collections. */
  function fakeHeap(live: number) {
    const heap = { used: 0, live, collections: 0 };
    const check = heapGrowthBound(
      192,
      96,
      () => heap.used,
      () => {
        heap.collections++;
        heap.used = heap.live;
      },
    );
    return { heap, check };
  }

  it('does nothing while the heap is under its minimum', () => {
    const { heap, check } = fakeHeap(50);
    for (const used of [10, 100, 150, 192]) {
      heap.used = used;
      check();
    }
    expect(heap.collections).toBe(0);
  });

  it('collects past the minimum, then only once the heap has grown the headroom again', () => {
    const { heap, check } = fakeHeap(120);
    heap.used = 193;
    check();
    expect(heap.collections).toBe(1);
    expect(heap.used).toBe(120);
    // After the collection the floor is 120: the minimum (192) still rules up to it.
    heap.used = 192;
    check();
    expect(heap.collections).toBe(1);
    heap.live = 150;
    heap.used = 230;
    check();
    expect(heap.collections).toBe(2);
    // Floor 150: nothing until 246.
    for (const used of [200, 240, 246]) {
      heap.used = used;
      check();
    }
    expect(heap.collections).toBe(2);
    heap.used = 247;
    check();
    expect(heap.collections).toBe(3);
  });

  it('does not collect at every check when what is live is past the minimum', () => {
    const { heap, check } = fakeHeap(300);
    for (let i = 0; i < 100; i++) {
      heap.used = 300 + (i % 50);
      check();
    }
    // One collection (the first check, 300 > 192): 300 + 49 stays within the 96 of headroom.
    expect(heap.collections).toBe(1);
  });
});
