import { and, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { conflict } from '../../http/errors.js';
import type { Slot } from '../availability/slot-time.js';
import type { JobSpec } from '../jobs/job-spec.js';
import { ACTIVE_STATUSES } from './booking-status.js';
import { lockSession } from './claims.js';
import { assertSlotOffered, claimBestContractor, type HoldSettings } from './hold-slot.js';
import { contractorHasCapacity, recordBooking } from './record-booking.js';
import { bookings, slotClaims } from './schema.js';

/**
 * Checkout: the session's live hold becomes a booking (payment pending until the payments
 * module confirms it). A retried checkout returns the same booking. If the hold has expired, or
 * its contractor can no longer take the job, the same slot is re-held with the best eligible
 * contractor; with none free the answer is 409 and nothing is written.
 */
type QuoteBooking = {
  quoteId: string;
  depositPence: number;
  /** May return the booking as it changed (e.g. now waiting for a bank-transfer receipt). */
  onBooked: (tx: Tx, booking: typeof bookings.$inferSelect) => Promise<typeof bookings.$inferSelect | void>;
  /** A paid card deposit books straight to confirmed. */
  paid?: boolean;
};

export function checkout(db: Db, spec: JobSpec & { jobId: string }, sessionId: string, s: HoldSettings, intended?: { date: string; slot: Slot }, quote?: QuoteBooking) {
  return db.transaction((tx) => checkoutInTx(tx, spec, sessionId, s, intended, quote));
}

/** The checkout, inside the caller's transaction (the payment webhook books in its own). */
export async function checkoutInTx(
  tx: Tx,
  spec: JobSpec & { jobId: string },
  sessionId: string,
  s: HoldSettings,
  /** The slot the customer held, for when the expired hold has already been swept away. */
  intended?: { date: string; slot: Slot },
  /** A quote checkout: what the booking records, and the lead moves made in the same transaction. */
  quote?: QuoteBooking,
) {
  {
    await lockSession(tx, spec.jobId, sessionId);
    const [booked] = await tx
      .select()
      .from(bookings)
      .where(and(eq(bookings.jobId, spec.jobId), inArray(bookings.status, [...ACTIVE_STATUSES])));
    if (booked) {
      if (booked.sessionId === sessionId) return { booking: booked, replayed: true };
      throw conflict('JOB_ALREADY_BOOKED', 'This job already has a booking', { bookingId: booked.id });
    }
    const [hold] = await tx
      .select()
      .from(slotClaims)
      .where(and(eq(slotClaims.jobId, spec.jobId), eq(slotClaims.sessionId, sessionId), eq(slotClaims.kind, 'hold')))
      .for('update');
    const target = hold ? { date: hold.date, slot: hold.slot as Slot } : intended;
    if (!target) throw conflict('NO_HOLD', 'Hold a slot before checking out', null);
    // A swept (expired) hold is treated like an expired one: re-hold the same slot.
    if (!hold) await assertSlotOffered(tx, target.date, target.slot, s);

    let claim = hold ?? null;
    const usable = async () => !!claim && claim.expiresAt! > s.now && (await contractorHasCapacity(tx, claim.contractorId)).ok;
    for (let attempt = 0; !(await usable()); attempt++) {
      if (attempt === 3) throw conflict('SLOT_UNAVAILABLE', `No contractor is free for ${target.date} ${target.slot} any more`, target);
      if (claim) await tx.delete(slotClaims).where(eq(slotClaims.id, claim.id));
      claim = await claimBestContractor(tx, { spec, sessionId, ...target }, s, 'hold');
    }
    const booking = await recordBooking(tx, claim!, {
      status: quote?.paid ? 'confirmed' : 'pending_confirmation',
      paymentStatus: quote?.paid ? 'paid' : 'pending',
      source: 'customer',
      actor: 'customer',
      rules: s.rules,
      now: s.now,
      quoteId: quote?.quoteId,
      depositPence: quote?.depositPence,
    });
    const after = await quote?.onBooked(tx, booking);
    return { booking: after ?? booking, replayed: false };
  }
}
