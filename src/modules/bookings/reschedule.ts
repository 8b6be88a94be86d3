import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { type BookingRules, type Slot, slotInstants } from '../availability/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import { claimCandidates, lockSession } from './claims.js';
import { contractorHasCapacity } from './record-booking.js';
import { bookingEvents, bookings, jobMatchingHistory, slotClaims } from './schema.js';

type CandidateRecord = { contractorId: string; matchScore: number; breakdown: unknown; reasons: string[] };

/**
 * Moves a booking to the slot this session holds, in one transaction: the hold becomes the
 * booking's claim, the booking takes its contractor, date and slot, and only then is the old
 * slot released. If anything fails nothing changes: the customer keeps the old booking (and the
 * hold until it lapses). Status, payment and deposit stay as they were.
 */
export async function rescheduleBooking(
  db: Db,
  bookingId: string,
  sessionId: string,
  o: { rules: BookingRules; now: Date; actor: string },
) {
  return db.transaction(async (tx) => {
    const [b] = await tx.select().from(bookings).where(eq(bookings.id, bookingId)).for('update');
    if (!b) throw notFound('Booking', { id: bookingId });
    if (b.status !== 'pending_confirmation' && b.status !== 'confirmed')
      throw new AppError('NOT_RESCHEDULABLE', `A ${b.status} booking cannot be moved`, { status: b.status });
    if (b.startsAt <= o.now) throw new AppError('NOT_RESCHEDULABLE', 'This booking has already started', null);
    await lockSession(tx, b.jobId, sessionId);
    const [hold] = await tx
      .select()
      .from(slotClaims)
      .where(and(eq(slotClaims.jobId, b.jobId), eq(slotClaims.sessionId, sessionId), eq(slotClaims.kind, 'hold')))
      .for('update');
    if (!hold || hold.expiresAt! <= o.now) throw new AppError('NO_HOLD', 'Hold the new slot first (holds last 5 minutes)', null);
    if (hold.contractorId !== b.contractorId && !(await contractorHasCapacity(tx, hold.contractorId, hold.date)).ok) {
      throw new AppError('SLOT_UNAVAILABLE', 'The contractor for that slot can take no more work; pick another slot', {
        date: hold.date,
        slot: hold.slot,
      });
    }
    const { startsAt, endsAt } = slotInstants(hold.date, hold.slot as Slot, o.rules);
    await tx.update(slotClaims).set({ kind: 'booking', expiresAt: null }).where(eq(slotClaims.id, hold.id));
    const [moved] = await tx
      .update(bookings)
      .set({
        claimId: hold.id,
        contractorId: hold.contractorId,
        date: hold.date,
        slot: hold.slot,
        startsAt,
        endsAt,
        sessionId,
        updatedAt: o.now,
      })
      .where(eq(bookings.id, b.id))
      .returning();
    await tx.delete(slotClaims).where(eq(slotClaims.id, b.claimId!));
    await tx.insert(bookingEvents).values({
      bookingId: b.id,
      fromStatus: b.status,
      toStatus: b.status,
      actor: o.actor,
      reason: `rescheduled from ${b.date} ${b.slot} to ${hold.date} ${hold.slot}`,
      at: o.now,
    });
    // The history follows the contractor now doing the job.
    const candidates = (await claimCandidates(tx, hold)) as CandidateRecord[];
    if (hold.contractorId !== b.contractorId) {
      await tx.update(jobMatchingHistory).set({ wasSelected: false }).where(eq(jobMatchingHistory.bookingId, b.id));
      if (candidates.length) {
        await tx.insert(jobMatchingHistory).values(
          candidates.map((c) => ({
            bookingId: b.id,
            jobId: b.jobId,
            contractorId: c.contractorId,
            matchScore: c.matchScore,
            breakdown: c.breakdown,
            reasons: c.reasons,
            wasSelected: c.contractorId === hold.contractorId,
          })),
        );
      }
    }
    return moved!;
  });
}
