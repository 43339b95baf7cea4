/**
 * The dispatch consumer (operation dispatchOrder): books a carrier for every order the orders
 * service placed and publishes ShipmentDispatched to the shipping bus. OrderPlaced is another
 * service's event, pinned from the orders registry (specs/external/); its rule is on orders-bus.
 * Idempotent on `detail.data.orderId`, and the booking is derived from the order, so a duplicate
 * OrderPlaced publishes nothing new.
 */
import { dispatchConsumer } from '../../../generated/consumers/dispatch.js';
import { createPublishers } from '../../../generated/publishers.js';
import { book } from '../../lib/carrier.js';

const publishers = createPublishers();

/** The Lambda entry point. */
export const handler = dispatchConsumer({
  async OrderPlaced(event, { logger }) {
    const order = event.detail.data;
    const booking = book(order);
    const { shippingAddress } = order;
    await publishers.shipmentDispatched(
      {
        shipmentId: booking.shipmentId,
        orderId: order.orderId,
        carrier: booking.carrier,
        parcels: booking.parcels,
        ...(shippingAddress.postalCode ? { postalCode: shippingAddress.postalCode } : {}),
        country: shippingAddress.country,
        dispatchedAt: new Date().toISOString(),
      },
      {
        correlationId: event.detail.metadata.correlationId,
        causationId: event.detail.eventId ?? event.id,
        occurredAt: new Date().toISOString(),
        producer: 'shipping-dispatch',
      },
      // The same fact every time this order is dispatched: consumers deduplicate on it.
      { eventId: `shipment-dispatched-${booking.shipmentId}` },
    );
    logger.info('Shipment dispatched', { orderId: order.orderId, ...booking });
  },
});
