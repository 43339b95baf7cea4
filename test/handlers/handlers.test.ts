import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
  EventBridgeEvent,
  SQSBatchResponse,
  SQSEvent,
} from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MotoServer, startMotoServer } from '../../generator/dev/moto-server.js';
import { type EventBridgeStandIn, startEventBridge } from '../helpers/aws.js';
import {
  type Clients,
  clients,
  createTable,
  outboxRelayDriver,
  type StreamHandler,
} from '../helpers/flow.js';
import { type Bundle, bundleHandlers, captureLogs, lambdaContext, loadHandler } from '../helpers/lambda.js';
import { repoRoot } from '../helpers/project.js';
import { eventBridgeEvent, httpEvent, orderPlacedDetail, sqsEvent, validOrderRequest } from './events.js';

/**
 * The example service's handlers, bundled with esbuild and run on real-shaped events, against
 * DynamoDB (moto's server: transactions and streams, which the outbox needs) and an EventBridge
 * PutEvents stand-in (it can fail chosen entries and requests), both over loopback HTTP through the
 * real AWS SDK with its request signing. The outbox relay reads the outbox table's real stream.
 */
type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;
type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
type DirectHandler = (event: EventBridgeEvent<string, unknown>, context: Context) => Promise<void>;

const entries = {
  createOrder: join(repoRoot, 'app/handlers/http/create-order.ts'),
  getOrder: join(repoRoot, 'app/handlers/http/get-order.ts'),
  getHealth: join(repoRoot, 'app/handlers/http/get-health.ts'),
  fulfilment: join(repoRoot, 'app/handlers/consumers/fulfilment.ts'),
  notifications: join(repoRoot, 'app/handlers/consumers/notifications.ts'),
  audit: join(repoRoot, 'app/handlers/consumers/audit.ts'),
  relay: join(repoRoot, 'generated/outbox-relay.ts'),
  faultyFulfilment: join(repoRoot, 'test/handlers/entries/faulty-fulfilment.ts'),
  // Another service's consumer of OrderPlaced (examples/shipping: the pinned v2, its own bus).
  shippingDispatch: join(repoRoot, 'examples/shipping/app/handlers/consumers/dispatch.ts'),
};

let moto: MotoServer;
let aws: Clients;
let outboxStream: string;
/** One run of the outbox relay over the records it has not published yet (Lambda's stream poller). */
let relayOutbox: ReturnType<typeof outboxRelayDriver>;
let eventBridge: EventBridgeStandIn;
let bundles: Record<keyof typeof entries, Bundle>;
const savedEnv = { ...process.env };

beforeAll(async () => {
  [moto, eventBridge] = await Promise.all([startMotoServer(), startEventBridge()]);
  aws = clients(moto.endpoint);
  [, , outboxStream] = await Promise.all([
    createTable(aws.dynamo, 'orders', 'pk'),
    createTable(aws.dynamo, 'idempotency', 'id'),
    createTable(aws.dynamo, 'outbox', 'id', true),
  ]);
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    // The SDK's service-specific endpoint variables: the bundles are unchanged, only the endpoints move.
    AWS_ENDPOINT_URL_DYNAMODB: moto.endpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.endpoint,
    ORDERS_TABLE_NAME: 'orders',
    IDEMPOTENCY_TABLE_NAME: 'idempotency',
    OUTBOX_TABLE_NAME: 'outbox',
    EVENT_BUS_NAME: 'orders-bus',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  const keys = Object.keys(entries) as (keyof typeof entries)[];
  const built = await bundleHandlers(keys.map((k) => entries[k]));
  bundles = Object.fromEntries(keys.map((k, i) => [k, built[i]])) as Record<keyof typeof entries, Bundle>;
  relayOutbox = outboxRelayDriver(
    aws.streams,
    outboxStream,
    () => loadHandler<StreamHandler>(bundles.relay),
    async (run) => (await captureLogs(run)).result,
  );
});

afterAll(async () => {
  process.env = savedEnv;
  await Promise.all([moto?.stop(), eventBridge?.close()]);
});

async function invokeHttp(name: 'createOrder' | 'getOrder' | 'getHealth', event: APIGatewayProxyEventV2) {
  const handler = await loadHandler<HttpHandler>(bundles[name]);
  const { result, lines } = await captureLogs(() => handler(event, lambdaContext(name)));
  return {
    response: result,
    body: result.body ? (JSON.parse(result.body) as Record<string, unknown>) : undefined,
    lines,
  };
}

/** The `errors[].pointer`s of a problem+json body. */
function errorPointers(body: Record<string, unknown> | undefined): string[] {
  return ((body?.errors ?? []) as { pointer: string }[]).map((e) => e.pointer);
}

const createOrderEvent = (body: unknown, headers: Record<string, string> = {}) =>
  httpEvent({ method: 'POST', path: '/orders', routeKey: 'POST /orders', body, headers });

describe('HTTP handlers (API Gateway HTTP API, payload v2)', () => {
  it('createOrder stores the order, answers 201 with Location, and publishes OrderPlaced with the request correlation id', async () => {
    const correlationId = randomUUID();
    const before = eventBridge.accepted.length;
    const { response, body, lines } = await invokeHttp(
      'createOrder',
      createOrderEvent(validOrderRequest, { 'x-correlation-id': correlationId }),
    );
    expect(response.statusCode).toBe(201);
    expect(response.headers?.['content-type']).toBe('application/json');
    expect(response.headers?.['x-correlation-id']).toBe(correlationId);
    expect(body?.total).toEqual({ amount: '49.48', currency: 'EUR' });
    expect(response.headers?.location).toBe(`/orders/${body?.orderId}`);
    // Nothing is sent by the request itself: the order and its event row were one transaction.
    expect(eventBridge.accepted.length).toBe(before);
    await relayOutbox();

    const published = eventBridge.accepted.slice(before);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      EventBusName: 'orders-bus',
      Source: 'com.example.orders',
      DetailType: 'OrderPlaced',
    });
    const detail = JSON.parse(published[0]?.Detail ?? '{}');
    expect(detail.metadata.correlationId).toBe(correlationId);
    expect(detail.data.orderId).toBe(body?.orderId);
    // Every log line of the request carries the correlation id.
    const logs = lines.filter((l) => typeof l.level === 'string');
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) expect(line.correlation_id).toBe(correlationId);

    const read = await invokeHttp(
      'getOrder',
      httpEvent({
        method: 'GET',
        path: `/orders/${body?.orderId}`,
        routeKey: 'GET /orders/{orderId}',
        pathParameters: { orderId: String(body?.orderId) },
        query: { include: 'statusHistory,shipments' },
      }),
    );
    expect(read.response.statusCode).toBe(200);
    expect(read.body).toMatchObject({ orderId: body?.orderId, status: 'placed', shipments: [] });
    expect(read.body?.statusHistory).toEqual([{ status: 'placed', changedAt: body?.createdAt }]);
    expect(read.body).not.toHaveProperty('eventPublished');
  });

  it('an invalid body is a 400 problem+json listing each failing pointer, and the function never runs', async () => {
    const before = eventBridge.calls.length;
    const invalid = {
      ...validOrderRequest,
      lines: [{ ...validOrderRequest.lines[0], quantity: 0 }],
      shippingAddress: { ...validOrderRequest.shippingAddress, country: 'Germany' },
      coupon: 'FREE',
    };
    const { response, body } = await invokeHttp('createOrder', createOrderEvent(invalid));
    expect(response.statusCode).toBe(400);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(body).toMatchObject({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      instance: '/orders',
    });
    const pointers = errorPointers(body).sort();
    expect(pointers).toEqual(['/coupon', '/lines/0/quantity', '/shippingAddress/country']);
    expect(eventBridge.calls.length).toBe(before);
  });

  it('a body that is not JSON is a 400, a body sent as text/plain a 415', async () => {
    const notJson = { ...createOrderEvent(validOrderRequest), body: '{"customer":' };
    expect((await invokeHttp('createOrder', notJson)).response.statusCode).toBe(400);
    const text = createOrderEvent(validOrderRequest, { 'content-type': 'text/plain' });
    expect((await invokeHttp('createOrder', text)).response.statusCode).toBe(415);
  });

  it('an invalid path parameter is a 400 pointing at #/path/orderId', async () => {
    const { response, body } = await invokeHttp(
      'getOrder',
      httpEvent({
        method: 'GET',
        path: '/orders/not-a-uuid',
        routeKey: 'GET /orders/{orderId}',
        pathParameters: { orderId: 'not-a-uuid' },
        query: { include: 'statusHistory,everything' },
      }),
    );
    expect(response.statusCode).toBe(400);
    expect(errorPointers(body).sort()).toEqual(['#/path/orderId', '#/query/include/1']);
  });

  it('an unknown order is the declared 404; an unknown route is a 404 problem', async () => {
    const orderId = randomUUID();
    const missing = await invokeHttp(
      'getOrder',
      httpEvent({
        method: 'GET',
        path: `/orders/${orderId}`,
        routeKey: 'GET /orders/{orderId}',
        pathParameters: { orderId },
      }),
    );
    expect(missing.response.statusCode).toBe(404);
    expect(missing.body?.title).toBe('Order not found');

    const wrongRoute = await invokeHttp(
      'getOrder',
      httpEvent({
        method: 'DELETE',
        path: `/orders/${orderId}`,
        routeKey: 'DELETE /orders/{orderId}',
        pathParameters: { orderId },
      }),
    );
    expect(wrongRoute.response.statusCode).toBe(404);
    expect(wrongRoute.response.headers?.['content-type']).toBe('application/problem+json');
  });

  it('an exception becomes a 500 problem that leaks nothing; the log has the error', async () => {
    // The orders table does not exist: DynamoDB refuses the transaction, the function throws.
    process.env.ORDERS_TABLE_NAME = 'no-such-table';
    try {
      const { response, body, lines } = await invokeHttp('createOrder', createOrderEvent(validOrderRequest));
      expect(response.statusCode).toBe(500);
      expect(body).toMatchObject({ status: 500, title: 'Internal Server Error' });
      expect(JSON.stringify(body)).not.toMatch(/ResourceNotFound|no-such-table|stack|Error:/);
      const error = lines.find((l) => l.message === 'Unhandled error in the operation');
      expect(JSON.stringify(error)).toMatch(/ResourceNotFoundException/);
    } finally {
      process.env.ORDERS_TABLE_NAME = 'orders';
    }
  });

  it('write + publish are atomic: a publish that fails is relayed later from the outbox, once', async () => {
    const before = eventBridge.accepted.length;
    const created = await invokeHttp('createOrder', createOrderEvent(validOrderRequest));
    expect(created.response.statusCode).toBe(201);
    // EventBridge is down (every request a 503) while the relay runs: nothing is lost, the row stays.
    eventBridge.rejectRequests(() => ({ status: 503, code: 'ServiceUnavailable' }));
    try {
      const down = await relayOutbox();
      expect(down.result.batchItemFailures).toHaveLength(1);
    } finally {
      eventBridge.rejectRequests(undefined);
    }
    expect(eventBridge.accepted.length).toBe(before);
    // Lambda retries from the failed record: now the event goes out, with the order's id and its producer id.
    const up = await relayOutbox();
    expect(up.result.batchItemFailures).toEqual([]);
    const published = eventBridge.accepted.slice(before);
    expect(published).toHaveLength(1);
    const detail = JSON.parse(published[0]?.Detail ?? '{}');
    expect(detail.data.orderId).toBe(created.body?.orderId);
    expect(detail.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('Idempotency-Key: a retry returns the first order; the same key with another body is a 409', async () => {
    const key = `key-${randomUUID()}`;
    const before = eventBridge.accepted.length;
    const first = await invokeHttp(
      'createOrder',
      createOrderEvent(validOrderRequest, { 'idempotency-key': key }),
    );
    const again = await invokeHttp(
      'createOrder',
      createOrderEvent(validOrderRequest, { 'idempotency-key': key }),
    );
    expect(first.response.statusCode).toBe(201);
    expect(again.response.statusCode).toBe(201);
    expect(again.body?.orderId).toBe(first.body?.orderId);
    await relayOutbox();
    expect(eventBridge.accepted.length - before).toBe(1);

    const other = { ...validOrderRequest, notes: 'another order' };
    const conflict = await invokeHttp('createOrder', createOrderEvent(other, { 'idempotency-key': key }));
    expect(conflict.response.statusCode).toBe(409);
    expect(errorPointers(conflict.body)[0]).toBe('#/header/Idempotency-Key');
  });

  it('the public health check answers', async () => {
    const { response, body } = await invokeHttp(
      'getHealth',
      httpEvent({ method: 'GET', path: '/health', routeKey: 'GET /health' }),
    );
    expect(response.statusCode).toBe(200);
    expect(body).toEqual({ status: 'ok', version: '1.0.0' });
  });

  it('a malformed cookie on a route that declares no cookie parameter is ignored: the request proceeds', async () => {
    // Browsers send every cookie of the domain; `%E0%A4%A` is a truncated escape decodeURIComponent throws on.
    const event = {
      ...httpEvent({ method: 'GET', path: '/health', routeKey: 'GET /health' }),
      cookies: ['a=%E0%A4%A', '__proto__=%', 'theme=dark'],
    };
    const { response, body } = await invokeHttp('getHealth', event);
    expect(response.statusCode).toBe(200);
    expect(body).toEqual({ status: 'ok', version: '1.0.0' });
  });
});

describe('SQS consumers (EventBridge → SQS → Lambda)', () => {
  it('a batch of valid, invalid and throwing records reports exactly the failed itemIdentifiers', async () => {
    const handler = await loadHandler<SqsHandler>(bundles.faultyFulfilment);
    const sku = `SKU-${randomUUID().slice(0, 8).toUpperCase()}`;
    const valid = eventBridgeEvent('OrderPlaced', orderPlacedDetail({ sku }));
    const invalid = eventBridgeEvent('OrderPlaced', {
      ...orderPlacedDetail({ sku }),
      data: { orderId: 'x' },
    });
    const throwing = eventBridgeEvent('OrderPlaced', orderPlacedDetail({ sku, notes: 'FAIL' }));
    const unknownType = eventBridgeEvent('OrderCancelled', orderPlacedDetail({ sku }));
    const event = sqsEvent([valid, invalid, throwing, 'not json', unknownType]);
    const { result, lines } = await captureLogs(() => handler(event, lambdaContext('fulfilment')));

    const ids = event.Records.map((r) => r.messageId);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      [ids[1], ids[2], ids[3], ids[4]].sort(),
    );
    // The valid record was processed once; the throwing one changed nothing before it threw.
    const { reservedStock } = await import('../../app/lib/orders-table.js');
    expect(await reservedStock(sku)).toBe(3);
    // The poison record is logged with its validation errors (it reaches the DLQ after its retries).
    const poison = lines.find((l) => l.eventId === invalid.id && l.level === 'ERROR');
    expect(JSON.stringify(poison?.issues)).toMatch(/\/data\/orderId/);
    // Metrics: processed, invalid and failed events, by event type (CloudWatch EMF).
    const metricNames = lines.flatMap((l) => {
      const aws = l._aws as { CloudWatchMetrics?: { Metrics: { Name: string }[] }[] } | undefined;
      return aws?.CloudWatchMetrics?.[0]?.Metrics.map((m) => m.Name) ?? [];
    });
    expect(metricNames).toEqual(expect.arrayContaining(['EventsProcessed', 'EventsInvalid', 'EventsFailed']));
  });

  it('a duplicate delivery has no second side effect (idempotency on detail.data.orderId)', async () => {
    const handler = await loadHandler<SqsHandler>(bundles.fulfilment);
    const sku = `SKU-${randomUUID().slice(0, 8).toUpperCase()}`;
    const event = eventBridgeEvent('OrderPlaced', orderPlacedDetail({ sku }));
    const first = await captureLogs(() => handler(sqsEvent([event]), lambdaContext('fulfilment')));
    // Redelivered, even as a new EventBridge event for the same order (the key is the order id).
    const duplicate = eventBridgeEvent('OrderPlaced', event.detail);
    const second = await captureLogs(() =>
      handler(sqsEvent([event, duplicate]), lambdaContext('fulfilment')),
    );
    expect(first.result.batchItemFailures).toEqual([]);
    expect(second.result.batchItemFailures).toEqual([]);
    const { reservedStock } = await import('../../app/lib/orders-table.js');
    expect(await reservedStock(sku)).toBe(3);
    expect(second.lines.filter((l) => String(l.message).startsWith('Duplicate delivery'))).toHaveLength(2);
  });

  it('the correlation id of the HTTP request is on every log line of the consumer that handles its event', async () => {
    const correlationId = randomUUID();
    const before = eventBridge.accepted.length;
    await invokeHttp(
      'createOrder',
      createOrderEvent(validOrderRequest, { 'x-correlation-id': correlationId }),
    );
    await relayOutbox();
    const [entry] = eventBridge.accepted.slice(before);
    // What the rule's SQS target would deliver: the event EventBridge built from the entry.
    const delivered = eventBridgeEvent(entry?.DetailType ?? '', JSON.parse(entry?.Detail ?? '{}'));
    const handler = await loadHandler<SqsHandler>(bundles.fulfilment);
    const { result, lines } = await captureLogs(() =>
      handler(sqsEvent([delivered]), lambdaContext('fulfilment')),
    );
    expect(result.batchItemFailures).toEqual([]);
    // Log lines name the producer's id of the event (detail.eventId), the same on every delivery.
    const recordLines = lines.filter((l) => l.eventId === JSON.parse(entry?.Detail ?? '{}').eventId);
    expect(recordLines.map((l) => l.message)).toEqual(
      expect.arrayContaining(['Stock reserved', 'Pick list created', 'Event processed']),
    );
    for (const line of recordLines) expect(line.correlation_id).toBe(correlationId);
  });

  it('notifications record a message per event for customers with an e-mail address', async () => {
    const created = await invokeHttp('createOrder', createOrderEvent(validOrderRequest));
    const orderId = String(created.body?.orderId);
    const handler = await loadHandler<SqsHandler>(bundles.notifications);
    const payment = eventBridgeEvent('PaymentFailed', {
      metadata: { correlationId: randomUUID(), occurredAt: '2026-11-27T00:01:00Z' },
      data: {
        orderId,
        paymentId: randomUUID(),
        status: 'payment_failed',
        customer: validOrderRequest.customer,
        amount: { amount: '49.48', currency: 'EUR' },
        reason: 'card_declined',
        declineCode: null,
        retryable: false,
        attempt: 1,
        failedAt: '2026-11-27T00:00:59Z',
      },
    });
    const { result } = await captureLogs(() => handler(sqsEvent([payment]), lambdaContext('notifications')));
    expect(result.batchItemFailures).toEqual([]);
    const { getOrder } = await import('../../app/lib/orders-table.js');
    expect((await getOrder(orderId))?.notifications).toEqual([
      { kind: 'payment_failed', to: 'ada.lovelace@example.org', eventId: payment.id, at: payment.time },
    ]);
  });
});

describe('another service consumes OrderPlaced (examples/shipping, pinned from the orders registry)', () => {
  /** The shipping dispatch handler as its own deployment runs it: publishing to its own bus. */
  async function shippingDispatch() {
    const saved = process.env.EVENT_BUS_NAME;
    process.env.EVENT_BUS_NAME = 'shipping-bus';
    try {
      return await loadHandler<SqsHandler>(bundles.shippingDispatch);
    } finally {
      process.env.EVENT_BUS_NAME = saved;
    }
  }

  it('the dispatch consumer handles the OrderPlaced orders publishes and publishes one ShipmentDispatched with its correlation id', async () => {
    const correlationId = randomUUID();
    const before = eventBridge.accepted.length;
    await invokeHttp(
      'createOrder',
      createOrderEvent(validOrderRequest, { 'x-correlation-id': correlationId }),
    );
    await relayOutbox();
    // The relay also publishes rows earlier tests left: this order's event is the one with its correlation id.
    const entry = eventBridge.accepted
      .slice(before)
      .find((e) => JSON.parse(e.Detail ?? '{}').metadata?.correlationId === correlationId);
    expect(entry).toMatchObject({ EventBusName: 'orders-bus', DetailType: 'OrderPlaced' });
    const detail = JSON.parse(entry?.Detail ?? '{}');
    // The orders service stamps the registry version shipping pinned.
    expect(detail.schemaVersion).toBe(2);
    const delivered = eventBridgeEvent('OrderPlaced', detail);
    const redelivered = eventBridgeEvent('OrderPlaced', detail);
    const handler = await shippingDispatch();
    const { result, lines } = await captureLogs(() =>
      handler(sqsEvent([delivered]), lambdaContext('dispatch')),
    );
    expect(result.batchItemFailures).toEqual([]);
    // EventBridge delivers at least once: a redelivery later is recognised and publishes nothing.
    const again = await captureLogs(() => handler(sqsEvent([redelivered]), lambdaContext('dispatch')));
    expect(again.result.batchItemFailures).toEqual([]);
    expect(again.lines.filter((l) => String(l.message).startsWith('Duplicate delivery'))).toHaveLength(1);

    // One ShipmentDispatched, on shipping's bus, carrying the order's correlation id.
    const published = eventBridge.accepted.slice(before).filter((e) => e.EventBusName === 'shipping-bus');
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      EventBusName: 'shipping-bus',
      Source: 'com.example.shipping',
      DetailType: 'ShipmentDispatched',
    });
    const shipment = JSON.parse(published[0]?.Detail ?? '{}');
    expect(shipment.metadata).toMatchObject({ correlationId, causationId: detail.eventId });
    expect(shipment.data).toMatchObject({
      orderId: detail.data.orderId,
      carrier: 'dhl',
      parcels: 1,
      country: 'DE',
    });
    expect(shipment.schemaVersion).toBe(1);
    const orderLines = lines.filter((l) => l.eventId === detail.eventId);
    expect(orderLines.map((l) => l.message)).toEqual(
      expect.arrayContaining(['Shipment dispatched', 'Event processed']),
    );
    for (const line of orderLines) expect(line.correlation_id).toBe(correlationId);
  });

  it('an OrderPlaced off the pinned version fails alone, with the pointer of what v2 requires', async () => {
    const handler = await shippingDispatch();
    const valid = eventBridgeEvent('OrderPlaced', orderPlacedDetail());
    const { notes: _notes, ...withoutNotes } = orderPlacedDetail().data;
    const offContract = eventBridgeEvent('OrderPlaced', { ...orderPlacedDetail(), data: withoutNotes });
    const event = sqsEvent([valid, offContract]);
    const { result, lines } = await captureLogs(() => handler(event, lambdaContext('dispatch')));
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([event.Records[1]?.messageId]);
    const poison = lines.find((l) => l.eventId === offContract.id && l.level === 'ERROR');
    expect(JSON.stringify(poison?.issues)).toContain('notes');
  });
});

describe('direct EventBridge → Lambda consumer (audit)', () => {
  it('audits a valid event once and throws on an invalid one (Lambda retries it, then dead-letters it)', async () => {
    const handler = await loadHandler<DirectHandler>(bundles.audit);
    const detail = orderPlacedDetail();
    const event = eventBridgeEvent('OrderPlaced', detail);
    await captureLogs(() => handler(event, lambdaContext('audit')));
    const { getAuditRecord } = await import('../../app/lib/orders-table.js');
    expect(await getAuditRecord(event.id)).toMatchObject({
      eventType: 'OrderPlaced',
      orderId: detail.data.orderId,
      correlationId: detail.metadata.correlationId,
    });
    const invalid = eventBridgeEvent('OrderPlaced', {
      metadata: detail.metadata,
      data: { ...detail.data, total: 12 },
    });
    await expect(captureLogs(() => handler(invalid, lambdaContext('audit')))).rejects.toThrow(
      /\/data\/total/,
    );
    expect(await getAuditRecord(invalid.id)).toBeUndefined();
  });
});

describe('FIFO queues', () => {
  it('a failed record fails the rest of its message group, other groups go on, in order', async () => {
    // No example consumer is FIFO, so the generated runtime is driven with a FIFO definition directly.
    const [{ createSqsConsumer }, { observability }, { validateOrderPlacedDetail }] = await Promise.all([
      import('../../generated/runtime/consumer.js'),
      import('../../generated/service.js'),
      import('../../generated/validators/events.js'),
    ]);
    const seen: string[] = [];
    const handler = createSqsConsumer(
      {
        name: 'fifo-test',
        events: [
          {
            typeName: 'OrderPlaced',
            source: 'com.example.orders',
            detailType: 'OrderPlaced',
            validateDetail: validateOrderPlacedDetail,
            correlationIdPath: ['metadata', 'correlationId'],
          },
        ],
        idempotencyKey: 'id',
        idempotencyPrefix: `fifo-test-${randomUUID()}`,
        fifo: true,
      },
      observability,
      {
        OrderPlaced: async (event: { detail: { data: { notes: string | null } } }) => {
          if (event.detail.data.notes === 'a2') throw new Error('a2 fails');
          seen.push(String(event.detail.data.notes));
        },
      },
    );
    const notes = ['a1', 'b1', 'a2', 'b2', 'a3'];
    const event = sqsEvent(
      notes.map((n) => eventBridgeEvent('OrderPlaced', orderPlacedDetail({ notes: n }))),
    );
    event.Records.forEach((record, i) => {
      record.attributes.MessageGroupId = notes[i]?.[0] ?? '';
    });
    const { result } = await captureLogs(() => handler(event, lambdaContext('fifo-test')));
    expect(seen).toEqual(['a1', 'b1', 'b2']);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([
      event.Records[2]?.messageId,
      event.Records[4]?.messageId,
    ]);
  });
});
