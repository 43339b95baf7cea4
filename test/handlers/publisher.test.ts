import { randomUUID } from 'node:crypto';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OrderPlaced } from '../../generated/events/models.js';
import {
  createPublishers,
  EventsNotPublishedError,
  EventValidationError,
  type OutgoingEvent,
} from '../../generated/publishers.js';
import {
  EventPublisher,
  maxBytesPerCall,
  EventTooLargeError as RuntimeTooLargeError,
} from '../../generated/runtime/publisher.js';
import { observability } from '../../generated/service.js';
import { credentials, type EventBridgeStandIn, startEventBridge } from '../helpers/aws.js';
import { captureLogs } from '../helpers/lambda.js';
import { orderPlacedDetail } from './events.js';

/**
 * The generated publishers against the PutEvents stand-in, through the real EventBridge client
 * (signed requests over loopback HTTP). Backoff is shortened; its shape is what is under test.
 */
let eventBridge: EventBridgeStandIn;
let client: EventBridgeClient;

beforeAll(async () => {
  eventBridge = await startEventBridge();
  // One attempt per call, as the publisher's default client: the retries under test are the publisher's own.
  client = new EventBridgeClient({
    endpoint: eventBridge.endpoint,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
  });
});
afterAll(() => eventBridge.close());
beforeEach(() => {
  eventBridge.calls.length = 0;
  eventBridge.accepted.length = 0;
  eventBridge.failWith(undefined);
  eventBridge.rejectRequests(undefined);
  eventBridge.requests.count = 0;
  eventBridge.requests.rejected = 0;
});

const metadata = { occurredAt: '2026-11-27T00:00:00Z', producer: 'test' };
const order = (): OrderPlaced => orderPlacedDetail().data as OrderPlaced;
const publishers = (correlationId = randomUUID()) =>
  createPublishers({ client, correlationId, eventBusName: 'orders-bus', baseDelayMs: 1, maxDelayMs: 5 });

describe('typed publishers', () => {
  it('fills source, detail-type, bus and the correlation id, and validates before sending', async () => {
    const correlationId = randomUUID();
    const result = await publishers(correlationId).orderPlaced(order(), metadata);
    expect(result.failed).toEqual([]);
    expect(result.published).toHaveLength(1);
    const [entry] = eventBridge.accepted;
    expect(entry).toMatchObject({
      EventBusName: 'orders-bus',
      Source: 'com.example.orders',
      DetailType: 'OrderPlaced',
    });
    expect(JSON.parse(entry?.Detail ?? '{}').metadata).toEqual({ ...metadata, correlationId });
  });

  it('an invalid detail is refused with its pointers and nothing of the call is sent', async () => {
    const bad = { ...order(), total: { amount: '-1', currency: 'EUR' } } as OrderPlaced;
    const events: OutgoingEvent[] = [
      { typeName: 'OrderPlaced', data: order(), metadata },
      { typeName: 'OrderPlaced', data: bad, metadata },
    ];
    const error = await publishers()
      .publishAll(events)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventValidationError);
    expect((error as EventValidationError).index).toBe(1);
    expect((error as Error).message).toMatch(/\/data\/total\/amount/);
    expect(eventBridge.calls).toHaveLength(0);
  });

  it('an entry over 256 KB is refused with a clear error before anything is sent', async () => {
    // OrderPlaced's own bounds keep it far below the limit, so this uses the runtime publisher with
    // an event type whose schema accepts any size (as a free-text payload would).
    const publisher = new EventPublisher(
      [
        {
          typeName: 'Blob',
          source: 'com.example.test',
          detailType: 'Blob',
          validateDetail: (value) => ({ valid: true, value }),
          correlationIdPath: null,
        },
      ],
      'orders-bus',
      { client },
    );
    const fits = { typeName: 'Blob', data: 'x'.repeat(200 * 1024) };
    const tooLarge = { typeName: 'Blob', data: 'x'.repeat(maxBytesPerCall) };
    const error = await publisher.publish([fits, tooLarge]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeTooLargeError);
    expect((error as Error).message).toMatch(
      /Event 1 \(Blob\) is \d+ bytes; EventBridge accepts at most 262144/,
    );
    expect(eventBridge.calls).toHaveLength(0);
    // Two entries that fit alone but not together go in separate calls.
    const result = await publisher.publish([fits, fits]);
    expect(result.published).toHaveLength(2);
    expect(eventBridge.calls.map((c) => c.entries.length)).toEqual([1, 1]);
  });

  it('batches 10 entries per PutEvents call and retries only the entries EventBridge failed; none is lost', async () => {
    // First call: entries 1 and 3 throttled; second call (the 2 remaining entries): entry 0 fails internally.
    eventBridge.failWith((call, _entry, index) => {
      if (call === 0 && (index === 1 || index === 3)) return 'ThrottlingException';
      if (call === 2 && index === 0) return 'InternalFailure';
      return undefined;
    });
    const events: OutgoingEvent[] = Array.from({ length: 12 }, () => ({
      typeName: 'OrderPlaced',
      data: order(),
      metadata,
    }));
    const result = await publishers().publishAll(events);

    expect(eventBridge.calls.map((c) => c.entries.length)).toEqual([10, 2, 2, 1]);
    expect(result.failed).toEqual([]);
    expect(result.published).toHaveLength(12);
    const sent = new Set(eventBridge.accepted.map((e) => JSON.parse(e.Detail).data.orderId));
    expect(sent).toEqual(new Set(events.map((e) => (e.data as OrderPlaced).orderId)));
    expect(eventBridge.accepted).toHaveLength(12);
  });

  it('entries that still fail are thrown to the caller with their detail; permanent errors are not retried', async () => {
    eventBridge.failWith((_call, entry) => {
      const orderId = JSON.parse(entry.Detail).data.orderId as string;
      if (orderId.startsWith('0')) return 'AccessDeniedException';
      if (orderId.startsWith('1')) return 'ThrottlingException';
      return undefined;
    });
    const events: OutgoingEvent[] = ['0', '1', '2'].map((first) => ({
      typeName: 'OrderPlaced',
      data: { ...order(), orderId: `${first}${randomUUID().slice(1)}` },
      metadata,
    }));
    const error = await publishers()
      .publishAll(events)
      .catch((e: unknown) => e);
    // Thrown, not returned: a caller that does not look cannot lose the events silently.
    expect(error).toBeInstanceOf(EventsNotPublishedError);
    const result = (error as EventsNotPublishedError).result;
    expect(result.published).toHaveLength(1);
    const failed = Object.fromEntries(result.failed.map((f) => [f.errorCode, f]));
    expect(failed.AccessDeniedException?.attempts).toBe(1);
    expect(failed.ThrottlingException?.attempts).toBe(4);
    const throttled = failed.ThrottlingException?.detail as { data: OrderPlaced } | undefined;
    expect(throttled?.data.orderId).toMatch(/^1/);
  });

  it('a throttled request (HTTP 400 ThrottlingException) and a 5xx are retried with backoff, and the events arrive once', async () => {
    const plan = ['ThrottlingException', 'InternalException'];
    eventBridge.rejectRequests((n) =>
      plan[n] ? { status: n === 0 ? 400 : 503, code: plan[n] ?? 'InternalException' } : undefined,
    );
    const events: OutgoingEvent[] = [1, 2, 3].map(() => ({
      typeName: 'OrderPlaced',
      data: order(),
      metadata,
    }));
    const result = await publishers().publishAll(events);
    expect(eventBridge.requests).toEqual({ count: 3, rejected: 2 });
    expect(result.failed).toEqual([]);
    expect(eventBridge.accepted).toHaveLength(3);
  });

  it('a request refused on its merits (403 AccessDeniedException) is not retried', async () => {
    eventBridge.rejectRequests(() => ({ status: 403, code: 'AccessDeniedException' }));
    const error = await publishers()
      .orderPlaced(order(), metadata)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventsNotPublishedError);
    expect((error as EventsNotPublishedError).failed[0]).toMatchObject({
      errorCode: 'AccessDeniedException',
      attempts: 1,
    });
    expect(eventBridge.requests.count).toBe(1);
  });

  it('exhausted retries throw EventsNotPublishedError and count EventsPublishFailed (the metric with an alarm)', async () => {
    eventBridge.rejectRequests(() => ({ status: 400, code: 'ThrottlingException' }));
    const publisher = createPublishers({
      client,
      eventBusName: 'orders-bus',
      baseDelayMs: 1,
      maxDelayMs: 5,
      observability,
    });
    const { result: error, lines } = await captureLogs(() =>
      publisher.orderPlaced(order(), metadata).catch((e: unknown) => e),
    );
    expect(error).toBeInstanceOf(EventsNotPublishedError);
    expect((error as EventsNotPublishedError).failed[0]?.attempts).toBe(4);
    expect(eventBridge.requests.count).toBe(4);
    const metric = lines.find((l) => '_aws' in l && 'EventsPublishFailed' in l);
    expect(metric).toMatchObject({ eventType: 'OrderPlaced', EventsPublishFailed: 1 });
  });

  it('every event carries a producer id (detail.eventId) that stays the same across retries', async () => {
    eventBridge.failWith((call) => (call === 0 ? 'ThrottlingException' : undefined));
    const result = await publishers().orderPlaced(order(), metadata, { eventId: 'order-42-placed' });
    expect(result.published).toEqual([expect.objectContaining({ eventId: 'order-42-placed' })]);
    const ids = eventBridge.calls.map((c) => JSON.parse(c.entries[0]?.Detail ?? '{}').eventId);
    expect(ids).toEqual(['order-42-placed', 'order-42-placed']);
    // Without one, the publisher assigns a UUID, also kept across its retries.
    eventBridge.calls.length = 0;
    await publishers().orderPlaced(order(), metadata);
    const [first, second] = eventBridge.calls.map((c) => JSON.parse(c.entries[0]?.Detail ?? '{}').eventId);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).toBe(first);
  });
});
