/**
 * The notifications consumer (operation notifyCustomer): The notifications consumer e-mails customers about shipments and failed payments.
 *
 * This file is yours: evtgen created it once and never changes it. Each function receives one
 * validated, typed event; throw to have it retried (and dead-lettered after its retries). A
 * duplicate delivery never reaches you. When the contract changes, `npx tsc --noEmit` points at
 * whatever here no longer fits.
 */
import { notificationsConsumer } from '../../../generated/consumers/notifications.js';

/** The Lambda entry point. */
export const handler = notificationsConsumer({
  async OrderShipped(event, { logger }) {
    logger.info('OrderShipped received', { eventId: event.id });
  },
  async PaymentFailed(event, { logger }) {
    logger.info('PaymentFailed received', { eventId: event.id });
  },
});
