/**
 * The fulfilment consumer (operation fulfilOrder): The fulfilment consumer reserves stock and creates a pick list for every placed order.
 *
 * This file is yours: evtgen created it once and never changes it. Each function receives one
 * validated, typed event; throw to have it retried (and dead-lettered after its retries). A
 * duplicate delivery never reaches you. When the contract changes, `npx tsc --noEmit` points at
 * whatever here no longer fits.
 */
import { fulfilmentConsumer } from '../../../generated/consumers/fulfilment.js';

/** The Lambda entry point. */
export const handler = fulfilmentConsumer({
  async OrderPlaced(event, { logger }) {
    logger.info('OrderPlaced received', { eventId: event.id });
  },
});
