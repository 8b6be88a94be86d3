import { and, eq } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Queryable } from '../../db/client.js';
import { bookings } from '../bookings/schema.js';
import type { CancellationCause } from '../bookings/index.js';
import { recordRefund, refundDue } from './refunds.js';
import { payments } from './schema.js';

type Booking = typeof bookings.$inferSelect;

/**
 * The refund policy applied to a cancelled booking's paid deposit, inside the cancelling
 * transaction: the refund is recorded (a card one is sent after commit, a bank one paid by staff).
 * Answers the booking as it now is (its payment status may have become refunded).
 */
export async function refundForCancellation(
  tx: Queryable,
  booking: Booking,
  t: { cause: CancellationCause; reason?: string | null },
  config: Config,
  now: Date,
) {
  const [paid] = await tx
    .select()
    .from(payments)
    .where(and(eq(payments.bookingId, booking.id), eq(payments.status, 'succeeded')))
    .for('update');
  if (!paid) return { booking, refundPence: 0, refund: null, by: null };
  const refundPence = refundDue({
    cause: t.cause,
    startsAt: booking.startsAt,
    now,
    paidPence: paid.amountPence,
    fullHoursBefore: config.REFUND_FULL_HOURS_BEFORE,
  });
  const refund = refundPence > 0 ? await recordRefund(tx, paid, refundPence, `Cancelled (${t.cause}): ${t.reason}`) : null;
  const [after] = await tx.select().from(bookings).where(eq(bookings.id, booking.id));
  return { booking: after!, refundPence, refund, by: paid.kind === 'card' ? ('card' as const) : ('bank' as const) };
}
