import { and, eq, getTableColumns, lte, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import type { Slot } from '../availability/index.js';
import { matchingRankings } from '../matching/schema.js';
import { bookings, slotClaims } from './schema.js';

type ClaimArgs = {
  contractorId: string;
  date: string;
  slot: Slot;
  jobId: string;
  now: Date;
  /** The job's visit (mixed-trade jobs); 0 by default. */
  visit?: number;
} & ({ kind: 'hold'; sessionId: string; expiresAt: Date } | { kind: 'booking'; sessionId?: string | null });

/**
 * Claims a contractor slot or returns null when someone else has it. The UNIQUE key on
 * (contractor_id, date, slot) decides races: INSERT ... ON CONFLICT DO NOTHING waits for a
 * concurrent claimer to commit and then yields, so exactly one claimer wins. A predicate cannot
 * use now(), so when the insert meets an expired hold, that hold is deleted and the insert tried
 * once more, in the same transaction (the common case, a free slot, is one statement).
 */
export async function claimSlot(
  tx: Queryable,
  a: ClaimArgs,
  /** `candidates` may come serialised already (`json`, with the `records` it encodes). */
  extra: { matchScore?: number; candidates?: unknown[] | { json: string; records: unknown[] }; skipIfBusy?: boolean } = {},
) {
  // Customers racing for the same best contractor would otherwise queue behind each other's
  // uncommitted inserts; a busy contractor slot is skipped for the next candidate instead. This
  // lock only avoids waiting: the UNIQUE key still decides every race.
  if (extra.skipIfBusy) {
    const key = `claim:${a.contractorId}:${a.date}:${a.slot}`;
    const res = await tx.execute<{ ok: boolean }>(sql`select pg_try_advisory_xact_lock(hashtext(${key})) as ok`);
    if (!res.rows[0]!.ok) return null;
  }
  const pre = extra.candidates && !Array.isArray(extra.candidates) ? extra.candidates : null;
  const insert = () =>
    tx
      .insert(slotClaims)
      .values({
        contractorId: a.contractorId,
        date: a.date,
        slot: a.slot,
        jobId: a.jobId,
        visit: a.visit ?? 0,
        kind: a.kind,
        sessionId: a.sessionId ?? null,
        expiresAt: a.kind === 'hold' ? a.expiresAt : null,
        matchScore: extra.matchScore ?? null,
        // Pre-serialised candidate records go in as they are.
        candidates: pre ? sql`${pre.json}::jsonb` : ((extra.candidates as unknown[] | undefined) ?? null),
      })
      .onConflictDoNothing()
      // The candidate list (tens of KB with a few hundred candidates) is not sent back: the caller has it.
      .returning(returned)
      .then((rows) => rows.map((r) => ({ ...r, candidates: pre ? pre.records : ((extra.candidates as unknown[] | undefined) ?? null) })));
  const [row] = await insert();
  if (row) return row;
  const expired = await tx
    .delete(slotClaims)
    .where(
      and(
        eq(slotClaims.contractorId, a.contractorId),
        eq(slotClaims.date, a.date),
        eq(slotClaims.slot, a.slot),
        eq(slotClaims.kind, 'hold'),
        lte(slotClaims.expiresAt, a.now),
      ),
    )
    .returning({ id: slotClaims.id });
  if (!expired.length) return null;
  const [again] = await insert();
  return again ?? null;
}

const { candidates: _candidates, ...returned } = getTableColumns(slotClaims);

/**
 * The candidate records a claim's contractor was picked from, for job_matching_history: the
 * claim's own copy, or (a customer's hold) the stored ranking it refers to.
 */
export async function claimCandidates(
  tx: Queryable,
  claim: { candidates: unknown[] | null; rankingId: string | null },
): Promise<unknown[]> {
  if (claim.candidates) return claim.candidates;
  if (!claim.rankingId) return [];
  const [stored] = await tx
    .select({ candidates: matchingRankings.candidates })
    .from(matchingRankings)
    .where(eq(matchingRankings.id, claim.rankingId));
  return (stored?.candidates as unknown[] | undefined) ?? [];
}

/** What is in the way of a contractor slot, for a 409 that names it. */
export async function claimInTheWay(tx: Queryable, contractorId: string, date: string, slot: Slot) {
  const [row] = await tx
    .select({ id: slotClaims.id, kind: slotClaims.kind, expiresAt: slotClaims.expiresAt, bookingId: bookings.id })
    .from(slotClaims)
    .leftJoin(bookings, eq(bookings.claimId, slotClaims.id))
    .where(and(eq(slotClaims.contractorId, contractorId), eq(slotClaims.date, date), eq(slotClaims.slot, slot)));
  return row ?? null;
}

/** Serialises one customer session's hold/checkout calls for one job (not the double-booking guard). */
export async function lockSession(tx: Queryable, jobId: string, sessionId: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${jobId}:${sessionId}`}))`);
}
