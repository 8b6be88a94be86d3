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

/** What a quote checkout's booking records. */
export type CheckoutTerms = {
  quoteId: string;
  depositPence: number;
  /** A paid card deposit books straight to confirmed. */
  paid?: boolean;
};

type Booking = typeof bookings.$inferSelect;
export type Booked = { ok: true; booking: Booking; bookings: Booking[]; replayed: boolean };
/** Why a checkout could not book: the job is someone else's, there is no hold, or no contractor is free. */
export type NotBooked = { ok: false; code: 'JOB_ALREADY_BOOKED' | 'NO_HOLD' | 'SLOT_UNAVAILABLE'; message: string; details: unknown };

/**
 * Checkout: the session's live hold becomes a booking (payment pending until the payments
 * module confirms it). A retried checkout returns the same booking. If the hold has expired, or
 * its contractor can no longer take the job, the same slot is re-held with the best eligible
 * contractor; with none free the answer is 409 and nothing is written. A mixed-trade job books
 * one booking per visit, together, in this transaction; `booking` is the first visit's.
 * What follows a booking elsewhere (the quote, the lead, the payment) is the calling flow's job.
 */
export function checkout(
  db: Db,
  spec: JobSpec & { jobId: string },
  sessionId: string,
  s: HoldSettings,
  intended?: { date: string; slot: Slot },
  terms?: CheckoutTerms,
) {
  return transactionWithRetry(db, (tx) => checkoutInTx(tx, spec, sessionId, s, intended, terms));
}

/** The checkout inside the caller's transaction; not booking is a 409. */
export async function checkoutInTx(
  tx: Tx,
  spec: JobSpec & { jobId: string },
  sessionId: string,
  s: HoldSettings,
  intended?: { date: string; slot: Slot },
  terms?: CheckoutTerms,
): Promise<Booked> {
  const r = await tryCheckoutInTx(tx, spec, sessionId, s, intended, terms);
  if (!r.ok) throw new AppError(r.code, r.message, r.details);
  return r;
}

/**
 * The checkout inside the caller's transaction, saying whether it booked: a flow that cannot
 * refuse (a card payment has already gone through) decides what to do when it did not.
 */
export async function tryCheckoutInTx(
  tx: Tx,
  spec: JobSpec & { jobId: string },
  sessionId: string,
  s: HoldSettings,
  /** The slot the customer held, for when the expired hold has already been swept away. */
  intended?: { date: string; slot: Slot },
  /** A quote checkout: what the booking records. */
  quote?: CheckoutTerms,
): Promise<Booked | NotBooked> {
  await lockSession(tx, spec.jobId, sessionId);
  const booked = await tx
    .select()
    .from(bookings)
    .where(and(eq(bookings.jobId, spec.jobId), inArray(bookings.status, [...ACTIVE_STATUSES])))
    .orderBy(asc(bookings.visit));
  if (booked.length) {
    if (booked[0]!.sessionId === sessionId) return { ok: true, booking: booked[0]!, bookings: booked, replayed: true };
    return { ok: false, code: 'JOB_ALREADY_BOOKED', message: 'This job already has a booking', details: { bookingId: booked[0]!.id } };
  }
  // A mixed-trade hold is one claim per visit (same slot, same expiry): they book together or not at all.
  const holds = await tx
    .select()
    .from(slotClaims)
    .where(and(eq(slotClaims.jobId, spec.jobId), eq(slotClaims.sessionId, sessionId), eq(slotClaims.kind, 'hold')))
    .orderBy(asc(slotClaims.visit))
    .for('update');
  const target = holds[0] ? { date: holds[0].date, slot: holds[0].slot as Slot } : intended;
  if (!target) return { ok: false, code: 'NO_HOLD', message: 'Hold a slot before checking out', details: null };
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
    const unavailable: NotBooked = {
      ok: false,
      code: 'SLOT_UNAVAILABLE',
      message: `No contractor is free for ${target.date} ${target.slot} any more`,
      details: target,
    };
    if (attempt === 3) return unavailable;
    if (claims.length)
      await tx.delete(slotClaims).where(
        inArray(
          slotClaims.id,
          claims.map((c) => c.id),
        ),
      );
    try {
      claims = await claimForSlot(tx, { spec, sessionId, ...target }, s, 'hold');
    } catch (err) {
      // claimForSlot's own "nobody free" (the other hold paths answer it as 409 directly).
      if (err instanceof AppError && err.code === 'SLOT_UNAVAILABLE') return { ...unavailable, message: err.message, details: err.details };
      throw err;
    }
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
  return { ok: true, booking: made[0]!, bookings: made, replayed: false };
}
