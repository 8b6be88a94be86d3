import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Queryable } from '../../db/client.js';
import { customerBookingView, presentBooking } from '../bookings/index.js';
import { bookings } from '../bookings/schema.js';
import { bankTransferDetails } from '../payments/index.js';
import { bankTransferView } from '../payments/index.js';
import { refundDue } from '../payments/index.js';
import { payments } from '../payments/schema.js';

export const cancellationView = z.object({
  allowed: z.boolean(),
  /** What the policy gives back if the customer cancels now. */
  refundPence: z.number().int(),
  paidPence: z.number().int(),
  /** Cancelling before this instant gets the whole deposit back. */
  fullRefundUntil: z.date(),
});

export const customerBookingStatusView = z.object({
  booking: customerBookingView.nullable(),
  bankTransfer: bankTransferView.nullable(),
  cancellation: cancellationView.nullable(),
  canReschedule: z.boolean(),
  canRate: z.boolean(),
});

const ACTIVE_FIRST = sql`(${bookings.status} in ('pending_confirmation','confirmed','in_progress')) desc`;

/** The booking a customer link shows: the active one, else the latest; with what they may do next. */
export async function customerBookingStatus(
  db: Queryable,
  jobId: string,
  config: Config,
  now: Date,
): Promise<z.infer<typeof customerBookingStatusView>> {
  const [b] = await db.select().from(bookings).where(eq(bookings.jobId, jobId)).orderBy(ACTIVE_FIRST, desc(bookings.createdAt)).limit(1);
  if (!b) return { booking: null, bankTransfer: null, cancellation: null, canReschedule: false, canRate: false };
  const changeable = b.status === 'pending_confirmation' || b.status === 'confirmed';
  let cancellation = null;
  if (changeable) {
    const [paid] = await db
      .select({ amount: payments.amountPence })
      .from(payments)
      .where(and(eq(payments.bookingId, b.id), eq(payments.status, 'succeeded')));
    const paidPence = paid?.amount ?? 0;
    cancellation = {
      allowed: true,
      paidPence,
      refundPence: refundDue({ cause: 'customer', startsAt: b.startsAt, now, paidPence, fullHoursBefore: config.REFUND_FULL_HOURS_BEFORE }),
      fullRefundUntil: new Date(b.startsAt.getTime() - config.REFUND_FULL_HOURS_BEFORE * 3_600_000),
    };
  }
  return {
    booking: customerBookingView.parse(presentBooking(b)),
    bankTransfer: bankTransferDetails(b, config),
    cancellation,
    canReschedule: changeable && b.startsAt > now,
    canRate: b.status === 'completed' && b.customerRating === null,
  };
}
