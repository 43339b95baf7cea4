/**
 * `evtgen dev`'s SQS event source mapping (queue-poller.ts) against moto's real SQS: a queue with a
 * DLQ (redrive after 2 receives, visibility timeout 30 s), read by the poller. The function is a
 * stand-in here — a plain `invoke` returning InvokeResult objects — because what is under test is
 * the poller's job (batching, concurrency, what it deletes and what comes back, the records' shape,
 * the counters), not the worker's (see function-pool.test.ts).
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ConsumerCounts, DevCounters } from '../../generator/dev/counters.js';
import type { InvokeResult } from '../../generator/dev/function-protocol.js';
import { type MotoServer, startMotoServer } from '../../generator/dev/moto-server.js';
import { QueuePoller, type QueuePollerOptions } from '../../generator/dev/queue-poller.js';
import { clients, createQueuePair, type QueuePair, region } from '../helpers/flow.js';
import { motoAvailable } from '../helpers/moto.js';

const available = motoAvailable;

let moto: MotoServer;
let sqs: SQSClient;
const running: QueuePoller[] = [];

beforeAll(async () => {
  if (!available) return;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  moto = await startMotoServer();
  sqs = clients(moto.endpoint).sqs;
}, 60_000);

afterEach(async () => {
  await Promise.all(running.splice(0).map((poller) => poller.stop()));
});

afterAll(async () => {
  await moto?.stop();
});

/** A queue redriving to its DLQ after 2 receives, with the 30 s visibility timeout retries must not wait for. */
const newQueue = (): Promise<QueuePair> =>
  createQueuePair(sqs, `poller-${randomUUID().slice(0, 8)}`, { maxReceiveCount: 2, visibilityTimeout: 30 });

const send = async (queue: QueuePair, bodies: readonly string[]): Promise<void> => {
  for (let i = 0; i < bodies.length; i += 10)
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: bodies.slice(i, i + 10).map((body, j) => ({ Id: String(j), MessageBody: body })),
      }),
    );
};

const ok = (result: unknown = null): InvokeResult => ({
  ok: true,
  result,
  requestId: randomUUID(),
  durationMs: 1,
});
const failed = (): InvokeResult => ({
  ok: false,
  errorType: 'Error',
  errorMessage: 'the stand-in failed',
  requestId: randomUUID(),
  durationMs: 1,
});

interface Delivery {
  readonly at: number;
  readonly records: readonly SQSRecord[];
}

/** A poller on `queue` with the stand-in `invoke`, started; its deliveries, counters and errors. */
function startPoller(
  queue: QueuePair,
  invoke: (records: readonly SQSRecord[], call: number) => InvokeResult | Promise<InvokeResult>,
  options: Partial<QueuePollerOptions> = {},
): { deliveries: Delivery[]; counts: ConsumerCounts; errors: unknown[] } {
  const deliveries: Delivery[] = [];
  const errors: unknown[] = [];
  const counts = new DevCounters().consumer('fulfilment');
  const poller = new QueuePoller({
    sqs,
    queueUrl: queue.url,
    queueArn: queue.arn,
    region,
    batchSize: 10,
    maximumBatchingWindowSeconds: 0,
    maximumConcurrency: 2,
    reportBatchItemFailures: true,
    retryDelaySeconds: 0,
    invoke: async (event) => {
      deliveries.push({ at: Date.now(), records: event.Records });
      return invoke(event.Records, deliveries.length);
    },
    counts,
    onError: (error) => errors.push(error),
    ...options,
  });
  poller.start();
  running.push(poller);
  return { deliveries, counts, errors };
}

/** What the DLQ holds (read with visibility 0, so the check changes nothing). */
async function deadLetters(queue: QueuePair): Promise<string[]> {
  const { Messages } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queue.deadLetterUrl,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 0,
      WaitTimeSeconds: 0,
    }),
  );
  return (Messages ?? []).map((m) => m.Body ?? '').sort();
}

async function depth(url: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

const deliveriesOf = (deliveries: readonly Delivery[], body: string) =>
  deliveries.flatMap((d) =>
    d.records
      .filter((r) => r.body === body)
      .map((r) => ({ at: d.at, count: r.attributes.ApproximateReceiveCount })),
  );

const reportFailuresOf =
  (bodies: readonly string[]) =>
  (records: readonly SQSRecord[]): InvokeResult =>
    ok({
      batchItemFailures: records
        .filter((r) => bodies.includes(r.body))
        .map((r) => ({ itemIdentifier: r.messageId })),
    });

const settle = { timeout: 15_000, interval: 100 };

describe.skipIf(!available)('QueuePoller on moto', () => {
  it.each([0, 1])(
    'with ReportBatchItemFailures deletes only the successes; the failed record comes back after %d s and ends in the DLQ after maxReceiveCount',
    async (retryDelaySeconds) => {
      const queue = await newQueue();
      await send(queue, ['a', 'b', 'c']);
      const { deliveries, counts, errors } = startPoller(queue, reportFailuresOf(['b']), {
        retryDelaySeconds,
      });
      await vi.waitFor(async () => expect(await deadLetters(queue)).toEqual(['b']), settle);
      expect(deliveriesOf(deliveries, 'a').map((d) => d.count)).toEqual(['1']);
      expect(deliveriesOf(deliveries, 'c').map((d) => d.count)).toEqual(['1']);
      const b = deliveriesOf(deliveries, 'b');
      expect(b.map((d) => d.count)).toEqual(['1', '2']);
      // Back after the retry delay, not after the queue's 30 s visibility timeout.
      const gap = (b[1]?.at ?? 0) - (b[0]?.at ?? 0);
      expect(gap).toBeGreaterThanOrEqual(retryDelaySeconds * 1000 - 100);
      expect(gap).toBeLessThan(retryDelaySeconds * 1000 + 5000);
      expect(await depth(queue.url)).toBe(0);
      expect(counts).toEqual({ received: 4, succeeded: 2, failed: 2, sentToOnFailure: 0, inFlight: 0 });
      expect(errors).toEqual([]);
    },
  );

  it.each([
    ['an identifier that is not in the batch', [{ itemIdentifier: 'not-in-this-batch' }]],
    ['an empty identifier', [{ itemIdentifier: '' }]],
  ])('fails the whole batch on %s', async (_, batchItemFailures) => {
    const queue = await newQueue();
    await send(queue, ['x', 'y']);
    const { deliveries, counts } = startPoller(
      queue,
      (_records, call) => (call === 1 ? ok({ batchItemFailures }) : ok({ batchItemFailures: [] })),
      { batchSize: 2, maximumBatchingWindowSeconds: 1 },
    );
    await vi.waitFor(() => expect(deliveries).toHaveLength(2), settle);
    await vi.waitFor(async () => expect(await depth(queue.url)).toBe(0), settle);
    expect(deliveries[0]?.records.map((r) => r.body).sort()).toEqual(['x', 'y']);
    expect(deliveries[1]?.records.map((r) => [r.body, r.attributes.ApproximateReceiveCount]).sort()).toEqual([
      ['x', '2'],
      ['y', '2'],
    ]);
    expect(await deadLetters(queue)).toEqual([]);
    expect(counts).toMatchObject({ received: 4, succeeded: 2, failed: 2 });
  });

  it('deletes nothing of a failed invocation (ok: false): every record comes back', async () => {
    const queue = await newQueue();
    await send(queue, ['p', 'q', 'r']);
    const { deliveries, counts } = startPoller(queue, (_records, call) => (call === 1 ? failed() : ok()), {
      batchSize: 3,
      maximumBatchingWindowSeconds: 1,
    });
    await vi.waitFor(() => expect(deliveries).toHaveLength(2), settle);
    await vi.waitFor(async () => expect(await depth(queue.url)).toBe(0), settle);
    expect(deliveries[1]?.records.map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['2', '2', '2']);
    expect(counts).toMatchObject({ received: 6, succeeded: 3, failed: 3, inFlight: 0 });
  });

  it('treats an invoke that throws (no environment could run it) as a failed invocation, retried after the delay', async () => {
    const queue = await newQueue();
    await send(queue, ['s', 't']);
    const { deliveries, counts, errors } = startPoller(
      queue,
      (_records, call) => {
        if (call === 1) throw new Error('fulfilment: the function is gone');
        return ok();
      },
      { batchSize: 2, maximumBatchingWindowSeconds: 1 },
    );
    await vi.waitFor(() => expect(deliveries).toHaveLength(2), settle);
    await vi.waitFor(async () => expect(await depth(queue.url)).toBe(0), settle);
    expect(deliveries[1]?.records.map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['2', '2']);
    expect(errors).toEqual([new Error('fulfilment: the function is gone')]);
    expect(counts).toEqual({ received: 4, succeeded: 2, failed: 2, sentToOnFailure: 0, inFlight: 0 });
  });

  it('deletes the whole batch without ReportBatchItemFailures, whatever the response lists', async () => {
    const queue = await newQueue();
    await send(queue, ['m', 'n']);
    const { deliveries, counts } = startPoller(queue, reportFailuresOf(['m']), {
      reportBatchItemFailures: false,
      batchSize: 2,
      maximumBatchingWindowSeconds: 1,
    });
    await vi.waitFor(async () => expect(await depth(queue.url)).toBe(0), settle);
    expect(deliveries).toHaveLength(1);
    expect(counts).toMatchObject({ received: 2, succeeded: 2, failed: 0 });
  });

  it('hands one invocation a full batch: 5 messages sent before the start, batchSize 5', async () => {
    const queue = await newQueue();
    await send(queue, ['1', '2', '3', '4', '5']);
    const { deliveries } = startPoller(queue, () => ok(), { batchSize: 5, maximumBatchingWindowSeconds: 1 });
    await vi.waitFor(async () => expect(await depth(queue.url)).toBe(0), settle);
    expect(deliveries.map((d) => d.records.map((r) => r.body).sort())).toEqual([['1', '2', '3', '4', '5']]);
  });

  it('waits up to the batching window to fill the batch with messages sent meanwhile', async () => {
    const queue = await newQueue();
    await send(queue, ['early-1', 'early-2']);
    const { deliveries } = startPoller(queue, () => ok(), { batchSize: 5, maximumBatchingWindowSeconds: 2 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    await send(queue, ['late-1', 'late-2', 'late-3']);
    await vi.waitFor(async () => expect(await depth(queue.url)).toBe(0), settle);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]?.records).toHaveLength(5);
  });

  it('invokes at most maximumConcurrency batches at once', async () => {
    const queue = await newQueue();
    await send(queue, ['c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
    let current = 0;
    let most = 0;
    let mostInFlight = 0;
    const { deliveries, counts } = startPoller(
      queue,
      async () => {
        current++;
        most = Math.max(most, current);
        mostInFlight = Math.max(mostInFlight, counts.inFlight);
        await new Promise((resolve) => setTimeout(resolve, 300));
        current--;
        return ok();
      },
      { batchSize: 1, maximumConcurrency: 2 },
    );
    await vi.waitFor(async () => expect(await depth(queue.url)).toBe(0), settle);
    expect(deliveries).toHaveLength(6);
    expect(most).toBe(2);
    expect(mostInFlight).toBe(2);
    expect(counts).toEqual({ received: 6, succeeded: 6, failed: 0, sentToOnFailure: 0, inFlight: 0 });
  });

  it("hands records in Lambda's shape, message attributes converted", async () => {
    const queue = await newQueue();
    const body = JSON.stringify({ orderId: 'o-1' });
    const { MessageId } = await sqs.send(
      new SendMessageCommand({
        QueueUrl: queue.url,
        MessageBody: body,
        MessageAttributes: {
          traceparent: { DataType: 'String', StringValue: '00-abc-def-01' },
          attempt: { DataType: 'Number', StringValue: '3' },
          signature: { DataType: 'Binary', BinaryValue: Buffer.from('signed') },
        },
      }),
    );
    const { deliveries } = startPoller(queue, () => ok());
    await vi.waitFor(() => expect(deliveries).toHaveLength(1), settle);
    const record = deliveries[0]?.records[0];
    expect(record).toEqual({
      messageId: MessageId,
      receiptHandle: expect.stringMatching(/.+/),
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: expect.stringMatching(/^\d{13}$/),
        SenderId: expect.stringMatching(/.+/),
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
      },
      messageAttributes: {
        traceparent: {
          dataType: 'String',
          stringValue: '00-abc-def-01',
          stringListValues: [],
          binaryListValues: [],
        },
        attempt: { dataType: 'Number', stringValue: '3', stringListValues: [], binaryListValues: [] },
        signature: {
          dataType: 'Binary',
          binaryValue: Buffer.from('signed').toString('base64'),
          stringListValues: [],
          binaryListValues: [],
        },
      },
      md5OfBody: createHash('md5').update(body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      awsRegion: region,
    });
  });
});
