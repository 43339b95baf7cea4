/**
 * Lambda's asynchronous invocation as `evtgen dev` plays it (async-invoker.ts), against moto's real
 * SQS: events arrive on the function's internal invoke queue (where the rule's target points); a
 * failed invocation is retried `maximumRetryAttempts` times (after the retry delay, then twice that),
 * an event past `maximumEventAgeInSeconds` is not invoked, and what is given up on reaches the
 * on-failure queue as Lambda's destination record. The function is a stand-in `invoke` returning
 * InvokeResult objects: the invoker's job is under test, not the worker's.
 */
import { randomUUID } from 'node:crypto';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AsyncInvoker, type AsyncInvokerOptions } from '../../generator/dev/async-invoker.js';
import { type ConsumerCounts, DevCounters } from '../../generator/dev/counters.js';
import type { InvokeResult } from '../../generator/dev/function-protocol.js';
import { type MotoServer, startMotoServer } from '../../generator/dev/moto-server.js';
import { clients, region } from '../helpers/flow.js';
import { motoAvailable } from '../helpers/moto.js';

const available = motoAvailable;

let moto: MotoServer;
let sqs: SQSClient;
const running: AsyncInvoker[] = [];
const functionArn = 'arn:aws:lambda:us-east-1:123456789012:function:OrdersService-Audit';

beforeAll(async () => {
  if (!available) return;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  moto = await startMotoServer();
  sqs = clients(moto.endpoint).sqs;
}, 60_000);

afterEach(async () => {
  await Promise.all(running.splice(0).map((invoker) => invoker.stop()));
});

afterAll(async () => {
  await moto?.stop();
});

async function createQueue(prefix: string, visibilityTimeout = 30): Promise<string> {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${prefix}-${randomUUID().slice(0, 8)}`,
      Attributes: { VisibilityTimeout: String(visibilityTimeout) },
    }),
  );
  return QueueUrl ?? '';
}

/** An EventBridge event as the rule delivers it to the target; `ageSeconds` back in time. */
function orderPlaced(ageSeconds = 0): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'OrderPlaced',
    source: 'com.example.orders',
    account: '123456789012',
    time: new Date(Date.now() - ageSeconds * 1000).toISOString(),
    region,
    resources: [],
    detail: { orderId: `o-${randomUUID().slice(0, 6)}`, total: 42 },
  };
}

const ok = (): InvokeResult => ({ ok: true, result: null, requestId: randomUUID(), durationMs: 1 });
const failed = (): InvokeResult => ({
  ok: false,
  errorType: 'AuditUnavailable',
  errorMessage: 'the audit store refused the write',
  requestId: randomUUID(),
  durationMs: 1,
});

interface Started {
  readonly invokeQueueUrl: string;
  readonly onFailureQueueUrl: string;
  readonly calls: { readonly at: number; readonly event: unknown; readonly result: InvokeResult }[];
  readonly counts: ConsumerCounts;
  readonly errors: unknown[];
  readonly gaveUp: [unknown, string][];
}

async function startInvoker(
  invoke: (call: number) => InvokeResult | Promise<InvokeResult>,
  options: Partial<AsyncInvokerOptions> & { invokeQueueVisibility?: number } = {},
): Promise<Started> {
  const invokeQueueUrl = await createQueue('invoke', options.invokeQueueVisibility);
  const onFailureQueueUrl = await createQueue('audit-on-failure');
  const calls: Started['calls'] = [];
  const errors: unknown[] = [];
  const gaveUp: [unknown, string][] = [];
  const counts = new DevCounters().consumer('audit');
  const invoker = new AsyncInvoker({
    sqs,
    invokeQueueUrl,
    functionArn,
    maximumRetryAttempts: 2,
    maximumEventAgeInSeconds: 600,
    onFailureQueueUrl,
    retryDelaySeconds: 0,
    concurrency: 2,
    invoke: async (event) => {
      const result = await invoke(calls.length + 1);
      calls.push({ at: Date.now(), event, result });
      return result;
    },
    counts,
    onError: (error) => errors.push(error),
    onGiveUp: (event, reason) => gaveUp.push([event, reason]),
    ...options,
  });
  invoker.start();
  running.push(invoker);
  return { invokeQueueUrl, onFailureQueueUrl, calls, counts, errors, gaveUp };
}

const deliver = (queueUrl: string, event: unknown) =>
  sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(event) }));

/** The records on the on-failure queue (read with visibility 0: the check changes nothing). */
async function destinationRecords(queueUrl: string): Promise<Record<string, unknown>[]> {
  const { Messages } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
  );
  return (Messages ?? []).map((m) => JSON.parse(m.Body ?? '{}') as Record<string, unknown>);
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

const settle = { timeout: 15_000, interval: 100 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!available)('AsyncInvoker on moto', () => {
  it("invokes a failing event 1 + maximumRetryAttempts times, then sends Lambda's destination record", async () => {
    const started = await startInvoker(() => failed(), { retryDelaySeconds: 0.2 });
    const event = orderPlaced();
    await deliver(started.invokeQueueUrl, event);
    await vi.waitFor(async () => expect(await depth(started.onFailureQueueUrl)).toBe(1), settle);
    expect(started.calls.map((c) => c.event)).toEqual([event, event, event]);
    // Retried after the delay, then twice that.
    const [first, second, third] = started.calls.map((c) => c.at);
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(190);
    expect((third ?? 0) - (second ?? 0)).toBeGreaterThanOrEqual(390);
    const [record] = await destinationRecords(started.onFailureQueueUrl);
    expect(record).toEqual({
      version: '1.0',
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      requestContext: {
        requestId: started.calls[2]?.result.requestId,
        functionArn: `${functionArn}:$LATEST`,
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: {
        errorType: 'AuditUnavailable',
        errorMessage: 'the audit store refused the write',
        trace: [],
      },
    });
    await vi.waitFor(async () => expect(await depth(started.invokeQueueUrl)).toBe(0), settle);
    expect(started.counts).toEqual({ received: 3, succeeded: 0, failed: 3, sentToOnFailure: 1, inFlight: 0 });
    expect(started.gaveUp).toEqual([[event, 'RetriesExhausted']]);
    expect(started.errors).toEqual([]);
  });

  it('deletes an event that succeeds on the second attempt, sending nothing to the on-failure queue', async () => {
    const started = await startInvoker((call) => (call === 1 ? failed() : ok()));
    await deliver(started.invokeQueueUrl, orderPlaced());
    await vi.waitFor(async () => expect(await depth(started.invokeQueueUrl)).toBe(0), settle);
    expect(started.calls.map((c) => c.result.ok)).toEqual([false, true]);
    await sleep(500);
    expect(started.calls).toHaveLength(2);
    expect(await depth(started.onFailureQueueUrl)).toBe(0);
    expect(started.counts).toEqual({ received: 2, succeeded: 1, failed: 1, sentToOnFailure: 0, inFlight: 0 });
  });

  it('does not invoke an event older than maximumEventAgeInSeconds: EventAgeExceeded', async () => {
    const started = await startInvoker(() => ok(), { maximumEventAgeInSeconds: 60 });
    const event = orderPlaced(3600);
    await deliver(started.invokeQueueUrl, event);
    await vi.waitFor(async () => expect(await depth(started.onFailureQueueUrl)).toBe(1), settle);
    expect(started.calls).toEqual([]);
    const [record] = await destinationRecords(started.onFailureQueueUrl);
    expect(record).toMatchObject({
      requestContext: {
        condition: 'EventAgeExceeded',
        approximateInvokeCount: 0,
        functionArn: `${functionArn}:$LATEST`,
      },
      requestPayload: event,
      responsePayload: null,
    });
    await vi.waitFor(async () => expect(await depth(started.invokeQueueUrl)).toBe(0), settle);
    expect(started.counts).toMatchObject({ received: 0, sentToOnFailure: 1 });
    expect(started.gaveUp).toEqual([[event, 'EventAgeExceeded']]);
  });

  it('stops retrying an event that ages out between attempts', async () => {
    const started = await startInvoker(() => failed(), { maximumEventAgeInSeconds: 1, retryDelaySeconds: 1 });
    await deliver(started.invokeQueueUrl, orderPlaced(0.5));
    await vi.waitFor(async () => expect(await depth(started.onFailureQueueUrl)).toBe(1), settle);
    expect(started.calls).toHaveLength(1);
    const [record] = await destinationRecords(started.onFailureQueueUrl);
    expect(record).toMatchObject({
      requestContext: { condition: 'EventAgeExceeded', approximateInvokeCount: 1 },
      responsePayload: { errorType: 'AuditUnavailable' },
    });
  });

  it('handles a retrying event once even when its retries outlast the invoke queue visibility timeout', async () => {
    const started = await startInvoker(() => failed(), { retryDelaySeconds: 1, invokeQueueVisibility: 1 });
    const event = orderPlaced();
    await deliver(started.invokeQueueUrl, event);
    await vi.waitFor(async () => expect(await depth(started.onFailureQueueUrl)).toBeGreaterThan(0), settle);
    await sleep(1500);
    expect(started.calls).toHaveLength(3);
    expect(await depth(started.onFailureQueueUrl)).toBe(1);
    expect(await depth(started.invokeQueueUrl)).toBe(0);
    expect(started.errors).toEqual([]);
  });

  it('handles at most `concurrency` events at once', async () => {
    let current = 0;
    let most = 0;
    const started = await startInvoker(
      async () => {
        current++;
        most = Math.max(most, current);
        await sleep(300);
        current--;
        return ok();
      },
      { concurrency: 2 },
    );
    for (let i = 0; i < 5; i++) await deliver(started.invokeQueueUrl, orderPlaced());
    await vi.waitFor(() => expect(started.calls).toHaveLength(5), settle);
    expect(most).toBe(2);
    await vi.waitFor(async () => expect(await depth(started.invokeQueueUrl)).toBe(0), settle);
  });
});
