/**
 * The fulfilment consumer (operation fulfilOrder): reserves stock and records the pick list of
 * every placed order. Idempotent on `detail.data.orderId` (spec: `x-consumer.idempotencyKey`), so a
 * duplicate OrderPlaced never reserves the stock twice.
 */
import { fulfilmentConsumer } from '../../../generated/consumers/fulfilment.js';
import { reserveStock, setPickList } from '../../lib/orders-table.js';

/** The Lambda entry point. */
export const handler = fulfilmentConsumer({
  async OrderPlaced(event, { logger }) {
    const { orderId, lines } = event.detail.data;
    const pickList = lines.map(({ sku, quantity }) => ({ sku, quantity }));
    for (const { sku, quantity } of pickList) {
      const reserved = await reserveStock(sku, quantity);
      logger.info('Stock reserved', { orderId, sku, quantity, reserved });
    }
    if (!(await setPickList(orderId, pickList))) {
      // Stock stays reserved for the event's lines; the order record may simply live elsewhere.
      logger.warn('Order not in the orders table: pick list not recorded', { orderId });
      return;
    }
    logger.info('Pick list created', { orderId, lines: pickList.length });
  },
});
