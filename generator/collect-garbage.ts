import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection at a point where a large amount of memory has just become garbage, when
 * the heap is large.
 *
 * Why: V8 collects the old generation only when it nears a limit that grows with the heap, so what a
 * stage leaves behind stays resident while the next one allocates. On GitHub's REST API description
 * ajv's instances (every compiled schema and its code) were still in the heap while the validators
 * were bundled and split, and the peak came there: ~540 MB of heap of which ~170 MB live. One full
 * collection of a heap that size takes 50–80 ms here.
 *
 * How: `--expose-gc` set at run time applies to contexts created afterwards, so the `gc` function
 * comes from a new context; it collects the whole isolate's heap.
 */
export function collectGarbage(worthCollecting = WORTH_COLLECTING): void {
  if (usedHeap() < worthCollecting) return;
  fullCollection();
}

let gc: (() => void) | undefined;

const MB = 1024 * 1024;

function fullCollection(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

function usedHeap(): number {
  return getHeapStatistics().used_heap_size;
}

/**
 * For a long stage that makes much short-lived garbage while its own data grows: a check, called
 * often, that collects whenever the heap has grown `headroom` past what the last collection left
 * (and is past `minimum`).
 *
 * Why: ajv's compile of GitHub's REST API description leaves garbage in the old generation, and V8
 * lets the heap grow to about twice what is live before it collects: the main thread's heap ended
 * the compile at 247–298 MB with ~150 MB live (242–266 MB bounded this way, with one or two
 * collections of ~50–80 ms). The run's peak RSS comes there when the OpenAPI worker has typed the
 * document meanwhile: 502–597 MB over 24 runs without the bound (9 at 550 MB or more; 600.4 MB in
 * another series), 493–574 MB over 24 with it (6), median time 7.28 s against 7.25 s
 * (docs/performance.md, tenth pass). It lowers that peak; it does not remove it: the worker's heap,
 * alive until the main thread is free to take its answer, is the other half.
 *
 * Why relative to the last collection, not a fixed ceiling: a heap whose live data is past the
 * ceiling would be collected at every check (a fixed 192 MB made GitHub's run take 30 s).
 */
export function heapGrowthBound(
  minimum = 192 * MB,
  headroom = 96 * MB,
  measure: () => number = usedHeap,
  collect: () => void = fullCollection,
): () => void {
  let floor = 0;
  return () => {
    if (measure() <= Math.max(minimum, floor + headroom)) return;
    collect();
    floor = measure();
  };
}

/**
 * Below this heap size (256 MB; a caller may say less) a collection would not change the peak
 * enough to be worth it.
 */
const WORTH_COLLECTING = 256 * 1024 * 1024;
