import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { Transition } from '../modules/bookings/index.js';
import { bookingCancelledMessage } from '../modules/notifications/index.js';
import { endWaitingPayments, executeRefund, type PaymentGateway, refundForCancellation } from '../modules/payments/index.js';
import { moveBooking } from './move-booking.js';

/**
 * A pending booking declined (by its contractor or staff), one transaction, so the customer is
 * never dropped silently:
 * 1. bookings + leads: the booking is declined, its slot freed, and the lead follows (move-booking.ts);
 * 2. payments: a paid deposit is refunded in full (the customer did nothing wrong); a deposit still
 *    awaited is cancelled; a receipt waiting for review is flagged for staff to refund;
 * 3. notifications: the customer is told, with the refund (the contractor's reason stays internal).
 * After commit: a card refund is sent to Stripe.
 */
export async function declineBooking(
  db: Db,
  gateway: PaymentGateway | null,
  bookingId: string,
  t: Transition & { to: 'declined' },
  config: Config,
  now: Date,
) {
  const result = await db.transaction(async (tx) => {
    const declined = await moveBooking(tx, bookingId, t, now);
    const r = await refundForCancellation(tx, declined, { cause: 'contractor', reason: `declined: ${t.reason}` }, config, now);
    const transferUnderReview = await endWaitingPayments(tx, bookingId, 'declined', now);
    await bookingCancelledMessage(
      tx,
      bookingId,
      { pence: r.refundPence, by: r.by, transferUnderReview },
      'the contractor cannot take it; reply to this message and we will find you another slot',
    );
    return r;
  });
  if (result.refund?.status === 'pending') await executeRefund(db, gateway, result.refund.id);
  return result;
}
