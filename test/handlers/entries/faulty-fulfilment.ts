/**
 * A fulfilment consumer for the partial-batch test: the example's own logic, except that an order
 * whose notes say "FAIL" throws, so a batch can mix valid, invalid and throwing records.
 */

import { reserveStock } from '../../../app/lib/orders-table.js';
import { fulfilmentConsumer } from '../../../generated/consumers/fulfilment.js';

export const handler = fulfilmentConsumer({
  async OrderPlaced(event) {
    if (event.detail.data.notes === 'FAIL') throw new Error('warehouse system unavailable');
    for (const line of event.detail.data.lines) await reserveStock(line.sku, line.quantity);
  },
});
