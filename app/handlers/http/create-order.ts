/**
 * createOrder: POST /orders — Place an order
 *
 * This file is yours: evtgen created it once and never changes it. Requests reach this function
 * already validated and typed; return one of the responses the contract declares. When the
 * contract changes, `npx tsc --noEmit` points at whatever here no longer fits.
 */
import {
  type CreateOrderImplementation,
  createOrderHandler,
} from '../../../generated/handlers/create-order.js';

export const createOrder: CreateOrderImplementation = async (_request, { logger }) => {
  logger.info('createOrder called');
  // e.g. return { status: 201, body: { … } };
  throw new Error('createOrder is not implemented yet');
};

/** The Lambda entry point (API Gateway HTTP API, payload format 2.0). */
export const handler = createOrderHandler(createOrder, { validateResponses: true });
