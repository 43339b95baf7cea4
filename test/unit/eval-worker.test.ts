import { describe, expect, it } from 'vitest';
import { EvalWorker, keepWorkersLoaded } from '../../generator/eval-worker.js';

// Each request is answered with the id of the thread that answered it: a new thread means the
// worker was stopped and started again.
const threadSource = `
const { parentPort, threadId } = require('node:worker_threads');
parentPort.on('message', ({ id, fail }) => {
  if (fail) parentPort.postMessage({ id, error: 'asked to fail' });
  else parentPort.postMessage({ id, result: threadId });
});
`;

const worker = (stopWhenIdle: boolean) =>
  new EvalWorker<{ fail?: boolean }, number>(threadSource, () => undefined, { stopWhenIdle });

describe('EvalWorker', () => {
  it('keeps a worker loaded between requests by default', async () => {
    const w = worker(false);
    const first = await w.request({});
    expect(await w.request({})).toBe(first);
  });

  it('stops a once-per-run worker when it has answered everything, and starts it again when asked', async () => {
    const w = worker(true);
    const thread = w.start();
    const exited = new Promise<number>((resolve) => thread.once('exit', resolve));
    const [a, b] = await Promise.all([w.request({}), w.request({})]);
    // Both answered by the same thread: it was not stopped while a request was outstanding.
    expect(a).toBe(b);
    await exited;
    expect(await w.request({})).not.toBe(a);
  });

  it('rejects a request the worker refuses, and still stops it afterwards', async () => {
    const w = worker(true);
    const thread = w.start();
    const exited = new Promise<number>((resolve) => thread.once('exit', resolve));
    await expect(w.request({ fail: true })).rejects.toThrow('asked to fail');
    await exited;
  });

  it("runs its worker with a small young generation (V8's default grows it to 32 MB of new space)", async () => {
    // Garbage enough for V8 to grow the new space to its limit, then the new space's size.
    const source = `
const { parentPort } = require('node:worker_threads');
const { getHeapSpaceStatistics } = require('node:v8');
parentPort.on('message', ({ id }) => {
  let kept = [];
  for (let i = 0; i < 2e6; i++) {
    kept.push({ i });
    if (kept.length > 1e5) kept = [];
  }
  const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  parentPort.postMessage({ id, result: space.space_size });
});
`;
    const w = new EvalWorker<object, number>(source, () => undefined, { stopWhenIdle: true });
    expect(await w.request({})).toBeLessThanOrEqual(8 * 1024 * 1024);
  });

  // Last: keepWorkersLoaded is for the rest of the process (this file's).
  it('keeps even a once-per-run worker loaded in a long-running command', async () => {
    keepWorkersLoaded();
    const w = worker(true);
    const first = await w.request({});
    expect(await w.request({})).toBe(first);
  });
});
