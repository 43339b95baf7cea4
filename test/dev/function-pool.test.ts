/**
 * The execution environments of `evtgen dev` (function-pool.ts, function-worker.ts), with small real
 * handler bundles (ES modules written to a temporary folder) run in the pool's worker threads:
 * results cross as JSON, errors as Lambda reports them, a timeout or a crash discards the
 * environment (module state with it), concurrency is bounded by `maxInstances`, the handler sees only
 * its own environment variables and a Lambda context, a reload switches the code, failure injection
 * fails before or after the handler ran, and what the handler prints reaches `onOutput`.
 *
 * The pool runs dist/generator/dev/function-worker.js when run from sources: `npm run build` first.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FunctionCode, FunctionPoolOptions } from '../../generator/dev/function-pool.js';
import { FunctionPool } from '../../generator/dev/function-pool.js';
import type { InvokeResult } from '../../generator/dev/function-protocol.js';

/** One handler, told by the event what to do; `count` is module state (one per environment). */
const handlerSource = (version: string) => `
import { writeFileSync } from 'node:fs';
let count = 0;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const handler = async (event, context) => {
  count++;
  switch (event.action) {
    case 'echo': return { event, count, version: '${version}' };
    case 'nothing': return undefined;
    case 'json': return { when: new Date(0), skipped: undefined, fn: () => 1, list: [1, undefined] };
    case 'throw': throw new TypeError('bad input: ' + event.why);
    case 'throw-string': throw 'not an Error';
    case 'sleep': {
      const start = Date.now();
      await sleep(event.ms);
      return { start, end: Date.now(), count, version: '${version}' };
    }
    case 'env': return { ...process.env };
    case 'context': return {
      remaining: context.getRemainingTimeInMillis(),
      functionName: context.functionName,
      functionVersion: context.functionVersion,
      invokedFunctionArn: context.invokedFunctionArn,
      memoryLimitInMB: context.memoryLimitInMB,
      awsRequestId: context.awsRequestId,
      logGroupName: context.logGroupName,
      logStreamName: context.logStreamName,
    };
    case 'crash':
      setTimeout(() => { throw new RangeError('crashed outside the handler'); }, 10);
      return new Promise(() => {});
    case 'exit':
      process.exit(event.code);
    case 'marker':
      writeFileSync(event.path, 'the handler ran');
      return 'wrote the marker';
    case 'print':
      console.log('first line from the handler');
      console.log(JSON.stringify({ level: 'INFO', message: 'a log line' }));
      console.error('an error line');
      process.stdout.write('two lines\\nin one write\\n');
      return 'printed';
    default: throw new Error('unknown action ' + event.action);
  }
};
`;

let dir: string;
let v1: string;
let v2: string;
let broken: string;
let exitsOnLoad: string;
const pools: FunctionPool[] = [];
const parentOnly = 'EVTGEN_TEST_PARENT_ONLY';

beforeAll(async () => {
  const worker = join(process.cwd(), 'dist', 'generator', 'dev', 'function-worker.js');
  if (!existsSync(worker)) throw new Error(`${worker} is missing: run npm run build first`);
  dir = await mkdtemp(join(tmpdir(), 'evtgen-function-pool-'));
  [v1, v2, broken, exitsOnLoad] = ['v1.mjs', 'v2.mjs', 'broken.mjs', 'exits.mjs'].map((name) =>
    join(dir, name),
  ) as [string, string, string, string];
  await writeFile(v1, handlerSource('v1'));
  await writeFile(v2, handlerSource('v2'));
  await writeFile(broken, "throw new Error('init failed');\nexport const handler = async () => 'never';\n");
  await writeFile(exitsOnLoad, "process.exit(2);\nexport const handler = async () => 'never';\n");
  process.env[parentOnly] = 'must not leak into functions';
});

afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});

afterAll(async () => {
  delete process.env[parentOnly];
  if (dir) await rm(dir, { recursive: true, force: true });
});

const environment = { AWS_REGION: 'us-east-1', ORDERS_TABLE_NAME: 'orders-table', TZ: ':UTC' };

function pool(options: Partial<FunctionPoolOptions> = {}, code: Partial<FunctionCode> = {}): FunctionPool {
  const created = new FunctionPool(
    {
      name: 'fulfilment',
      functionName: 'OrdersService-Fulfilment',
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:OrdersService-Fulfilment',
      handlerExport: 'handler',
      timeoutSeconds: 5,
      memorySize: 256,
      maxInstances: 1,
      onOutput: () => undefined,
      ...options,
    },
    { bundlePath: v1, environment, ...code },
  );
  pools.push(created);
  return created;
}

function resultOf(outcome: InvokeResult): unknown {
  if (!outcome.ok) throw new Error(`the invocation failed: ${outcome.errorType}: ${outcome.errorMessage}`);
  return outcome.result;
}

describe('results and errors', () => {
  it('returns the JSON of the result, with a request id and duration', async () => {
    const fn = pool();
    const outcome = await fn.invoke({ action: 'echo', order: { id: 'o-1', items: [1, 2] } });
    expect(outcome).toEqual({
      ok: true,
      result: { event: { action: 'echo', order: { id: 'o-1', items: [1, 2] } }, count: 1, version: 'v1' },
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      durationMs: expect.any(Number),
    });
    expect(fn.name).toBe('fulfilment');
  });

  it('turns undefined into null and serializes as JSON.stringify does', async () => {
    const fn = pool();
    expect(resultOf(await fn.invoke({ action: 'nothing' }))).toBeNull();
    expect(resultOf(await fn.invoke({ action: 'json' }))).toEqual({
      when: '1970-01-01T00:00:00.000Z',
      list: [1, null],
    });
  });

  it("reports a thrown error as Lambda does (errorType is the error's name)", async () => {
    const fn = pool();
    const outcome = await fn.invoke({ action: 'throw', why: 'no order id' });
    expect(outcome).toEqual({
      ok: false,
      errorType: 'TypeError',
      errorMessage: 'bad input: no order id',
      requestId: expect.any(String),
      durationMs: expect.any(Number),
    });
    expect(await fn.invoke({ action: 'throw-string' })).toMatchObject({
      ok: false,
      errorType: 'Error',
      errorMessage: 'not an Error',
    });
    // An error is not a crash: the environment (and its module state) stays.
    expect(resultOf(await fn.invoke({ action: 'echo' }))).toMatchObject({ count: 3 });
  });

  it('fails every invocation of a bundle whose module throws while loading, or lacks the export', async () => {
    expect(await pool({}, { bundlePath: broken }).invoke({})).toMatchObject({
      ok: false,
      errorMessage: 'init failed',
    });
    expect(await pool({ handlerExport: 'main' }).invoke({ action: 'echo' })).toMatchObject({
      ok: false,
      errorMessage: `${v1} does not export a function named main`,
    });
  });
});

describe('timeouts and crashes', () => {
  it("fails a timed-out invocation with Sandbox.Timedout after the function's timeout", async () => {
    const fn = pool({ timeoutSeconds: 0.5 });
    const outcome = await fn.invoke({ action: 'sleep', ms: 5000 });
    expect(outcome).toMatchObject({
      ok: false,
      errorType: 'Sandbox.Timedout',
      errorMessage: 'Task timed out after 0.50 seconds',
    });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(490);
    expect(outcome.durationMs).toBeLessThan(2000);
  });

  it('runs the invocation after a timeout in a fresh environment (module state reset)', async () => {
    const fn = pool({ timeoutSeconds: 0.5 });
    expect(resultOf(await fn.invoke({ action: 'echo' }))).toMatchObject({ count: 1 });
    expect(resultOf(await fn.invoke({ action: 'echo' }))).toMatchObject({ count: 2 });
    expect(await fn.invoke({ action: 'sleep', ms: 5000 })).toMatchObject({ errorType: 'Sandbox.Timedout' });
    expect(resultOf(await fn.invoke({ action: 'echo' }))).toMatchObject({ count: 1 });
  });

  it('fails the invocation in flight when its environment crashes, and serves the next in a new one', async () => {
    const fn = pool();
    expect(resultOf(await fn.invoke({ action: 'echo' }))).toMatchObject({ count: 1 });
    const crashed = await fn.invoke({ action: 'crash' });
    expect(crashed).toMatchObject({
      ok: false,
      errorType: 'RangeError',
      errorMessage: 'crashed outside the handler',
    });
    expect(crashed.durationMs).toBeLessThan(4000);
    expect(resultOf(await fn.invoke({ action: 'echo' }))).toMatchObject({ count: 1 });
  });

  it('fails the invocation at once when the handler exits its environment (Runtime.ExitError)', async () => {
    const fn = pool({ timeoutSeconds: 10 });
    expect(resultOf(await fn.invoke({ action: 'echo' }))).toMatchObject({ count: 1 });
    const exited = await fn.invoke({ action: 'exit', code: 3 });
    expect(exited).toMatchObject({
      ok: false,
      errorType: 'Runtime.ExitError',
      errorMessage: 'Runtime exited with error: exit status 3',
    });
    expect(exited.durationMs).toBeLessThan(4000);
    expect(resultOf(await fn.invoke({ action: 'echo' }))).toMatchObject({ count: 1 });
  });

  it('refuses the invocation, instead of waiting forever, when the environment exits while loading', async () => {
    await expect(pool({}, { bundlePath: exitsOnLoad }).invoke({})).rejects.toThrow(
      'fulfilment: the environment exited while starting (exit status 2)',
    );
  });

  it('fails busy invocations at once when the pool closes, and refuses new ones', async () => {
    const fn = pool({ timeoutSeconds: 30 });
    const busy = fn.invoke({ action: 'sleep', ms: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    await fn.close();
    expect(await busy).toMatchObject({ ok: false, errorMessage: 'fulfilment: evtgen dev is stopping' });
    expect(Date.now() - started).toBeLessThan(4000);
    await expect(fn.invoke({ action: 'echo' })).rejects.toThrow('fulfilment: evtgen dev is stopping');
  });
});

describe('concurrency', () => {
  it('runs at most maxInstances invocations at once, queueing the rest', async () => {
    const fn = pool({ maxInstances: 2 });
    const started = Date.now();
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => fn.invoke({ action: 'sleep', ms: 300 })),
    );
    const spans = outcomes.map((o) => resultOf(o) as { start: number; end: number; count: number });
    const overlapAt = (t: number) => spans.filter((s) => s.start <= t && t < s.end).length;
    const most = Math.max(...spans.map((s) => overlapAt(s.start)));
    expect(most).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    // Two environments served the five: warm ones were reused (counts 1 and 2 and 3 across them).
    expect(spans.map((s) => s.count).sort()).toEqual([1, 1, 2, 2, 3]);
  });
});

describe("the function's environment and context", () => {
  it("gives the handler exactly the function's variables, none of the parent's", async () => {
    expect(process.env[parentOnly]).toBeDefined();
    const env = resultOf(await pool().invoke({ action: 'env' })) as Record<string, string>;
    expect(env).toEqual(environment);
    expect(env).not.toHaveProperty(parentOnly);
  });

  it("passes a Lambda context: remaining time within the function's timeout, names and ids", async () => {
    const fn = pool({ timeoutSeconds: 3 });
    const outcome = await fn.invoke({ action: 'context' });
    const context = resultOf(outcome) as Record<string, unknown>;
    expect(context.remaining).toBeGreaterThan(2000);
    expect(context.remaining).toBeLessThanOrEqual(3000);
    expect(context).toMatchObject({
      functionName: 'OrdersService-Fulfilment',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:OrdersService-Fulfilment',
      memoryLimitInMB: '256',
      awsRequestId: outcome.requestId,
      logGroupName: '/aws/lambda/OrdersService-Fulfilment',
      logStreamName: expect.stringMatching(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/),
    });
  });
});

describe('reload', () => {
  it('makes later invocations use the new bundle and environment', async () => {
    const fn = pool();
    expect(resultOf(await fn.invoke({ action: 'echo' }))).toMatchObject({ version: 'v1', count: 1 });
    fn.reload({ bundlePath: v2, environment: { ...environment, ORDERS_TABLE_NAME: 'orders-table-2' } });
    expect(resultOf(await fn.invoke({ action: 'echo' }))).toMatchObject({ version: 'v2', count: 1 });
    expect(resultOf(await fn.invoke({ action: 'env' }))).toMatchObject({
      ORDERS_TABLE_NAME: 'orders-table-2',
    });
  });

  it('lets a busy environment finish its invocation with the old code', async () => {
    const fn = pool({ maxInstances: 1 });
    const busy = fn.invoke({ action: 'sleep', ms: 300 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    fn.reload({ bundlePath: v2, environment });
    const after = fn.invoke({ action: 'echo' });
    expect(resultOf(await busy)).toMatchObject({ version: 'v1' });
    expect(resultOf(await after)).toMatchObject({ version: 'v2', count: 1 });
  });
});

describe('failure injection', () => {
  it("fails before the handler runs with 'before' (the handler's marker is never written)", async () => {
    const marker = join(dir, 'before.marker');
    const fn = pool({ failureInjection: { rate: 1, where: 'before' } });
    const outcome = await fn.invoke({ action: 'marker', path: marker });
    expect(outcome).toMatchObject({
      ok: false,
      errorType: 'InjectedFailure',
      errorMessage: expect.stringContaining('Failure injected by evtgen dev'),
    });
    expect(existsSync(marker)).toBe(false);
  });

  it("fails after the handler did its work with 'after' (the marker is written)", async () => {
    const marker = join(dir, 'after.marker');
    const fn = pool({ failureInjection: { rate: 1, where: 'after' } });
    expect(await fn.invoke({ action: 'marker', path: marker })).toMatchObject({
      ok: false,
      errorType: 'InjectedFailure',
    });
    expect(existsSync(marker)).toBe(true);
  });

  it('fails the fraction drawn below the rate, and no invocation at rate 0', async () => {
    const draws = [0.1, 0.5, 0.29, 0.3];
    const fn = pool({ failureInjection: { rate: 0.3, where: 'before' }, random: () => draws.shift() ?? 1 });
    const outcomes = [];
    for (let i = 0; i < 4; i++) outcomes.push((await fn.invoke({ action: 'echo' })).ok);
    expect(outcomes).toEqual([false, true, false, true]);
    const never = pool({ failureInjection: { rate: 0, where: 'after' } });
    for (let i = 0; i < 3; i++) expect((await never.invoke({ action: 'echo' })).ok).toBe(true);
  });
});

describe('output', () => {
  it('hands every line the handler writes (stdout and stderr) to onOutput', async () => {
    const lines: string[] = [];
    const fn = pool({ onOutput: (line) => lines.push(line) });
    expect(resultOf(await fn.invoke({ action: 'print' }))).toBe('printed');
    await vi.waitFor(() => expect(lines).toHaveLength(5), { timeout: 2000 });
    expect(lines).toEqual(
      expect.arrayContaining([
        'first line from the handler',
        '{"level":"INFO","message":"a log line"}',
        'an error line',
        'two lines',
        'in one write',
      ]),
    );
    expect(lines.indexOf('two lines')).toBeLessThan(lines.indexOf('in one write'));
  });
});
