/**
 * `evtgen dlq` as an on-call engineer runs it — the built CLI against a real `evtgen dev` of the
 * example (moto's server, the example's handlers) — on a consumer that fails until it is fixed:
 * - fulfilment's handler throws while a marker file exists (the test's stand-in for a dependency
 *   that is down; the handler in the copy checks the file, nothing else is changed), so each event
 *   fails every receive and the runtime dead-letters it on its last one, with the error;
 * - two events were *partly processed* first: their work done, then the invocation failed as a
 *   whole (evtgen dev's injected failure after the handler), so SQS's redrive moved them without a
 *   reason, and their stock is already reserved;
 * - `list` shows the queue's depth and age, `show` each event's reason; after the fix, `redrive`
 *   replays them: every event's stock is reserved exactly once (idempotency skips the two partly
 *   processed ones), and the DLQ is empty;
 * - an event the current contract rejects is refused without `--force`, and left in place.
 */
import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AttributeValue, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventCatalog } from '../../generated/catalog.js';
import type { DevStatus } from '../../generator/dev/dev-status.js';
import { emulatorCredentials } from '../../generator/dev/lambda-env.js';
import type { DeadLetter } from '../../generator/dlq/decode.js';
import type { ConsumerDeadLetters, QueueSummary } from '../../generator/dlq/inspect.js';
import type { RedriveResult } from '../../generator/dlq/redrive.js';
import { orderPlacedDetail, validOrderRequest } from '../handlers/events.js';
import { type DevProcess, exampleAppProject, setDevFaults, startDevProcess } from '../helpers/dev-process.js';
import { eventually } from '../helpers/eventually.js';
import { repoRoot } from '../helpers/project.js';

let dev: DevProcess;
let sqs: SQSClient;
let dynamo: DynamoDBClient;
let ordersTable: string;
let marker: string;

beforeAll(async () => {
  const dir = await exampleAppProject('dlq-');
  marker = join(dir, '.fulfilment-is-down');
  // The copy's fulfilment handler fails while the marker exists, before doing any work.
  const handler = join(dir, 'app', 'handlers', 'consumers', 'fulfilment.ts');
  const source = await readFile(handler, 'utf8');
  const failing = source
    .replace(
      'import { fulfilmentConsumer }',
      "import { existsSync } from 'node:fs';\nimport { fulfilmentConsumer }",
    )
    .replace(
      '  async OrderPlaced(event, { logger }) {\n',
      `  async OrderPlaced(event, { logger }) {\n    if (existsSync(${JSON.stringify(marker)})) throw new Error('warehouse API down');\n`,
    );
  if (failing.split('warehouse API down').length !== 2)
    throw new Error(`${handler} changed: the test cannot make it fail`);
  await writeFile(handler, failing, 'utf8');
  dev = await startDevProcess(dir, ['--no-watch', '--retry-delay', '1']);
  const config = { endpoint: dev.state.endpoint, region: dev.state.region, credentials: emulatorCredentials };
  sqs = new SQSClient(config);
  dynamo = new DynamoDBClient(config);
  const status = await readStatus();
  ordersTable =
    Object.entries(status.resources.tables).find(([id]) => id.startsWith('OrdersTable'))?.[1] ?? '';
}, 300_000);

afterAll(async () => {
  sqs?.destroy();
  dynamo?.destroy();
  await dev?.stop();
  if (dev) await rm(dev.dir, { recursive: true, force: true });
});

function dlq(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'bin', 'run.js'), 'dlq', ...args],
      { cwd: dev.dir, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** `evtgen dlq ARGS` under a pseudo-terminal (util-linux `script`), typing `input`. */
function onTerminal(args: readonly string[], input: string): Promise<{ code: number; output: string }> {
  const command = [process.execPath, join(repoRoot, 'bin', 'run.js'), 'dlq', ...args]
    .map((a) => `'${a}'`)
    .join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: dev.dir,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // Answer once the question is on screen.
      if (output.includes('[y/N]') && child.stdin.writable) child.stdin.end(input);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

async function json<T>(args: readonly string[]): Promise<T> {
  const run = await dlq([...args, '--json']);
  if (run.code !== 0) throw new Error(`evtgen dlq ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

async function readStatus(): Promise<DevStatus> {
  return (await (await fetch(dev.state.status)).json()) as DevStatus;
}

function fulfilmentDlq(status: DevStatus): DevStatus['deadLetterQueues'][number] {
  const queue = status.deadLetterQueues.find(
    (q) => q.consumers.includes('fulfilment') && q.hops.includes('queue-redrive'),
  );
  if (!queue) throw new Error('no fulfilment DLQ');
  return queue;
}

/** Places an order of `quantity` of a SKU of its own; returns the SKU and the correlation id. */
async function placeOrder(quantity: number): Promise<{ sku: string; correlationId: string }> {
  const sku = `DLQ-${randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}`;
  const correlationId = randomUUID();
  const response = await fetch(`${dev.state.http}/orders`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${dev.state.token}`,
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
      'x-correlation-id': correlationId,
    },
    body: JSON.stringify({ ...validOrderRequest, lines: [{ ...validOrderRequest.lines[0], sku, quantity }] }),
  });
  expect(response.status).toBe(201);
  return { sku, correlationId };
}

async function reserved(sku: string): Promise<number> {
  const { Item } = await dynamo.send(
    new GetItemCommand({ TableName: ordersTable, Key: { pk: { S: `SKU#${sku}` } } }),
  );
  return Number((Item?.reserved as AttributeValue | undefined)?.N ?? 0);
}

describe('evtgen dlq against evtgen dev', () => {
  it('refuses to replay an event the current contract rejects without --force, and leaves it in place', async () => {
    const queue = fulfilmentDlq(await readStatus());
    // An event dead-lettered long ago, under an older contract: its orderId is no longer valid.
    const stale = { ...orderPlacedDetail(), eventId: randomUUID() };
    const event = {
      version: '0',
      id: randomUUID(),
      source: 'com.example.orders',
      'detail-type': 'OrderPlaced',
      time: '2026-11-01T00:00:00Z',
      region: dev.state.region,
      resources: [],
      detail: { ...stale, data: { ...stale.data, orderId: 42 } },
    };
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: JSON.stringify(event) }));

    const run = await dlq(['redrive', 'fulfilment', '--yes']);

    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/reject +OrderPlaced/);
    expect(run.stdout).toMatch(/detail\/data\/orderId: must be string/);
    expect(run.stdout).toContain('0 moved, 0 skipped, 1 rejected, 0 failed');
    expect(run.stdout).toContain('--force');
    const shown = await json<ConsumerDeadLetters>(['show', 'fulfilment']);
    expect(shown.queues.flatMap((q) => q.letters).map((l) => l.eventId)).toEqual([stale.eventId]);

    // With --force it would be replayed, its issues still listed (a dry run: nothing changes).
    const forced = await json<RedriveResult>(['redrive', 'fulfilment', '--force', '--dry-run']);
    expect(forced.plan.letters.map((l) => [l.action, l.why?.join('; ')])).toEqual([
      ['replay', 'detail/data/orderId: must be string'],
    ]);
    expect(forced).toMatchObject({ dryRun: true, moved: 0 });

    // Out of the way of the next test: taken out by hand, as an operator would after reading it.
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue.queueUrl, MaxNumberOfMessages: 10 }),
    );
    for (const m of Messages)
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queue.queueUrl, ReceiptHandle: m.ReceiptHandle }));
  }, 120_000);

  it('a consumer failing until fixed: list shows the depth and age, show the reasons; after the fix, redrive processes every event once and empties the DLQ', async () => {
    // Two events partly processed: the work done (stock reserved), then the invocation failed.
    await setDevFaults(dev, { functions: { fulfilment: { errorRate: 1, where: 'after' } } });
    const partly = [await placeOrder(2), await placeOrder(3)];
    await eventually('the partly processed events in the DLQ', async () =>
      fulfilmentDlq(await readStatus()).depth >= 2 ? true : undefined,
    );
    await setDevFaults(dev, undefined);
    for (const { sku } of partly) expect(await reserved(sku)).toBeGreaterThan(0);

    // Three more while the warehouse is down: each fails every receive, before any work.
    await writeFile(marker, 'down', 'utf8');
    const failing = [await placeOrder(1), await placeOrder(4), await placeOrder(5)];
    await eventually('all five in the DLQ', async () =>
      fulfilmentDlq(await readStatus()).depth >= 5 ? true : undefined,
    );
    for (const { sku } of failing) expect(await reserved(sku)).toBe(0);

    const listed = await json<{ where: string; queues: QueueSummary[] }>(['list']);
    const dlqName = fulfilmentDlq(await readStatus()).queueName;
    const row = listed.queues.find((q) => q.name === dlqName);
    expect(row).toMatchObject({ depth: 5, consumers: ['fulfilment'], scanned: 5 });
    expect(Date.parse(row?.oldestQueuedAt ?? '')).toBeLessThanOrEqual(Date.now());
    expect(listed.queues.filter((q) => q !== row).every((q) => q.depth === 0)).toBe(true);
    const text = await dlq(['list']);
    expect(text.stdout).toMatch(
      new RegExp(`${row?.name} +fulfilment +handler, queue-redrive +5 +\\d+ (s|min)`),
    );

    const shown = await json<ConsumerDeadLetters>(['show', 'fulfilment']);
    const letters = shown.queues.flatMap((q) => q.letters);
    const byCorrelation = (id: string): DeadLetter | undefined => letters.find((l) => l.correlationId === id);
    for (const { correlationId } of failing)
      expect(byCorrelation(correlationId)).toMatchObject({
        eventType: 'OrderPlaced',
        cause: 'failed',
        reason: { errorName: 'Error', message: 'warehouse API down', attempts: 5 },
        // The registry version the service publishes OrderPlaced with (generated/catalog.ts).
        schemaVersion: eventCatalog.OrderPlaced.schemaVersion,
      });
    for (const { correlationId } of partly)
      expect(byCorrelation(correlationId)).toMatchObject({ eventType: 'OrderPlaced', cause: 'redriven' });
    expect(new Set(letters.map((l) => l.eventId)).size).toBe(5);
    const showText = await dlq(['show', 'fulfilment']);
    expect(showText.stdout).toContain('Error: warehouse API down');
    expect(showText.stdout).toContain('failed every receive after 5 attempts');

    // On a terminal it shows the plan and asks; a "no" replays nothing.
    const declined = await onTerminal(['redrive', 'fulfilment'], 'n\n');
    expect(declined.output).toMatch(/replay +OrderPlaced/);
    expect(declined.output).toContain('Replay 5 events into queue');
    expect(declined.output).toContain('Not confirmed: nothing was replayed.');
    expect(declined.code).toBe(1);
    expect(fulfilmentDlq(await readStatus()).depth).toBe(5);

    // The fix is deployed; then the replay.
    await rm(marker);
    const result = await json<RedriveResult>(['redrive', 'fulfilment', '--yes', '--rate', '20']);
    expect(result).toMatchObject({ moved: 5, skipped: 0, rejected: 0, failed: [] });

    for (const { sku } of failing)
      await eventually(`stock of ${sku}`, async () => ((await reserved(sku)) > 0 ? true : undefined));
    await eventually('the replayed events done', async () => {
      const status = await readStatus();
      return (status.backlog.fulfilment ?? 0) === 0 && (status.consumers.fulfilment?.inFlight ?? 0) === 0
        ? true
        : undefined;
    });
    // Exactly once each: the partly processed ones were recognised as done, not reserved again.
    expect(await Promise.all([...partly, ...failing].map(({ sku }) => reserved(sku)))).toEqual([
      2, 3, 1, 4, 5,
    ]);
    expect(fulfilmentDlq(await readStatus()).depth).toBe(0);
  }, 300_000);

  it("a function a rule invokes: Lambda's on-failure records are shown with their error, and replayed as invocations", async () => {
    await setDevFaults(dev, { functions: { audit: { errorRate: 1, where: 'before' } } });
    const { correlationId } = await placeOrder(1);
    const auditDlq = (status: DevStatus) =>
      status.deadLetterQueues.find((q) => q.hops.includes('on-failure') && q.consumers.includes('audit'));
    await eventually('the audit event in its DLQ', async () =>
      (auditDlq(await readStatus())?.depth ?? 0) >= 1 ? true : undefined,
    );
    await setDevFaults(dev, undefined);

    const shown = await json<ConsumerDeadLetters>(['show', 'audit']);
    const letter = shown.queues.flatMap((q) => q.letters).find((l) => l.correlationId === correlationId);
    expect(letter).toMatchObject({
      eventType: 'OrderPlaced',
      cause: 'invoke-failed',
      reason: { attempts: 3 },
    });
    expect(letter?.reason.message).toMatch(/^Retries exhausted/);

    const result = await json<RedriveResult>(['redrive', 'audit', '--yes']);
    expect(result).toMatchObject({ moved: 1, rejected: 0, failed: [] });
    expect(result.plan.target).toMatch(/^function audit/);
    // Audited now: its record of the event is in the orders table.
    await eventually('the audit record', async () => {
      const { Item } = await dynamo.send(
        new GetItemCommand({ TableName: ordersTable, Key: { pk: { S: `AUDIT#${letter?.eventId}` } } }),
      );
      return Item ? true : undefined;
    });
    expect(auditDlq(await readStatus())?.depth).toBe(0);
  }, 180_000);

  it('says what is wrong, exit 2: an unknown consumer, an unknown event type, no --yes off a terminal', async () => {
    const cases: [string[], RegExp][] = [
      [['show', 'fulfillment'], /fulfillment has no dead-letter queue.*Did you mean fulfilment\?/],
      [
        ['redrive', 'fulfilment', '--yes', '--event-type', 'OrderPlace'],
        /not an event type of the contract.*Did you mean OrderPlaced\?/,
      ],
      [['redrive', 'fulfilment'], /pass --yes to replay, or --dry-run/],
      [['redrive', 'fulfilment', '--yes', '--since', 'yesterday'], /--since/],
    ];
    for (const [args, message] of cases) {
      const run = await dlq(args);
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stderr.replace(/\s+/g, ' ')).toMatch(message);
    }
  }, 120_000);
});
