/**
 * Carrier booking of the example shipping service. A real service calls the carrier's API here; the
 * example decides deterministically from the order, so a retried or duplicate event books the same
 * parcel (same shipment id) and the event the consumer publishes is the same fact every time.
 */
import { createHash } from 'node:crypto';
import type { Carrier, OrderPlaced } from '../../generated/events/models.js';

/** Lines per parcel: a parcel holds at most this many items. */
const itemsPerParcel = 10;

export interface Booking {
  readonly shipmentId: string;
  readonly carrier: Carrier;
  readonly parcels: number;
}

/** A UUID (version 5 layout) derived from the order id: the shipment of an order is one id forever. */
export function shipmentIdFor(orderId: string): string {
  const hex = createHash('sha1').update(`shipment:${orderId}`).digest('hex');
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** DHL in Germany, PostNL in the Netherlands, UPS elsewhere. */
export function carrierFor(country: string): Carrier {
  if (country === 'DE') return 'dhl';
  if (country === 'NL') return 'postnl';
  return 'ups';
}

export function book(order: OrderPlaced): Booking {
  const items = order.lines.reduce((sum, line) => sum + line.quantity, 0);
  return {
    shipmentId: shipmentIdFor(order.orderId),
    carrier: carrierFor(order.shippingAddress.country),
    parcels: Math.min(50, Math.max(1, Math.ceil(items / itemsPerParcel))),
  };
}
