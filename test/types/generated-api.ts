/**
 * Compile-time tests of the generated API (checked by `npm run typecheck`, never run): guards
 * narrow, envelopes carry literal routing keys, and contract drift is a type error.
 */
import {
  type CreateOrderRequestBody,
  eventCatalog,
  isOrderPlaced,
  type OrderPlacedEvent,
  operationCatalog,
  validateGetOrderQuery,
  validateOrderPlacedDetail,
} from '../../generated/index.js';

export function narrowsWithGuard(value: unknown): string | undefined {
  if (isOrderPlaced(value)) return value.orderId;
  // @ts-expect-error: without the guard the value is unknown.
  return value.orderId;
}

export function resultCarriesTheType(value: unknown): number {
  const result = validateOrderPlacedDetail(value);
  if (!result.valid) return result.issues.filter((issue) => issue.pointer.startsWith('/data')).length;
  const correlationId: string = result.value.metadata.correlationId;
  return correlationId.length;
}

export function envelopeHasLiteralRoutingKeys(event: OrderPlacedEvent): 'OrderPlaced' {
  const source: 'com.example.orders' = event.source;
  void source;
  return event['detail-type'];
}

export function queryIsTyped(): readonly string[] | undefined {
  const result = validateGetOrderQuery({ include: 'shipments' });
  return result.valid ? result.value.include : undefined;
}

export const catalogIsTyped: 'POST' = operationCatalog.createOrder.method;
export const detailType: 'OrderPlaced' = eventCatalog.OrderPlaced.detailType;

export const badBody: CreateOrderRequestBody = {
  // @ts-expect-error: the request body has no such property.
  unknownField: true,
};
