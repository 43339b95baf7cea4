/**
 * The example service as a system on moto's server: the HTTP handler writes the order and its
 * outbox row, the relay publishes from the outbox table's stream onto the bus, the rules of the
 * contract route the event into the consumers' SQS queues, and the bundled consumers process them.
 * Every AWS call is moto's real API over loopback; Lambda's pollers are stand-ins (helpers/flow.ts).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DeleteItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../generated/cdk/contract.js';
import { freePort, type MotoServer, startMotoServer } from '../../generator/dev/moto-server.js';
import { httpEvent, orderPlacedDetail, validOrderRequest } from '../handlers/events.js';
import {
  type Clients,
  clients,
  createQueuePair,
  createTable,
  outboxRelayDriver,
  pumpQueue,
  type QueuePair,
  receiveAll,
  routeToQueue,
  type SqsHandler,
  type StreamHandler,
  useEndpoint,
} from '../helpers/flow.js';
import { type Bundle, bundleHandlers, captureLogs, lambdaContext, loadHandler } from '../helpers/lambda.js';
import { repoRoot } from '../helpers/project.js';

type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

const entries = {
  createOrder: join(repoRoot, 'app/handlers/http/create-order.ts'),
  relay: join(repoRoot, 'generated/outbox-relay.ts'),
  fulfilment: join(repoRoot, 'app/handlers/consumers/fulfilment.ts'),
  notifications: join(repoRoot, 'app/handlers/consumers/notifications.ts'),
};

let moto: MotoServer;
let aws: Clients;
let restoreEnv: () => void;
let outboxStream: string;
let bundles: Record<keyof typeof entries, Bundle>;
const queues: Record<string, QueuePair> = {};

beforeAll(async () => {
  moto = await startMotoServer();
  aws = clients(moto.endpoint);
  restoreEnv = useEndpoint(moto.endpoint, {
    ORDERS_TABLE_NAME: 'orders',
    IDEMPOTENCY_TABLE_NAME: 'idempotency',
    OUTBOX_TABLE_NAME: 'outbox',
    EVENT_BUS_NAME: contract.eventBusName,
  });
  [, , outboxStream] = await Promise.all([
    createTable(aws.dynamo, 'orders', 'pk'),
    createTable(aws.dynamo, 'idempotency', 'id'),
    createTable(aws.dynamo, 'outbox', 'id', true),
  ]);
  // The bus, and per queue consumer its queue, DLQ and rule with the contract's exact pattern.
  for (const consumer of contract.consumers.filter((c) => c.delivery === 'queue')) {
    const pair = await createQueuePair(aws.sqs, `${consumer.name}-queue`);
    queues[consumer.name] = pair;
    await routeToQueue(aws.events, contract.eventBusName, `${consumer.name}-rule`, consumer.pattern, pair);
  }
  const keys = Object.keys(entries) as (keyof typeof entries)[];
  const built = await bundleHandlers(keys.map((k) => entries[k]));
  bundles = Object.fromEntries(keys.map((k, i) => [k, built[i]])) as Record<keyof typeof entries, Bundle>;
});

afterAll(async () => {
  restoreEnv?.();
  await moto?.stop();
});

function queue(name: string): QueuePair {
  const found = queues[name];
  if (!found) throw new Error(`no queue for consumer ${name}`);
  return found;
}

async function createOrder(body: unknown, headers: Record<string, string>, sub = 'customer-1') {
  const handler = await loadHandler<HttpHandler>(bundles.createOrder);
  const event = httpEvent({ method: 'POST', path: '/orders', routeKey: 'POST /orders', body, headers });
  (event.requestContext as unknown as Record<string, unknown>).authorizer = {
    jwt: { claims: { iss: 'https://issuer.example.org', sub }, scopes: [] },
  };
  const { result } = await captureLogs(() => handler(event, lambdaContext('createOrder')));
  return { status: result.statusCode, body: JSON.parse(result.body ?? '{}') as Record<string, unknown> };
}

async function scan(table: string): Promise<Record<string, { S?: string; N?: string }>[]> {
  const { Items } = await aws.dynamo.send(new ScanCommand({ TableName: table }));
  return (Items ?? []) as Record<string, { S?: string; N?: string }>[];
}

let relayOnce: ReturnType<typeof outboxRelayDriver>;

/** One run of the relay over the stream records not yet published; returns what it reported failed. */
async function relay(): Promise<string[]> {
  relayOnce ??= outboxRelayDriver(
    aws.streams,
    outboxStream,
    () => loadHandler<StreamHandler>(bundles.relay),
    async (run) => (await captureLogs(run)).result,
  );
  const { result } = await relayOnce();
  return result.batchItemFailures.map((f) => f.itemIdentifier);
}

/** Processes a consumer's queue until it is empty (bounded), as Lambda's SQS poller would. */
async function drain(consumer: keyof typeof entries, name: string, polls = 5) {
  const handler = await loadHandler<SqsHandler>(bundles[consumer]);
  const outcomes: { received: number; failed: string[] }[] = [];
  for (let i = 0; i < polls; i++) {
    const { result } = await captureLogs(() => pumpQueue(aws.sqs, queue(name), handler));
    // Failed records come back after the visibility timeout (1 s here): keep polling for them.
    const waiting = outcomes.at(-1)?.failed.length ?? 0;
    if (result.received === 0 && waiting === 0) break;
    if (result.received > 0) outcomes.push(result);
  }
  return outcomes;
}

describe('the transactional outbox (write + publish atomic)', () => {
  it('a publish failure between write and publish loses nothing: the event arrives later; retries overwrite nothing', async () => {
    const key = `key-${randomUUID()}`;
    const first = await createOrder(validOrderRequest, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    const orderId = String(first.body.orderId);
    expect((await scan('outbox')).map((row) => row.id?.S)).toHaveLength(1);

    // The relay runs while EventBridge cannot be reached (a closed port): the row stays unpublished.
    const closed = `http://127.0.0.1:${await freePort()}`;
    const restore = useEndpoint(moto.endpoint, { AWS_ENDPOINT_URL_EVENTBRIDGE: closed });
    try {
      expect(await relay()).toHaveLength(1);
    } finally {
      restore();
      process.env.AWS_ENDPOINT_URL = moto.endpoint;
    }
    expect(await receiveAll(aws.sqs, queue('fulfilment').url, 1)).toEqual([]);

    // The client retries (same key): the same order, nothing overwritten, no second outbox row.
    const retry = await createOrder(validOrderRequest, { 'idempotency-key': key });
    expect(retry.body).toEqual(first.body);
    // Even with its idempotency record lost (e.g. it expired), a retry cannot overwrite the order.
    for (const row of await scan('idempotency')) {
      await aws.dynamo.send(
        new DeleteItemCommand({ TableName: 'idempotency', Key: { id: { S: row.id?.S ?? '' } } }),
      );
    }
    const late = await createOrder(
      { ...validOrderRequest, notes: 'changed on retry' },
      { 'idempotency-key': key },
    );
    expect(late.status).toBe(201);
    expect(late.body).toMatchObject({ orderId, createdAt: first.body.createdAt, notes: first.body.notes });
    expect(await scan('outbox')).toHaveLength(1);
    // The same key from another caller is another order.
    const other = await createOrder(validOrderRequest, { 'idempotency-key': key }, 'customer-2');
    expect(other.body.orderId).not.toBe(orderId);

    // EventBridge is back: the relay publishes both rows; the rule routes the first order's event to fulfilment.
    expect(await relay()).toEqual([]);
    const outcomes = await drain('fulfilment', 'fulfilment');
    expect(outcomes.flatMap((o) => o.failed)).toEqual([]);
    expect(outcomes.reduce((n, o) => n + o.received, 0)).toBe(2);
    const orders = (await scan('orders')).filter((row) => row.pk?.S?.startsWith('ORDER#'));
    const stored = orders.find((row) => row.pk?.S === `ORDER#${orderId}`) as
      | Record<string, unknown>
      | undefined;
    expect(stored?.pickList).toBeDefined();
  });
});

describe('producer-assigned event identity', () => {
  it('a producer retry (the same event put twice) is deduplicated by the consumer on detail.eventId', async () => {
    const created = await createOrder(validOrderRequest, {});
    const orderId = String(created.body.orderId);
    const eventId = randomUUID();
    const detail = {
      metadata: { correlationId: randomUUID(), occurredAt: '2026-12-05T00:00:00Z' },
      data: {
        orderId,
        shipmentId: randomUUID(),
        status: 'shipped',
        customer: validOrderRequest.customer,
        carrier: 'dhl',
        trackingNumber: '00340434161094042557',
        items: [{ sku: 'TSHIRT-BLK-M', quantity: 2 }],
        shippingAddress: validOrderRequest.shippingAddress,
        shippedAt: '2026-12-05T00:00:00Z',
      },
      eventId,
    };
    // Two PutEvents of the same event, as a producer whose first call timed out would make:
    // EventBridge gives each its own `id`; the producer's id is the same.
    for (let i = 0; i < 2; i++) {
      await aws.events.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: contract.eventBusName,
              Source: 'com.example.orders',
              DetailType: 'OrderShipped',
              Detail: JSON.stringify(detail),
            },
          ],
        }),
      );
    }
    // Both copies arrive (in one batch they run concurrently: the second waits for the first —
    // Powertools reports it in progress, it fails and comes back — then is skipped as a duplicate).
    const outcomes = await drain('notifications', 'notifications', 8);
    expect(outcomes.reduce((n, o) => n + o.received, 0)).toBeGreaterThanOrEqual(2);
    expect(await receiveAll(aws.sqs, queue('notifications').url, 2)).toEqual([]);
    expect(await receiveAll(aws.sqs, queue('notifications').deadLetterUrl)).toEqual([]);
    const order = (await scan('orders')).find((row) => row.pk?.S === `ORDER#${orderId}`) as
      | { notifications?: { L?: unknown[] } }
      | undefined;
    // One notification, not two: the second delivery was recognised as the same event.
    expect(order?.notifications?.L).toHaveLength(1);
  });
});

describe('poison events', () => {
  it('an event that can never pass validation is in the DLQ after one receive, with the reason', async () => {
    const fulfilment = queue('fulfilment');
    const restore = useEndpoint(moto.endpoint, { DEAD_LETTER_QUEUE_URL: fulfilment.deadLetterUrl });
    try {
      await aws.events.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: contract.eventBusName,
              Source: 'com.example.orders',
              DetailType: 'OrderPlaced',
              Detail: JSON.stringify({ metadata: { correlationId: 'not-a-uuid' }, data: { orderId: 42 } }),
            },
          ],
        }),
      );
      const outcomes = await drain('fulfilment', 'fulfilment', 1);
      expect(outcomes).toHaveLength(1);
      // Not reported as failed: it is handled by moving it, so it is not received again.
      expect(outcomes[0]?.failed).toEqual([]);
    } finally {
      restore();
    }
    expect(await receiveAll(aws.sqs, fulfilment.url, 1)).toEqual([]);
    const [dead] = await receiveAll(aws.sqs, fulfilment.deadLetterUrl, 1);
    expect(JSON.parse(dead?.Body ?? '{}')['detail-type']).toBe('OrderPlaced');
    const attributes = dead?.MessageAttributes ?? {};
    expect(attributes['evtgen-receive-count']?.StringValue).toBe('1');
    expect(attributes['evtgen-error']?.StringValue).toBe('InvalidEventError');
    expect(attributes['evtgen-reason']?.StringValue).toMatch(/\/data\/orderId/);
    expect(attributes['evtgen-consumer']?.StringValue).toBe('fulfilment');
  });

  it('a record that fails every receive is dead-lettered by the consumer on its last one, with the error that failed it', async () => {
    const fulfilment = queue('fulfilment');
    // The handler's table does not exist: every reservation fails (a dependency that is down).
    const restore = useEndpoint(moto.endpoint, {
      DEAD_LETTER_QUEUE_URL: fulfilment.deadLetterUrl,
      MAX_RECEIVE_COUNT: '2',
      ORDERS_TABLE_NAME: 'no-such-table',
    });
    const eventId = randomUUID();
    try {
      await aws.events.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: contract.eventBusName,
              Source: 'com.example.orders',
              DetailType: 'OrderPlaced',
              Detail: JSON.stringify({ ...orderPlacedDetail(), eventId }),
            },
          ],
        }),
      );
      const outcomes = await drain('fulfilment', 'fulfilment', 10);
      // The first receive fails and is retried; the second (the last) is handled by moving it.
      expect(outcomes.map((o) => [o.received, o.failed.length])).toEqual([
        [1, 1],
        [1, 0],
      ]);
    } finally {
      restore();
    }
    expect(await receiveAll(aws.sqs, fulfilment.url, 1)).toEqual([]);
    const [dead] = await receiveAll(aws.sqs, fulfilment.deadLetterUrl, 1);
    expect(JSON.parse(dead?.Body ?? '{}').detail.eventId).toBe(eventId);
    const attributes = dead?.MessageAttributes ?? {};
    expect(attributes['evtgen-receive-count']?.StringValue).toBe('2');
    expect(attributes['evtgen-error']?.StringValue).toBe('ResourceNotFoundException');
    expect(attributes['evtgen-reason']?.StringValue).toMatch(
      /resource not found|does not exist|Requested resource/i,
    );
    expect(attributes['evtgen-consumer']?.StringValue).toBe('fulfilment');
  });
});
