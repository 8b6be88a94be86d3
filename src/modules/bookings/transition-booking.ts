import { and, eq } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/client.js';
import { AppError, notFound } from '../../shared/errors.js';
import { allowedNext, type BookingStatus, canTransition, isActive, needsReason } from './booking-status.js';
import { bookingEvents, bookings, jobMatchingHistory, slotClaims } from './schema.js';
import { bookingConfirmedMessages } from '../notifications/index.js';

export type CancellationCause = 'customer' | 'contractor' | 'business' | 'no_show' | 'payment_not_received';

export type Transition = {
  to: BookingStatus;
  reason?: string | null;
  /** Who caused a cancellation: feeds the reliability score (contractor and no_show count against). */
  cause?: CancellationCause | null;
  actor: string;
  /** When set, the booking must belong to this contractor (the contractor app). */
  contractorId?: string;
};

const STAMP: Partial<Record<BookingStatus, 'confirmedAt' | 'startedAt' | 'completedAt' | 'cancelledAt' | 'declinedAt'>> = {
  confirmed: 'confirmedAt',
  in_progress: 'startedAt',
  completed: 'completedAt',
  cancelled: 'cancelledAt',
  declined: 'declinedAt',
};

/**
 * Moves a booking along the status machine under a row lock, inside the caller's transaction.
 * Leaving the active states frees the slot (the claim is deleted) and marks the matching history
 * (completed or not). What follows elsewhere (the lead, the contractor's skills, a refund) is the
 * flow's job: src/flows/move-booking.ts.
 */
export async function transitionBookingTx(tx: Queryable, bookingId: string, t: Transition, now: Date) {
  if (needsReason(t.to) && !t.reason?.trim()) {
    throw new AppError('REASON_REQUIRED', `A reason is required to mark a booking ${t.to}`, { field: 'reason' });
  }
  if (t.to === 'cancelled' && !t.cause) throw new AppError('CAUSE_REQUIRED', 'Say who caused the cancellation', { field: 'cause' });
  {
    const [b] = await tx.select().from(bookings).where(eq(bookings.id, bookingId)).for('update');
    if (!b || (t.contractorId && b.contractorId !== t.contractorId)) throw notFound('Booking', { id: bookingId });
    if (!canTransition(b.status, t.to)) {
      throw new AppError('INVALID_TRANSITION', `A ${b.status} booking cannot become ${t.to}`, {
        from: b.status,
        to: t.to,
        allowed: allowedNext(b.status),
      });
    }
    const stamp = STAMP[t.to];
    const freed = !isActive(t.to);
    const [updated] = await tx
      .update(bookings)
      .set({
        status: t.to,
        statusReason: t.reason ?? b.statusReason,
        cancellationCause: t.to === 'cancelled' ? t.cause : b.cancellationCause,
        ...(freed ? { claimId: null } : {}),
        ...(stamp ? { [stamp]: now } : {}),
        updatedAt: now,
      })
      .where(eq(bookings.id, bookingId))
      .returning();
    if (freed && b.claimId) await tx.delete(slotClaims).where(eq(slotClaims.id, b.claimId));
    await tx
      .insert(bookingEvents)
      .values({ bookingId, fromStatus: b.status, toStatus: t.to, actor: t.actor, reason: t.reason ?? null, at: now });

    if (freed) {
      await tx
        .update(jobMatchingHistory)
        .set({ jobCompleted: t.to === 'completed' })
        .where(and(eq(jobMatchingHistory.bookingId, bookingId), eq(jobMatchingHistory.wasSelected, true)));
    }
    if (t.to === 'confirmed') await bookingConfirmedMessages(tx, bookingId);
    return updated!;
  }
}

/** A customer's 1-5 rating of a completed job, with an optional short review; feeds the performance score. */
export async function rateBooking(db: Db, bookingId: string, rating: number, review: string | null = null) {
  return db.transaction(async (tx) => {
    const [b] = await tx.select().from(bookings).where(eq(bookings.id, bookingId)).for('update');
    if (!b) throw notFound('Booking', { id: bookingId });
    if (b.status !== 'completed') throw new AppError('NOT_COMPLETED', 'Only a completed job can be rated', { status: b.status });
    if (b.customerRating !== null) throw new AppError('ALREADY_RATED', 'This job has been rated already', { rating: b.customerRating });
    await tx
      .update(bookings)
      .set({ customerRating: rating, customerReview: review?.trim() || null, updatedAt: new Date() })
      .where(eq(bookings.id, bookingId));
    await tx
      .update(jobMatchingHistory)
      .set({ customerRating: rating })
      .where(and(eq(jobMatchingHistory.bookingId, bookingId), eq(jobMatchingHistory.wasSelected, true)));
    return { bookingId, rating, review: review?.trim() || null };
  });
}
