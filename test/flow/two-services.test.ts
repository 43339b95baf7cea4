/**
 * Two services in one `evtgen dev` (`--service`): the orders service and the shipping service of
 * examples/shipping, each synthesized from its own CDK app and provisioned into one moto server.
 * Orders are placed over HTTP; each OrderPlaced goes through the orders outbox and relay onto
 * `orders-bus`, where shipping's rule takes it to the dispatch consumer, which publishes
 * ShipmentDispatched on `shipping-bus`, where the orders service's rule takes it to the shipments
 * consumer, which records the parcel on the order. Nothing is mocked; every event is counted: in
 * the orders table, in both services' counters, in the shared journal and in every dead-letter
 * queue.
 */
import { randomUUID } from 'node:crypto';
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevStatus } from '../../generator/dev/dev-status.js';
import type { JournalEntry, PublishedJournalEntry } from '../../generator/dev/event-journal.js';
import { validOrderRequest } from '../handlers/events.js';
import { type DevProcess, exampleAppProject, startDevProcess } from '../helpers/dev-process.js';
import { eventually } from '../helpers/eventually.js';
import { repoRoot } from '../helpers/project.js';

const orders = 5;
let dev: DevProcess;
let dynamo: DynamoDBClient;
let ordersTable: string;

beforeAll(async () => {
  const dir = await exampleAppProject('two-');
  // Laid out as in the repository, so both configurations' registry paths resolve.
  for (const entry of ['specs', 'app', 'generated', 'cdk.json', 'evtgen.config.json'])
    await cp(join(repoRoot, 'examples', 'shipping', entry), join(dir, 'examples', 'shipping', entry), {
      recursive: true,
    });
  dev = await startDevProcess(dir, ['--no-watch', '--service', 'examples/shipping']);
  dynamo = new DynamoDBClient({
    endpoint: dev.state.endpoint,
    region: dev.state.region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const status = await readStatus();
  ordersTable =
    Object.entries(status.resources.tables).find(([id]) => id.startsWith('OrdersTable'))?.[1] ?? '';
}, 400_000);

afterAll(async () => {
  if (!dev) return;
  expect(await dev.stop()).toBe(0);
  await rm(dev.dir, { recursive: true, force: true });
});

async function readStatus(): Promise<DevStatus> {
  const response = await fetch(dev.state.status);
  expect(response.status).toBe(200);
  return (await response.json()) as DevStatus;
}

async function journal(): Promise<JournalEntry[]> {
  const response = await fetch(new URL('/_evtgen/journal?after=0&limit=10000', dev.state.status));
  return ((await response.json()) as { entries: JournalEntry[] }).entries;
}

async function placeOrder(): Promise<string> {
  const response = await fetch(`${dev.state.http}/orders`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${dev.state.token}`,
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify(validOrderRequest),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { orderId: string }).orderId;
}

async function dispatchesOf(orderId: string): Promise<{ shipmentId: string; carrier: string }[]> {
  const { Item } = await dynamo.send(
    new GetItemCommand({ TableName: ordersTable, Key: { pk: { S: `ORDER#${orderId}` } } }),
  );
  const list = (Item?.dispatches as { L?: { M: Record<string, { S?: string }> }[] } | undefined)?.L ?? [];
  return list.map(({ M }) => ({ shipmentId: M.shipmentId?.S ?? '', carrier: M.carrier?.S ?? '' }));
}

describe('evtgen dev --service examples/shipping', () => {
  it('runs both services on one emulator, each rule on the bus of the event it receives', async () => {
    const status = await readStatus();
    expect(status.service).toBe('OrdersService');
    expect(status.services?.map((s) => s.service)).toEqual(['ShippingService']);
    const shipping = status.services?.[0];
    expect(shipping?.subscriptions.map((s) => [s.consumer, s.eventBusName])).toEqual([
      ['dispatch', 'orders-bus'],
    ]);
    expect(status.subscriptions.map((s) => `${s.consumer} on ${s.eventBusName}`).sort()).toEqual([
      'audit on orders-bus',
      'fulfilment on orders-bus',
      'notifications on orders-bus',
      'shipments on shipping-bus',
    ]);
    expect(dev.lines.some((line) => line.includes('service    shipping-service'))).toBe(true);
  });

  it('an OrderPlaced of orders reaches shipping, and its ShipmentDispatched comes back to orders', async () => {
    const placed: string[] = [];
    for (let i = 0; i < orders; i++) placed.push(await placeOrder());

    // Each order gets exactly one parcel recorded, by the shipments consumer of the orders service.
    let seen: number[] = [];
    await eventually(
      () => `one dispatch recorded per order (seen: ${seen.join(', ')})`,
      async () => {
        seen = await Promise.all(placed.map(async (orderId) => (await dispatchesOf(orderId)).length));
        return seen.every((n) => n >= 1) ? true : undefined;
      },
      180_000,
    );
    const recorded = await Promise.all(placed.map(dispatchesOf));
    expect(recorded.map((list) => list.length)).toEqual(placed.map(() => 1));
    expect(new Set(recorded.flat().map((d) => d.shipmentId)).size).toBe(orders);

    const status = await readStatus();
    const shipping = status.services?.[0];
    expect(shipping?.consumers.dispatch).toMatchObject({ succeeded: orders, failed: 0 });
    expect(status.consumers.shipments).toMatchObject({ succeeded: orders, failed: 0 });
    // Nothing dead-lettered in either service.
    for (const queue of [...status.deadLetterQueues, ...(shipping?.deadLetterQueues ?? [])])
      expect(queue.depth, queue.queueName).toBe(0);

    // The shared journal: every OrderPlaced was routed to shipping's dispatch (besides orders' own
    // consumers), every ShipmentDispatched to orders' shipments, and each consumer processed each.
    const entries = await journal();
    const published = (type: string) =>
      entries.filter((e): e is PublishedJournalEntry => e.kind === 'published' && e.detailType === type);
    expect(published('OrderPlaced')).toHaveLength(orders);
    for (const entry of published('OrderPlaced'))
      expect(entry.consumers).toEqual(['audit', 'fulfilment', 'shipping-service/dispatch']);
    expect(published('ShipmentDispatched')).toHaveLength(orders);
    for (const entry of published('ShipmentDispatched')) {
      expect(entry.eventBusName).toBe('shipping-bus');
      expect(entry.consumers).toEqual(['shipments']);
    }
    const processed = (consumer: string) =>
      new Set(entries.filter((e) => e.kind === 'processed' && e.consumer === consumer).map((e) => e.eventId));
    expect(processed('shipping-service/dispatch').size).toBe(orders);
    expect(processed('shipments').size).toBe(orders);
    // One business transaction, one correlation id across both services.
    const byEvent = new Map(published('OrderPlaced').map((e) => [e.correlationId, e]));
    for (const entry of published('ShipmentDispatched'))
      expect(byEvent.has(entry.correlationId), entry.correlationId).toBe(true);
  }, 300_000);
});
