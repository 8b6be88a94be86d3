import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { transactionWithRetry } from '../../db/retry.js';
import type { Slot } from '../availability/index.js';
import type { JobSpec } from '../jobs/index.js';
import { AppError } from '../../shared/errors.js';
import { ACTIVE_STATUSES } from './booking-status.js';
import { lockSession } from './claims.js';
import { assertSlotOffered, claimForSlot, type HoldSettings } from './hold-slot.js';
import { contractorHasCapacity, recordBooking } from './record-booking.js';
import { bookings, slotClaims } from './schema.js';

/**
 * Checkout: the session's live hold becomes a booking (payment pending until the payments
 * module confirms it). A retried checkout returns the same booking. If the hold has expired, or
 * its contractor can no longer take the job, the same slot is re-held with the best eligible
 * contractor; with none free the answer is 409 and nothing is written. A mixed-trade job books
 * one booking per visit, together, in this transaction; `booking` is the first visit's.
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
  return transactionWithRetry(db, (tx) => checkoutInTx(tx, spec, sessionId, s, intended, quote));
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
  await lockSession(tx, spec.jobId, sessionId);
  const booked = await tx
    .select()
    .from(bookings)
    .where(and(eq(bookings.jobId, spec.jobId), inArray(bookings.status, [...ACTIVE_STATUSES])))
    .orderBy(asc(bookings.visit));
  if (booked.length) {
    if (booked[0]!.sessionId === sessionId) return { booking: booked[0]!, bookings: booked, replayed: true };
    throw new AppError('JOB_ALREADY_BOOKED', 'This job already has a booking', { bookingId: booked[0]!.id });
  }
  // A mixed-trade hold is one claim per visit (same slot, same expiry): they book together or not at all.
  const holds = await tx
    .select()
    .from(slotClaims)
    .where(and(eq(slotClaims.jobId, spec.jobId), eq(slotClaims.sessionId, sessionId), eq(slotClaims.kind, 'hold')))
    .orderBy(asc(slotClaims.visit))
    .for('update');
  const target = holds[0] ? { date: holds[0].date, slot: holds[0].slot as Slot } : intended;
  if (!target) throw new AppError('NO_HOLD', 'Hold a slot before checking out', null);
  // A swept (expired) hold is treated like an expired one: re-hold the same slot.
  if (!holds.length) await assertSlotOffered(tx, target.date, target.slot, s);

  let claims = holds;
  // The claims are held before any contractor lock (the order every booking path keeps). A
  // contractor who is visibly full is passed over without locking; the first contractor lock may
  // wait, later ones must not (NOWAIT: transactionWithRetry runs the whole checkout again).
  let lockedOne = false;
  const usable = async () => {
    if (!claims.length || claims.some((c) => c.expiresAt! <= s.now)) return false;
    const ordered = [...claims].sort((a, b) => (a.contractorId < b.contractorId ? -1 : 1));
    for (const c of ordered) if (!(await contractorHasCapacity(tx, c.contractorId, c.date, { lock: false })).ok) return false;
    for (const c of ordered) {
      const { ok } = await contractorHasCapacity(tx, c.contractorId, c.date, { nowait: lockedOne });
      lockedOne = true;
      if (!ok) return false;
    }
    return true;
  };
  for (let attempt = 0; !(await usable()); attempt++) {
    if (attempt === 3) throw new AppError('SLOT_UNAVAILABLE', `No contractor is free for ${target.date} ${target.slot} any more`, target);
    if (claims.length) await tx.delete(slotClaims).where(inArray(slotClaims.id, claims.map((c) => c.id)));
    claims = await claimForSlot(tx, { spec, sessionId, ...target }, s, 'hold');
  }
  const made = [];
  for (const claim of claims) {
    made.push(
      await recordBooking(tx, claim, {
        status: quote?.paid ? 'confirmed' : 'pending_confirmation',
        paymentStatus: quote?.paid ? 'paid' : 'pending',
        source: 'customer',
        actor: 'customer',
        rules: s.rules,
        now: s.now,
        quoteId: quote?.quoteId,
        // One deposit for the customer: it sits on the first visit's booking.
        depositPence: claim.visit === 0 ? quote?.depositPence : null,
      }),
    );
  }
  const after = await quote?.onBooked(tx, made[0]!);
  return { booking: after ?? made[0]!, bookings: made, replayed: false };
}
