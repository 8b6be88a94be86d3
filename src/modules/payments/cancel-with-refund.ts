import { and, eq } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { bookings } from '../bookings/schema.js';
import { transitionBookingTx, type Transition } from '../bookings/index.js';
import { bookingCancelledMessage } from '../notifications/index.js';
import type { PaymentGateway } from './gateway.js';
import { executeRefund, recordRefund, refundDue } from './refunds.js';
import { payments } from './schema.js';

/**
 * Cancels a booking and applies the refund policy to its paid deposit in the same transaction;
 * a card refund is then sent to Stripe (outside the transaction), a bank one recorded for staff.
 */
export async function cancelWithRefund(db: Db, gateway: PaymentGateway | null, bookingId: string, t: Transition & { to: 'cancelled' }, config: Config, now: Date) {
  const result = await db.transaction(async (tx) => {
    const booking = await transitionBookingTx(tx, bookingId, t, now);
    const [paid] = await tx.select().from(payments).where(and(eq(payments.bookingId, bookingId), eq(payments.status, 'succeeded'))).for('update');
    if (!paid) {
      await bookingCancelledMessage(tx, bookingId, { pence: 0, by: null });
      return { booking, refundPence: 0, refund: null };
    }
    const refundPence = refundDue({ cause: t.cause!, startsAt: booking.startsAt, now, paidPence: paid.amountPence, fullHoursBefore: config.REFUND_FULL_HOURS_BEFORE });
    const refund = refundPence > 0 ? await recordRefund(tx, paid, refundPence, `Cancelled (${t.cause}): ${t.reason}`) : null;
    await bookingCancelledMessage(tx, bookingId, { pence: refundPence, by: paid.kind === 'card' ? 'card' : 'bank' });
    const [after] = await tx.select().from(bookings).where(eq(bookings.id, bookingId));
    return { booking: after!, refundPence, refund };
  });
  if (result.refund?.status === 'pending') await executeRefund(db, gateway, result.refund.id);
  return result;
}
