import { and, eq } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/client.js';
import { conflict, unprocessable } from '../../http/errors.js';
import { businessClosures } from '../availability/schema.js';
import { isSlotBookable, type BookingRules, type Slot } from '../availability/slot-time.js';
import type { JobSpec } from '../jobs/job-spec.js';
import { rankForSlot } from '../matching/rank-for-slot.js';
import type { ScoredCandidate } from '../matching/score.js';
import { claimSlot, lockSession } from './claims.js';
import { lockLink, makeRoomForHold } from './link-limits.js';
import { slotClaims } from './schema.js';

export type HoldRequest = { spec: JobSpec & { jobId: string }; sessionId: string; date: string; slot: Slot };
export type HoldSettings = {
  rules: BookingRules;
  ttlSeconds: number;
  now: Date;
  /** Live holds one customer link (job) may have across its sessions; unset = no limit (staff tools). */
  maxHoldsPerLink?: number;
};

/** What history keeps of each scored candidate. */
export const candidateRecord = (c: ScoredCandidate) => ({
  contractorId: c.contractorId,
  matchScore: c.matchScore,
  breakdown: c.breakdown,
  reasons: c.reasons,
});

export async function assertSlotOffered(db: Queryable, date: string, slot: Slot, s: HoldSettings) {
  if (!isSlotBookable(date, slot, s.now, s.rules)) {
    throw unprocessable('SLOT_NOT_BOOKABLE', `${date} ${slot} is not bookable (past, or outside the booking window)`, { date, slot });
  }
  const [closed] = await db.select().from(businessClosures).where(eq(businessClosures.date, date));
  if (closed) throw unprocessable('BUSINESS_CLOSED', `We are closed on ${date}: ${closed.reason}`, { date });
}

/**
 * Picks the best eligible contractor for the slot and claims it for this session (SPEC: holds).
 * Ranked candidates are tried in order, so when the best is taken by a concurrent customer the
 * next one is held instead; with none left the answer is 409 SLOT_UNAVAILABLE.
 * Must run inside a transaction.
 */
export async function claimBestContractor(tx: Queryable, r: HoldRequest, s: HoldSettings, kind: 'hold' | 'booking') {
  const ranked = await rankForSlot(tx, r.spec, r.date, r.slot, { jobId: r.spec.jobId, sessionId: r.sessionId }, s.rules, s.now);
  const candidates = ranked.map(candidateRecord);
  const expiresAt = new Date(s.now.getTime() + s.ttlSeconds * 1000);
  for (const c of ranked) {
    const base = { contractorId: c.contractorId, date: r.date, slot: r.slot, jobId: r.spec.jobId, now: s.now, sessionId: r.sessionId };
    const claim = await claimSlot(tx, kind === 'hold' ? { ...base, kind, expiresAt } : { ...base, kind }, { matchScore: c.matchScore, candidates, skipIfBusy: true });
    if (claim) return claim;
  }
  throw conflict('SLOT_UNAVAILABLE', `No contractor is free for ${r.date} ${r.slot} any more`, { date: r.date, slot: r.slot });
}

/**
 * The same session asking again gets its existing live hold; asking for another slot releases
 * the first (a session holds at most one slot per job).
 */
export async function holdSlot(db: Db, r: HoldRequest, s: HoldSettings) {
  await assertSlotOffered(db, r.date, r.slot, s);
  return db.transaction(async (tx) => {
    await lockSession(tx, r.spec.jobId, r.sessionId);
    const [existing] = await tx
      .select()
      .from(slotClaims)
      .where(and(eq(slotClaims.jobId, r.spec.jobId), eq(slotClaims.sessionId, r.sessionId), eq(slotClaims.kind, 'hold')));
    if (existing && existing.date === r.date && existing.slot === r.slot && existing.expiresAt! > s.now) {
      return { claim: existing, reused: true };
    }
    if (existing) await tx.delete(slotClaims).where(eq(slotClaims.id, existing.id));
    if (s.maxHoldsPerLink) {
      await lockLink(tx, r.spec.jobId);
      await makeRoomForHold(tx, r.spec.jobId, r.sessionId, s.now, s.maxHoldsPerLink);
    }
    return { claim: await claimBestContractor(tx, r, s, 'hold'), reused: false };
  });
}

export async function releaseHold(db: Db, jobId: string, sessionId: string): Promise<boolean> {
  const rows = await db
    .delete(slotClaims)
    .where(and(eq(slotClaims.jobId, jobId), eq(slotClaims.sessionId, sessionId), eq(slotClaims.kind, 'hold')))
    .returning({ id: slotClaims.id });
  return rows.length > 0;
}
