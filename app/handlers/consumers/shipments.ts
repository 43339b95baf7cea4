/**
 * The shipments consumer (operation recordShipment): records every parcel the shipping service
 * dispatched on its order. ShipmentDispatched is the shipping service's event, pinned from its
 * registry in specs/external/; its rule is on `shipping-bus`. Idempotent on
 * `detail.data.shipmentId` (spec: `x-consumer.idempotencyKey`), so a duplicate delivery records the
 * parcel once.
 */
import { shipmentsConsumer } from '../../../generated/consumers/shipments.js';
import { addDispatch } from '../../lib/orders-table.js';

/** The Lambda entry point. */
export const handler = shipmentsConsumer({
  async ShipmentDispatched(event, { logger }) {
    const { orderId, shipmentId, carrier, parcels, dispatchedAt } = event.detail.data;
    const recorded = await addDispatch(orderId, {
      shipmentId,
      carrier,
      parcels,
      dispatchedAt,
      // The producer's id survives retries and relays; the EventBridge id does not.
      eventId: event.detail.eventId ?? event.id,
    });
    if (!recorded) {
      // The shipping service dispatched an order this table does not hold (another environment's).
      logger.warn('Order not in the orders table: dispatch not recorded', { orderId, shipmentId });
      return;
    }
    logger.info('Dispatch recorded', { orderId, shipmentId, carrier });
  },
});
