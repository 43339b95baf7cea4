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
  if (getHeapStatistics().used_heap_size < worthCollecting) return;
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

let gc: (() => void) | undefined;

/**
 * Below this heap size (256 MB; a caller may say less) a collection would not change the peak
 * enough to be worth it.
 */
const WORTH_COLLECTING = 256 * 1024 * 1024;
