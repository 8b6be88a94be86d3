import type { Db } from '../db/client.js';
import { AppError } from '../shared/errors.js';
import { findBooking } from '../modules/bookings/index.js';
import { assertNoLiveDispatch, dispatchableSpec, type DispatchDeps, startDispatchInTx } from '../modules/dispatch/index.js';
import { moveBooking } from './move-booking.js';

/**
 * A booked job made urgent (its contractor cannot make it), one transaction, so a dispatch that
 * cannot start leaves the booking as it was:
 * 1. bookings: the booking, locked, must be pending_confirmation or confirmed (409 NOT_DISPATCHABLE);
 * 2. dispatch: no live dispatch for the job, and its task requirements are set;
 * 3. bookings + leads: the booking is cancelled (cause business, slot freed), the lead goes to
 *    dispatching (move-booking.ts);
 * 4. dispatch: targeted offers to the best on-shift contractors (or flagged for staff).
 * After commit the caller times the offers' expiry (the queue).
 */
export async function redispatchBooking(db: Db, bookingId: string, userId: string, d: DispatchDeps) {
  return db.transaction(async (tx) => {
    const b = await findBooking(tx, bookingId, { lock: true });
    if (b.status !== 'pending_confirmation' && b.status !== 'confirmed') {
      throw new AppError('NOT_DISPATCHABLE', `A ${b.status} booking cannot be re-dispatched`, { status: b.status });
    }
    await assertNoLiveDispatch(tx, b.jobId);
    const spec = await dispatchableSpec(tx, b.jobId);
    await moveBooking(
      tx,
      b.id,
      { to: 'cancelled', reason: 'Re-dispatched as urgent', cause: 'business', actor: `staff:${userId}`, redispatch: true },
      d.now,
    );
    return startDispatchInTx(tx, spec, { jobId: b.jobId, userId }, d);
  });
}
