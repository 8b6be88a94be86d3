import type { Queryable } from '../db/client.js';
import { type Transition, transitionBookingTx } from '../modules/bookings/index.js';
import { countCompletedTasks } from '../modules/contractors/index.js';
import { leadFollowsBooking } from '../modules/leads/index.js';

/**
 * The step every flow that changes a booking's status takes, inside the flow's transaction:
 * 1. bookings: the status machine under the row lock (leaving the active states frees the slot
 *    and marks the matching history);
 * 2. contractors: a completed job counts towards the contractor's task experience;
 * 3. leads: the lead follows its booking (started, completed, cancelled, declined, re-dispatched).
 */
export async function moveBooking(
  tx: Queryable,
  bookingId: string,
  t: Transition & { /** Cancelled so the job can go urgent: the lead goes to dispatching, not cancelled. */ redispatch?: boolean },
  now: Date,
) {
  const booking = await transitionBookingTx(tx, bookingId, t, now);
  if (t.to === 'completed') await countCompletedTasks(tx, booking.contractorId, booking.jobId, now);
  if (t.to !== 'confirmed' && t.to !== 'pending_confirmation') {
    await leadFollowsBooking(tx, booking, t.redispatch ? 'redispatched' : t.to, { actor: t.actor, now });
  }
  return booking;
}
