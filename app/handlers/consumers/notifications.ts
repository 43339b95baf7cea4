/**
 * The notifications consumer (operation notifyCustomer): tells customers about shipments and
 * failed payments. The rule only lets events through whose customer has an e-mail address; each
 * notification is recorded on the order (where an e-mail sender would pick it up).
 */

import type { ConsumerContext } from '../../../generated/consumers/notifications.js';
import { notificationsConsumer } from '../../../generated/consumers/notifications.js';
import { addNotification, type Notification } from '../../lib/orders-table.js';

async function notify(
  orderId: string,
  email: string | null | undefined,
  notification: Omit<Notification, 'to'>,
  { logger }: ConsumerContext,
): Promise<void> {
  if (!email) {
    logger.info('Customer has no e-mail address: nothing to send', { orderId });
    return;
  }
  const recorded = await addNotification(orderId, { ...notification, to: email });
  if (recorded) logger.info('Notification queued', { orderId, kind: notification.kind });
  else logger.warn('Order unknown: notification dropped', { orderId, kind: notification.kind });
}

/** The producer's id of the event (the same on every redelivery), else EventBridge's. */
function eventIdOf(event: { readonly id: string; readonly detail: { readonly eventId?: string } }): string {
  return event.detail.eventId ?? event.id;
}

/** The Lambda entry point. */
export const handler = notificationsConsumer({
  async OrderShipped(event, context) {
    const { orderId, customer } = event.detail.data;
    await notify(
      orderId,
      customer.email,
      { kind: 'shipped', eventId: eventIdOf(event), at: event.time },
      context,
    );
  },
  async PaymentFailed(event, context) {
    const { orderId, customer } = event.detail.data;
    await notify(
      orderId,
      customer.email,
      { kind: 'payment_failed', eventId: eventIdOf(event), at: event.time },
      context,
    );
  },
});
