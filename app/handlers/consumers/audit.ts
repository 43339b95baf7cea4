/**
 * The audit consumer (operation auditOrderEvents): The audit consumer appends every event of the orders service to the audit log.
 *
 * This file is yours: evtgen created it once and never changes it. Each function receives one
 * validated, typed event; throw to have it retried (and dead-lettered after its retries). A
 * duplicate delivery never reaches you. When the contract changes, `npx tsc --noEmit` points at
 * whatever here no longer fits.
 */
import { auditConsumer } from '../../../generated/consumers/audit.js';

/** The Lambda entry point. */
export const handler = auditConsumer({
  async OrderPlaced(event, { logger }) {
    logger.info('OrderPlaced received', { eventId: event.id });
  },
  async OrderShipped(event, { logger }) {
    logger.info('OrderShipped received', { eventId: event.id });
  },
  async PaymentFailed(event, { logger }) {
    logger.info('PaymentFailed received', { eventId: event.id });
  },
});
