import { eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { bookings, jobMatchingHistory } from './schema.js';

type Booking = typeof bookings.$inferSelect;
export type BookingPaymentPatch = Partial<Pick<Booking, 'paymentStatus' | 'receiptDueAt' | 'receiptReminderSentAt'>>;

/**
 * The payment side of a booking as payments decides it (awaiting the receipt, paid, refunded; the
 * receipt deadline and its reminder). Returns the booking, or null when there is none.
 */
export async function setBookingPayment(tx: Queryable, bookingId: string, patch: BookingPaymentPatch, now?: Date): Promise<Booking | null> {
  const [b] = await tx
    .update(bookings)
    .set({ ...patch, ...(now ? { updatedAt: now } : {}) })
    .where(eq(bookings.id, bookingId))
    .returning();
  return b ?? null;
}

/** Everyone scored for a job before anyone is booked (urgent dispatch); a booking claims them later. */
export async function recordCandidates(
  tx: Queryable,
  jobId: string,
  ranked: { contractorId: string; matchScore: number; breakdown: Record<string, number>; reasons: string[] }[],
) {
  if (!ranked.length) return;
  await tx.insert(jobMatchingHistory).values(
    ranked.map((c) => ({
      jobId,
      contractorId: c.contractorId,
      matchScore: c.matchScore,
      breakdown: c.breakdown,
      reasons: c.reasons,
      wasSelected: false,
    })),
  );
}
