import { and, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { AppError } from '../../shared/errors.js';
import { ACTIVE_BOOKING_STATUSES, type BookingRules, type Slot, slotInstants, urgentSlot } from '../availability/index.js';
import { claimSlot } from './claims.js';
import { assertJobNotBooked } from './find-booking.js';
import { contractorHasCapacity, recordBooking } from './record-booking.js';
import { jobMatchingHistory } from './schema.js';

/**
 * Books a contractor who accepted urgent work, inside the accepting transaction: the slot is
 * claimed through the same UNIQUE guard as every booking, before the contractor lock (the order
 * every booking path keeps), then capacity and any overlapping booking are checked (409s), and the
 * booking is confirmed. The candidates scored when the job was dispatched become this booking's
 * matching history.
 */
export async function bookUrgent(
  tx: Queryable,
  u: { contractorId: string; jobId: string; date: string; slot: Slot; matchScore: number | null; reasons: string[] },
  rules: BookingRules,
  now: Date,
) {
  const { contractorId } = u;
  // The job was booked another way while it was being dispatched (a customer's checkout, staff).
  await assertJobNotBooked(tx, u.jobId);
  const claim = await claimSlot(tx, { kind: 'booking', contractorId, date: u.date, slot: u.slot, jobId: u.jobId, now });
  if (!claim) throw new AppError('SLOT_CONFLICT', 'You are already booked in this slot', { date: u.date, slot: u.slot });
  if (!(await contractorHasCapacity(tx, contractorId, u.date)).ok)
    throw new AppError('CONTRACTOR_AT_CAPACITY', `You have as many open jobs on ${u.date} as you can take`, { date: u.date });
  // Urgent work starts now when the dispatch's slot is the current one; an accept that comes
  // after that slot ended keeps the dispatch's own window rather than another slot's times.
  const current = urgentSlot(now, rules);
  const instants = current.date === u.date && current.slot === u.slot ? current : slotInstants(u.date, u.slot, rules);
  // The two-hour minimum can run into the contractor's next slot: a clear 409, not the EXCLUDE constraint's error.
  const clash = await tx.execute(sql`select 1 from bookings where contractor_id = ${contractorId} and status in ${ACTIVE_BOOKING_STATUSES}
                                     and tstzrange(starts_at, ends_at) && tstzrange(${instants.startsAt.toISOString()}::timestamptz, ${instants.endsAt.toISOString()}::timestamptz)`);
  if (clash.rows.length) throw new AppError('SLOT_CONFLICT', 'You have another booking in that time', { date: u.date, slot: u.slot });
  const booking = await recordBooking(tx, claim, {
    status: 'confirmed',
    source: 'dispatch',
    actor: `contractor:${contractorId}`,
    rules,
    now,
    candidates: [],
    instants: { startsAt: instants.startsAt, endsAt: instants.endsAt },
  });
  await tx.execute(sql`update job_matching_history set booking_id = ${booking.id}, was_selected = (contractor_id = ${contractorId})
                       where job_id = ${u.jobId} and booking_id is null`);
  const [selected] = await tx
    .select({ id: jobMatchingHistory.id })
    .from(jobMatchingHistory)
    .where(and(eq(jobMatchingHistory.bookingId, booking.id), eq(jobMatchingHistory.wasSelected, true)));
  if (!selected) {
    await tx.insert(jobMatchingHistory).values({
      bookingId: booking.id,
      jobId: u.jobId,
      contractorId,
      matchScore: u.matchScore ?? 0,
      breakdown: {},
      reasons: u.reasons,
      wasSelected: true,
    });
  }
  return booking;
}
