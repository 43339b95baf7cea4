/**
 * Poison events of the faults phase, on the repository's example contract: each one's detail is
 * refused by the real generated validator of its event type, only for its data, while its
 * metadata passes; event ids are unique; consumers are taken in turn.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  validateEventMetadata,
  validateOrderPlacedDetail,
  validateOrderShippedDetail,
  validatePaymentFailedDetail,
  validateShipmentDispatchedDetail,
  validateShippingEventMetadata,
} from '../../generated/validators/events.js';
import { poisonEvents } from '../../generator/loadtest/poison.js';
import { loadContract } from '../../generator/model/build-model.js';

const repo = join(import.meta.dirname, '..', '..');

const validators: Record<
  string,
  (value: unknown) => { valid: boolean; issues?: readonly { pointer: string }[] }
> = {
  OrderPlaced: validateOrderPlacedDetail,
  OrderShipped: validateOrderShippedDetail,
  PaymentFailed: validatePaymentFailedDetail,
  ShipmentDispatched: validateShipmentDispatchedDetail,
};

async function model() {
  const loaded = await loadContract(repo, join(repo, 'specs'), {
    validate: false,
    requireSecurity: false,
    checkDeployability: false,
  });
  if (!loaded.model) throw new Error(JSON.stringify(loaded.diagnostics, null, 2));
  return loaded.model;
}

describe('poison events', () => {
  it('carry valid metadata and data the consumer refuses', async () => {
    const correlationIds: string[] = [];
    const poison = await poisonEvents(await model(), {
      count: 12,
      busName: 'orders-bus',
      correlationId: () => {
        const id = randomUUID();
        correlationIds.push(id);
        return id;
      },
      now: () => new Date('2025-06-01T12:00:00.000Z'),
    });
    expect(poison).toHaveLength(12);
    for (const p of poison) {
      // ShipmentDispatched is the shipping service's: its poison goes on shipping's bus, as its rule is there.
      const shipping = p.eventType === 'ShipmentDispatched';
      expect(p.entry).toMatchObject({
        EventBusName: shipping ? 'shipping-bus' : 'orders-bus',
        Source: shipping ? 'com.example.shipping' : 'com.example.orders',
        DetailType: p.eventType,
      });
      const detail = JSON.parse(p.entry.Detail ?? '') as {
        metadata: unknown;
        data: unknown;
        eventId: string;
      };
      const checked = validators[p.eventType]?.(detail);
      expect(checked?.valid, `${p.eventType} ${p.reason}`).toBe(false);
      expect(
        checked?.issues?.every((issue) => issue.pointer.startsWith('/data')),
        JSON.stringify(checked),
      ).toBe(true);
      const validateMetadata = shipping ? validateShippingEventMetadata : validateEventMetadata;
      expect(validateMetadata(detail.metadata).valid).toBe(true);
      expect(detail.metadata).toMatchObject({
        correlationId: p.correlationId,
        occurredAt: '2025-06-01T12:00:00.000Z',
      });
      expect(detail.eventId).toBe(p.eventId);
      expect(p.receivers).toContain(p.consumer);
      expect(p.reason).toMatch(/^data\.\w+ removed \(required\)$/);
    }
    expect(new Set(poison.map((p) => p.eventId)).size).toBe(12);
    expect(poison.map((p) => p.correlationId)).toEqual(correlationIds);
    // Consumers in turn, then their event types in turn.
    expect(poison.slice(0, 8).map((p) => `${p.consumer}:${p.eventType}`)).toEqual([
      'audit:OrderPlaced',
      'fulfilment:OrderPlaced',
      'notifications:OrderShipped',
      'shipments:ShipmentDispatched',
      'audit:OrderShipped',
      'fulfilment:OrderPlaced',
      'notifications:PaymentFailed',
      'shipments:ShipmentDispatched',
    ]);
    // Only shipments receives ShipmentDispatched: audit's rule is on the orders bus.
    expect(poison.find((p) => p.consumer === 'shipments')?.receivers).toEqual(['shipments']);
  });

  it('keep what the consumer rule filters on and its idempotency key', async () => {
    const poison = await poisonEvents(await model(), { count: 3, busName: 'b', correlationId: randomUUID });
    const notifications = poison.find((p) => p.consumer === 'notifications');
    const detail = JSON.parse(notifications?.entry.Detail ?? '') as { data: Record<string, unknown> };
    // notifications' rule wants data.customer.email: the event must still reach it.
    expect(detail.data.customer).toMatchObject({ email: expect.any(String) });
    expect(notifications?.receivers).toEqual(['audit', 'notifications']);
    const fulfilment = poison.find((p) => p.consumer === 'fulfilment');
    const placed = JSON.parse(fulfilment?.entry.Detail ?? '') as { data: Record<string, unknown> };
    expect(placed.data.orderId).toBeDefined();
    expect(fulfilment?.receivers).toEqual(['audit', 'fulfilment']);
  });

  it('makes none for a count of 0', async () => {
    expect(await poisonEvents(await model(), { count: 0, busName: 'b', correlationId: randomUUID })).toEqual(
      [],
    );
  });
});
