/**
 * `evtgen dev` on the example, end to end: the built CLI starts moto's server, provisions the
 * synthesized template into it and runs the service. Requests go over HTTP to its API; events flow
 * through the real handler, DynamoDB, the outbox stream, the relay, the emulator's bus and rules,
 * the queues and the consumers. Nothing is mocked: the test reads results from the emulator with
 * the AWS SDK and from the status endpoint.
 *
 * Failures are injected with `--inject-failure`: notifications fails every time; fulfilment fails
 * 30 % of its invocations *after* the handler did its work (the retry must not repeat it); audit
 * (a direct rule → Lambda consumer) fails 30 % before its handler runs (Lambda's async retries,
 * then its on-failure DLQ).
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  ChangeMessageVisibilityBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublishers } from '../../generated/publishers.js';
import type { DevStatus } from '../../generator/dev/dev-status.js';
import { validOrderRequest } from '../handlers/events.js';
import { type DevProcess, exampleAppProject, setDevFaults, startDevProcess } from '../helpers/dev-process.js';
import { eventually } from '../helpers/eventually.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let dev: DevProcess;
let dynamo: DynamoDBClient;
let sqs: SQSClient;
let events: EventBridgeClient;
let tables: { orders: string; outbox: string };

beforeAll(async () => {
  const dir = await exampleAppProject();
  dev = await startDevProcess(dir, [
    '--no-watch',
    '--inject-failure',
    'notifications=1',
    '--inject-failure',
    'fulfilment=0.3:after',
    '--inject-failure',
    'audit=0.3:before',
  ]);
  const config = { endpoint: dev.state.endpoint, region: dev.state.region, credentials };
  dynamo = new DynamoDBClient(config);
  sqs = new SQSClient(config);
  events = new EventBridgeClient(config);
  const status = await readStatus();
  const tableOf = (prefix: string): string => {
    const found = Object.entries(status.resources.tables).find(([id]) => id.startsWith(prefix));
    if (!found) throw new Error(`no table ${prefix}* in ${JSON.stringify(status.resources.tables)}`);
    return found[1];
  };
  tables = { orders: tableOf('OrdersTable'), outbox: tableOf('ServiceOutboxTable') };
}, 300_000);

afterAll(async () => {
  if (!dev) return;
  const code = await dev.stop();
  // Everything it started is gone: the emulator no longer answers.
  await expect(fetch(`${dev.state.endpoint}/moto-api/`)).rejects.toThrow();
  expect(code).toBe(0);
  await rm(dev.dir, { recursive: true, force: true });
});

async function readStatus(): Promise<DevStatus> {
  const response = await fetch(dev.state.status);
  expect(response.status).toBe(200);
  return (await response.json()) as DevStatus;
}

async function placeOrder(
  body: unknown,
  idempotencyKey = randomUUID(),
): Promise<{ status: number; orderId: string }> {
  const response = await fetch(`${dev.state.http}/orders`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${dev.state.token}`,
      'content-type': 'application/json',
      'idempotency-key': idempotencyKey,
    },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { orderId?: string };
  return { status: response.status, orderId: json.orderId ?? '' };
}

type Attribute = { readonly S?: string; readonly N?: string; readonly L?: unknown };

async function item(pk: string): Promise<Record<string, Attribute> | undefined> {
  const { Item } = await dynamo.send(
    new GetItemCommand({ TableName: tables.orders, Key: { pk: { S: pk } } }),
  );
  return Item as Record<string, Attribute> | undefined;
}

async function scanAll(table: string): Promise<Record<string, { S?: string; N?: string }>[]> {
  const items: Record<string, { S?: string; N?: string }>[] = [];
  let start: Record<string, never> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...((page.Items ?? []) as Record<string, { S?: string; N?: string }>[]));
    start = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (start);
  return items;
}

/**
 * Every message of a dead-letter queue, left in place: each receive hides what it returned (moto
 * returns the same first ten to receives that hide nothing), and afterwards all are made visible
 * again.
 */
async function peekAll(queueUrl: string): Promise<string[]> {
  const received: Message[] = [];
  for (;;) {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 60,
        WaitTimeSeconds: 0,
      }),
    );
    if (!Messages || Messages.length === 0) break;
    received.push(...Messages);
  }
  for (let i = 0; i < received.length; i += 10)
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: received
          .slice(i, i + 10)
          .map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle ?? '', VisibilityTimeout: 0 })),
      }),
    );
  return received.map((m) => m.Body ?? '');
}

/** A SKU no other test uses (the contract's pattern: upper-case segments of up to 16 characters). */
function uniqueSku(prefix: string): string {
  return `${prefix}-${randomUUID().replaceAll('-', '').slice(0, 16).toUpperCase()}`;
}

function deadLetterQueue(
  status: DevStatus,
  consumer: string,
  hop: string,
): DevStatus['deadLetterQueues'][number] {
  const queue = status.deadLetterQueues.find(
    (q) => q.consumers.includes(consumer) && q.hops.includes(hop as never),
  );
  if (!queue) throw new Error(`no ${hop} DLQ of ${consumer} in ${JSON.stringify(status.deadLetterQueues)}`);
  return queue;
}

describe('evtgen dev on the example', () => {
  it('POST /orders → 201, the order in the table, OrderPlaced delivered to fulfilment (pick list) and audit', async () => {
    // The happy path, so without the injected failures of the flags: with audit failing 30 % of its
    // attempts, 2.7 % of runs would see all three fail and the event rightly dead-lettered instead.
    await setDevFaults(dev, { functions: { audit: { errorRate: 0 }, fulfilment: { errorRate: 0 } } });
    try {
      const sku = uniqueSku('E2E');
      const body = { ...validOrderRequest, lines: [{ ...validOrderRequest.lines[0], sku, quantity: 2 }] };
      const created = await placeOrder(body);
      expect(created.status).toBe(201);
      const stored = await item(`ORDER#${created.orderId}`);
      expect(stored?.status?.S).toBe('placed');
      const pickList = await eventually(
        'the pick list',
        async () => (await item(`ORDER#${created.orderId}`))?.pickList,
      );
      expect(pickList).toEqual({ L: [{ M: { sku: { S: sku }, quantity: { N: '2' } } }] });
      expect((await item(`SKU#${sku}`))?.reserved).toEqual({ N: '2' });
      const audited = await eventually('the audit record', async () =>
        (await scanAll(tables.orders)).find(
          (i) => i.pk?.S?.startsWith('AUDIT#') && i.orderId?.S === created.orderId,
        ),
      );
      expect(audited.eventType?.S).toBe('OrderPlaced');
      // The route and the request went through the JWT authorizer: without the token, 401.
      const anonymous = await fetch(`${dev.state.http}/orders`, {
        method: 'POST',
        body: JSON.stringify(body),
      });
      expect(anonymous.status).toBe(401);
    } finally {
      await setDevFaults(dev, undefined);
    }
  });

  it('a duplicate delivery of OrderPlaced has no second side effect', async () => {
    const sku = uniqueSku('DUP');
    const body = { ...validOrderRequest, lines: [{ ...validOrderRequest.lines[0], sku, quantity: 3 }] };
    const { orderId } = await placeOrder(body);
    await eventually('the pick list', async () => (await item(`ORDER#${orderId}`))?.pickList);
    // The exact entry the relay published, from the outbox row, sent to the bus a second time.
    const row = (await scanAll(tables.outbox)).find((r) => r.detail?.S?.includes(orderId));
    expect(row).toBeDefined();
    const before = (await readStatus()).consumers.fulfilment?.succeeded ?? 0;
    const put = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: dev.state.eventBusName,
            Source: row?.source?.S,
            DetailType: row?.detailType?.S,
            Detail: row?.detail?.S,
          },
        ],
      }),
    );
    expect(put.FailedEntryCount).toBe(0);
    await eventually('the duplicate processed', async () =>
      ((await readStatus()).consumers.fulfilment?.succeeded ?? 0) > before ? true : undefined,
    );
    expect((await item(`SKU#${sku}`))?.reserved).toEqual({ N: '3' });
  });

  it('a consumer that fails every time: its messages reach its DLQ after maxReceiveCount; the other consumers process them', async () => {
    const publishers = createPublishers({ eventBusName: dev.state.eventBusName, client: events });
    const shipped = Array.from({ length: 3 }, () => randomUUID());
    for (const eventId of shipped)
      await publishers.orderShipped(
        {
          orderId: randomUUID(),
          shipmentId: randomUUID(),
          status: 'shipped',
          customer: validOrderRequest.customer,
          carrier: 'dhl',
          trackingNumber: '00340434161094042557',
          items: [{ sku: 'MUG-001', quantity: 1 }],
          shippingAddress: validOrderRequest.shippingAddress,
          shippedAt: '2026-12-05T07:44:31Z',
        },
        { occurredAt: '2026-12-05T07:45:00Z', producer: 'fulfilment' },
        { eventId },
      );
    const status = await readStatus();
    const dlq = deadLetterQueue(status, 'notifications', 'queue-redrive');
    const bodies = await eventually('the notifications DLQ', async () => {
      const all = await peekAll(dlq.queueUrl);
      return shipped.every((id) => all.some((b) => b.includes(id))) ? all : undefined;
    });
    for (const eventId of shipped) {
      const copies = bodies.filter((b) => b.includes(eventId));
      expect(copies).toHaveLength(1);
    }
    const notifications = (await readStatus()).consumers.notifications;
    // Five receives each (maxReceiveCount 5), none succeeded.
    expect(notifications?.succeeded).toBe(0);
    expect(notifications?.failed).toBeGreaterThanOrEqual(shipped.length * 5);
    // audit received the same events and processed each (or gave up on it into its own DLQ).
    const auditDlq = deadLetterQueue(status, 'audit', 'on-failure');
    await eventually('audit of the shipped events', async () => {
      const audits = (await scanAll(tables.orders)).filter((i) => i.pk?.S?.startsWith('AUDIT#'));
      const lost = await peekAll(auditDlq.queueUrl);
      return shipped.every(
        (id) => audits.some((a) => a.eventId?.S === id) || lost.some((b) => b.includes(id)),
      )
        ? true
        : undefined;
    });
  });

  it('a poison event goes to the consumer DLQ with the reason, and is never processed', async () => {
    const orderId = randomUUID();
    const eventId = randomUUID();
    const put = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: dev.state.eventBusName,
            Source: 'com.example.orders',
            DetailType: 'OrderPlaced',
            // No lines, no customer: invalid against the contract.
            Detail: JSON.stringify({ metadata: { correlationId: randomUUID() }, data: { orderId }, eventId }),
          },
        ],
      }),
    );
    expect(put.FailedEntryCount).toBe(0);
    const status = await readStatus();
    const dlq = deadLetterQueue(status, 'fulfilment', 'handler');
    const dead = await eventually('the poison event in the fulfilment DLQ', async () =>
      (await peekAll(dlq.queueUrl)).find((b) => b.includes(eventId)),
    );
    expect(JSON.parse(dead).detail.eventId).toBe(eventId);
    expect(await item(`ORDER#${orderId}`)).toBeUndefined();
  });

  it('500 orders with fulfilment failing 30 % (after its work) and audit 30 %: every event processed exactly once or in a DLQ, none lost', async () => {
    const skus = Array.from({ length: 5 }, () => uniqueSku('LOAD'));
    const orders: { orderId: string; sku: string; quantity: number }[] = [];
    const total = 500;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < total) {
        const i = next++;
        const sku = skus[i % skus.length] as string;
        const quantity = (i % 3) + 1;
        const body = { ...validOrderRequest, lines: [{ ...validOrderRequest.lines[0], sku, quantity }] };
        const created = await placeOrder(body);
        expect(created.status).toBe(201);
        orders.push({ orderId: created.orderId, sku, quantity });
      }
    };
    const before = await readStatus();
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(new Set(orders.map((o) => o.orderId)).size).toBe(total);

    // Quiet when the counters say every event went through (cheap to poll); then read the data once.
    let progress = '';
    await eventually(
      () => `every event relayed, fulfilled and audited, or given up on (${progress})`,
      async () => {
        const now = await readStatus();
        const delta = (consumer: string, field: 'succeeded' | 'sentToOnFailure' | 'inFlight') =>
          (now.consumers[consumer]?.[field] ?? 0) -
          (field === 'inFlight' ? 0 : (before.consumers[consumer]?.[field] ?? 0));
        const dlqGrowth = (consumer: string, hop: string) =>
          deadLetterQueue(now, consumer, hop).depth - deadLetterQueue(before, consumer, hop).depth;
        const relayed = delta('outboxRelay', 'succeeded');
        const fulfilled = delta('fulfilment', 'succeeded') + dlqGrowth('fulfilment', 'queue-redrive');
        const audited = delta('audit', 'succeeded') + delta('audit', 'sentToOnFailure');
        progress = `relayed ${relayed}, fulfilled or redriven ${fulfilled}, audited or given up ${audited}`;
        const idle = ['outboxRelay', 'fulfilment', 'audit'].every((c) => delta(c, 'inFlight') === 0);
        return relayed >= total && fulfilled >= total && audited >= total && idle ? true : undefined;
      },
      420_000,
    );
    const status = await readStatus();
    const auditDlq = deadLetterQueue(status, 'audit', 'on-failure');
    const fulfilmentDlq = deadLetterQueue(status, 'fulfilment', 'queue-redrive');
    const ids = new Set(orders.map((o) => o.orderId));
    // The counters count outcomes, not events: a duplicate delivery (the relay publishes at least
    // once) adds an outcome, so they can reach the total while an event still waits between two
    // retries. Read the data until every order has its outcome; the assertions below then check
    // that each has exactly one.
    const readOutcomes = async () => {
      const items = await scanAll(tables.orders);
      const picked = new Set(
        items.filter((i) => i.pk?.S?.startsWith('ORDER#') && i.pickList).map((i) => i.orderId?.S),
      );
      const audited = items.filter((i) => i.pk?.S?.startsWith('AUDIT#') && ids.has(i.orderId?.S ?? ''));
      const auditDead = (await peekAll(auditDlq.queueUrl)).filter((b) =>
        orders.some((o) => b.includes(o.orderId)),
      );
      const fulfilmentDead = (await peekAll(fulfilmentDlq.queueUrl)).filter((b) =>
        orders.some((o) => b.includes(o.orderId)),
      );
      return { picked, audited, auditDead, fulfilmentDead };
    };
    let outcomes = await readOutcomes();
    await eventually(
      () =>
        `an outcome for every order (audited ${outcomes.audited.length} + dead-lettered ${outcomes.auditDead.length} of ${total})`,
      async () => {
        outcomes = await readOutcomes();
        const fulfilled = orders.every(
          (o) => outcomes.picked.has(o.orderId) || outcomes.fulfilmentDead.some((b) => b.includes(o.orderId)),
        );
        return outcomes.audited.length + outcomes.auditDead.length >= total && fulfilled ? true : undefined;
      },
      120_000,
    );
    const { picked, audited, auditDead, fulfilmentDead } = outcomes;
    // Fulfilment: every order's event processed, or in the DLQ after maxReceiveCount.
    const unaccounted = orders.filter(
      (o) => !picked.has(o.orderId) && !fulfilmentDead.some((b) => b.includes(o.orderId)),
    );
    expect(unaccounted).toEqual([]);
    const settled = { audited, auditDead, picked };
    // Audit: each OrderPlaced exactly once — audited once, or in the DLQ and never audited.
    const auditedIds = settled.audited.map((a) => a.orderId?.S);
    expect(new Set(auditedIds).size).toBe(auditedIds.length);
    for (const body of settled.auditDead) {
      const orderId = orders.find((o) => body.includes(o.orderId))?.orderId;
      expect(auditedIds).not.toContain(orderId);
    }
    expect(settled.audited.length + settled.auditDead.length).toBe(total);
    // Fulfilment: the stock of every SKU was reserved exactly once per order, despite the retries.
    for (const sku of skus) {
      const expected = orders
        .filter((o) => o.sku === sku && settled.picked.has(o.orderId))
        .reduce((s, o) => s + o.quantity, 0);
      expect(Number((await item(`SKU#${sku}`))?.reserved?.N ?? 0)).toBe(expected);
    }
    // The failures did happen, and were retried.
    const after = await readStatus();
    expect(after.consumers.fulfilment?.failed).toBeGreaterThan(0);
    expect(after.consumers.audit?.failed).toBeGreaterThan(0);
    expect(after.routes['POST /orders']?.statuses['201']).toBeGreaterThanOrEqual(total);
  }, 600_000);
});
