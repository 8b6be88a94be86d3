import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { slotInstants, type BookingRules, type Slot } from '../availability/index.js';
import { contractors } from '../contractors/schema.js';
import type { BookingStatus } from './booking-status.js';
import { bookingEvents, bookings, jobMatchingHistory, slotClaims } from './schema.js';
import { claimCandidates } from './claims.js';
import { ACTIVE_BOOKING_STATUSES } from '../availability/index.js';
import { bookingConfirmedMessages } from '../notifications/index.js';

type CandidateRecord = { contractorId: string; matchScore: number; breakdown: unknown; reasons: string[] };

/**
 * Locks the contractor row and counts their active bookings on `date` (SPEC: open jobs count per
 * date), so two bookings cannot both slip under max_concurrent_jobs for that date at once.
 *
 * Lock order in every booking path: session advisory lock -> slot claim (UNIQUE key) -> this
 * contractor row -> booking, events and history rows. The row lock is FOR NO KEY UPDATE, the
 * weakest that serialises capacity checks: it does not conflict with the FOR KEY SHARE that the
 * foreign keys of slot_claims, bookings and job_matching_history take on contractors, so writing
 * a history row for every candidate never waits on another checkout's contractor lock.
 * A transaction that already holds one contractor lock takes any further one with `nowait`: it
 * never waits while holding, so no cycle can form; the NOWAIT failure (55P03) makes
 * transactionWithRetry run the whole transaction again.
 */
export async function contractorHasCapacity(
  tx: Queryable,
  contractorId: string,
  date: string,
  /** `lock: false` only peeks (no lock), to avoid locking a contractor who is visibly full. */
  opts: { nowait?: boolean; lock?: boolean } = {},
): Promise<{ ok: boolean; isActive: boolean; openJobs: number; max: number }> {
  const query = tx
    .select({ isActive: contractors.isActive, max: contractors.maxConcurrentJobs })
    .from(contractors)
    .where(eq(contractors.id, contractorId));
  const [c] = opts.lock === false ? await query : await query.for('no key update', opts.nowait ? { noWait: true } : {});
  if (!c) return { ok: false, isActive: false, openJobs: 0, max: 0 };
  const res = await tx.execute<{ n: number }>(
    sql`select count(*)::int as n from bookings
        where contractor_id = ${contractorId} and date = ${date}::date and status in ${ACTIVE_BOOKING_STATUSES}`,
  );
  const openJobs = res.rows[0]!.n;
  return { ok: c.isActive && openJobs < c.max, isActive: c.isActive, openJobs, max: c.max };
}

type Claim = typeof slotClaims.$inferSelect;

/**
 * Turns a claim into a booking: the claim becomes kind 'booking' and the booking row owns it
 * (the composite foreign key checks contractor, date and slot agree). Writes the first status
 * event and every scored candidate to job_matching_history.
 */
export async function recordBooking(
  tx: Queryable,
  claim: Claim,
  o: {
    status: BookingStatus;
    source: 'customer' | 'staff' | 'dispatch';
    /** Urgent work starts now rather than at the window's start. */
    instants?: { startsAt: Date; endsAt: Date };
    actor: string;
    createdByUserId?: string | null;
    rules: BookingRules;
    now: Date;
    candidates?: CandidateRecord[];
    quoteId?: string | null;
    depositPence?: number | null;
    paymentStatus?: 'pending' | 'paid' | 'not_required';
  },
) {
  if (claim.kind === 'hold') {
    await tx.update(slotClaims).set({ kind: 'booking', expiresAt: null }).where(eq(slotClaims.id, claim.id));
  }
  const { startsAt, endsAt } = o.instants ?? slotInstants(claim.date, claim.slot as Slot, o.rules);
  const [booking] = await tx
    .insert(bookings)
    .values({
      jobId: claim.jobId,
      visit: claim.visit,
      contractorId: claim.contractorId,
      claimId: claim.id,
      date: claim.date,
      slot: claim.slot,
      startsAt,
      endsAt,
      status: o.status,
      source: o.source,
      sessionId: claim.sessionId,
      createdByUserId: o.createdByUserId ?? null,
      confirmedAt: o.status === 'confirmed' ? o.now : null,
      quoteId: o.quoteId ?? null,
      paymentStatus: o.paymentStatus ?? 'pending',
      depositPence: o.depositPence ?? null,
    })
    .returning();
  await tx.insert(bookingEvents).values({ bookingId: booking!.id, fromStatus: null, toStatus: o.status, actor: o.actor, at: o.now });
  const candidates = o.candidates ?? ((await claimCandidates(tx, claim)) as CandidateRecord[]);
  if (candidates.length) {
    await tx.insert(jobMatchingHistory).values(
      candidates.map((c) => ({
        bookingId: booking!.id,
        jobId: claim.jobId,
        contractorId: c.contractorId,
        matchScore: c.matchScore,
        breakdown: c.breakdown,
        reasons: c.reasons,
        wasSelected: c.contractorId === claim.contractorId,
      })),
    );
  }
  if (o.status === 'confirmed') await bookingConfirmedMessages(tx, booking!.id);
  return booking!;
}
