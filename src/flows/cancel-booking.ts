import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { Transition } from '../modules/bookings/index.js';
import { bookingCancelledMessage } from '../modules/notifications/index.js';
import { executeRefund, type PaymentGateway, refundForCancellation } from '../modules/payments/index.js';
import { moveBooking } from './move-booking.js';

/**
 * Cancelling a booking (by the customer, the business, the contractor or as a no-show), one transaction:
 * 1. bookings + leads: the booking is cancelled, its slot freed, and the lead follows (move-booking.ts);
 * 2. payments: the refund policy applied to a paid deposit, the refund recorded;
 * 3. notifications: the customer is told, with the refund.
 * After commit: a card refund is sent to Stripe (a bank one waits for staff).
 */
export async function cancelBooking(
  db: Db,
  gateway: PaymentGateway | null,
  bookingId: string,
  t: Transition & { to: 'cancelled' },
  config: Config,
  now: Date,
) {
  const result = await db.transaction(async (tx) => {
    const cancelled = await moveBooking(tx, bookingId, t, now);
    const r = await refundForCancellation(tx, cancelled, { cause: t.cause!, reason: t.reason }, config, now);
    await bookingCancelledMessage(tx, bookingId, { pence: r.refundPence, by: r.by });
    return r;
  });
  if (result.refund?.status === 'pending') await executeRefund(db, gateway, result.refund.id);
  return result;
}
