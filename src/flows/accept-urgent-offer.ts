import type { Db } from '../db/client.js';
import { transactionWithRetry } from '../db/retry.js';
import { bookingRules, type Slot } from '../modules/availability/index.js';
import { bookUrgent } from '../modules/bookings/index.js';
import { closeDispatchFor, type DispatchDeps, lockAcceptable } from '../modules/dispatch/index.js';
import { moveLeadIfIn } from '../modules/leads/index.js';

/**
 * A contractor accepts an urgent offer; the first accept wins. One transaction (database work
 * only, the NOTIFYs too, so one aborted by a deadlock is simply run again):
 * 1. dispatch: the offer (row lock: accepts queue here) and its still-open dispatch;
 * 2. bookings: the contractor's slot claimed, capacity and overlaps checked, the booking
 *    confirmed, the dispatch's scored candidates kept as its matching history;
 * 3. dispatch: the offer accepted, every other open offer withdrawn, the dispatch assigned;
 * 4. leads: a dispatching lead is assigned.
 */
export async function acceptUrgentOffer(db: Db, offerId: string, contractorId: string, d: DispatchDeps) {
  return transactionWithRetry(db, async (tx) => {
    const { offer, dispatch } = await lockAcceptable(tx, offerId, contractorId, d.now);
    const booking = await bookUrgent(
      tx,
      {
        contractorId,
        jobId: dispatch.jobId,
        date: dispatch.date,
        slot: dispatch.slot as Slot,
        matchScore: offer.matchScore,
        reasons: offer.reasons,
      },
      bookingRules(d.config),
      d.now,
    );
    const accepted = await closeDispatchFor(tx, offer, dispatch.id, contractorId, booking.id, d.now);
    if (dispatch.leadId)
      await moveLeadIfIn(tx, dispatch.leadId, ['dispatching'], {
        to: 'assigned',
        actor: `contractor:${contractorId}`,
        reason: 'accepted urgent offer',
        now: d.now,
      });
    return { offer: accepted, booking };
  });
}
