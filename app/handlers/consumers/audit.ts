/**
 * The audit consumer (operation auditOrderEvents): appends every event of the orders service to
 * the audit trail in the orders table, delivered directly by EventBridge (no queue).
 */

import type { ConsumerContext } from '../../../generated/consumers/audit.js';
import { auditConsumer } from '../../../generated/consumers/audit.js';
import { putAuditRecord } from '../../lib/orders-table.js';

interface Audited {
  readonly id: string;
  readonly time: string;
  readonly 'detail-type': string;
  readonly detail: { readonly data: { readonly orderId: string }; readonly eventId?: string };
}

async function audit(event: Audited, { correlationId, logger }: ConsumerContext): Promise<void> {
  await putAuditRecord({
    // The producer's id: a producer retry is the same audit record, not a second one.
    eventId: event.detail.eventId ?? event.id,
    eventType: event['detail-type'],
    orderId: event.detail.data.orderId,
    correlationId,
    time: event.time,
  });
  logger.info('Audited', { orderId: event.detail.data.orderId });
}

/** The Lambda entry point. */
export const handler = auditConsumer({
  OrderPlaced: audit,
  OrderShipped: audit,
  PaymentFailed: audit,
});
