/**
 * getOrder: GET /orders/{orderId} — Read an order
 *
 * This file is yours: evtgen created it once and never changes it. Requests reach this function
 * already validated and typed; return one of the responses the contract declares. When the
 * contract changes, `npx tsc --noEmit` points at whatever here no longer fits.
 */
import { type GetOrderImplementation, getOrderHandler } from '../../../generated/handlers/get-order.js';

export const getOrder: GetOrderImplementation = async (_request, { logger }) => {
  logger.info('getOrder called');
  // e.g. return { status: 200, body: { … } };
  throw new Error('getOrder is not implemented yet');
};

/** The Lambda entry point (API Gateway HTTP API, payload format 2.0). */
export const handler = getOrderHandler(getOrder, { validateResponses: true });
