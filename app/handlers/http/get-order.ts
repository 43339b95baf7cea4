/**
 * getOrder: GET /orders/{orderId} — Read an order
 *
 * Reads the order from the orders table; `include` adds the optional sections.
 */
import { type GetOrderImplementation, getOrderHandler } from '../../../generated/handlers/get-order.js';
import { getOrder as readOrder, toApiOrder } from '../../lib/orders-table.js';

export const getOrder: GetOrderImplementation = async ({ path, query }, { logger }) => {
  const stored = await readOrder(path.orderId);
  if (!stored) {
    logger.info('Order not found', { orderId: path.orderId });
    return {
      status: 404,
      body: {
        type: 'https://api.orders.example.org/problems/order-not-found',
        title: 'Order not found',
        status: 404,
        detail: `No order ${path.orderId}.`,
        instance: `/orders/${path.orderId}`,
      },
    };
  }
  // Only the contract's fields leave: what the table keeps besides (pick list, notifications) stays inside.
  const order = toApiOrder(stored, new Set(query.include ?? []));
  return { status: 200, body: order };
};

/** The Lambda entry point (API Gateway HTTP API, payload format 2.0). */
export const handler = getOrderHandler(getOrder, { validateResponses: true });
