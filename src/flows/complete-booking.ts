import type { Db } from '../db/client.js';
import { addCompletionNotes } from '../modules/contractor-jobs/index.js';
import { moveBooking } from './move-booking.js';

/**
 * Completing a job (the contractor's app or staff), one transaction:
 * 1. bookings: in_progress -> completed (409 INVALID_TRANSITION otherwise), the matching history
 *    marked completed; contractors: the job counts towards the contractor's task experience;
 *    leads: the lead goes to completed (move-booking.ts);
 * 2. contractor-jobs: the contractor's completion notes, when given.
 */
export async function completeBooking(
  db: Db,
  bookingId: string,
  by: { actor: string; contractorId?: string; notes?: string | null },
  now: Date,
) {
  return db.transaction(async (tx) => {
    const booking = await moveBooking(tx, bookingId, { to: 'completed', actor: by.actor, contractorId: by.contractorId }, now);
    if (by.notes) await addCompletionNotes(tx, bookingId, booking.contractorId, by.notes, now);
    return booking;
  });
}
