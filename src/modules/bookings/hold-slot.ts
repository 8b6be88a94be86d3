import { setTimeout as sleep } from 'node:timers/promises';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/client.js';
import { isRetryableTxError, pgErrorOf } from '../../db/errors.js';
import { executeNamed } from '../../db/prepared.js';
import { transactionWithRetry } from '../../db/retry.js';
import { AppError } from '../../shared/errors.js';
import { businessClosures } from '../availability/schema.js';
import { type BookingRules, isSlotBookable, type Slot } from '../availability/index.js';
import { type JobSpec, pickTeam, visitsByTrade } from '../jobs/index.js';
import { rankForSlot, storeRanking, type ScoredCandidate } from '../matching/index.js';
import { claimSlot, lockSession } from './claims.js';
import { lockLink, makeRoomForHold } from './link-limits.js';
import { forgetRanking, reusedRanking, takenNow } from './ranking-reuse.js';
import { slotClaims } from './schema.js';

export type HoldRequest = {
  spec: JobSpec & { jobId: string };
  sessionId: string;
  date: string;
  slot: Slot;
  /** The digest of a link kept in memory (CustomerLink.digest): checked against the job now. */
  digest?: string | null;
};

/** The job changed since the kept link the hold was asked with was read: read it again and retry. */
export class SpecChanged extends Error {
  constructor() {
    super('the job changed since its link was read');
  }
}
export type HoldSettings = {
  rules: BookingRules;
  ttlSeconds: number;
  now: Date;
  /** Live holds one customer link (job) may have across its sessions; unset = no limit (staff tools). */
  maxHoldsPerLink?: number;
  /** Reuse a ranking for the same job spec and slot this long (see ranking-reuse.ts); 0 or unset ranks afresh. */
  rankingReuseMs?: number;
};

/** What history keeps of each scored candidate. */
export const candidateRecord = (c: ScoredCandidate) => ({
  contractorId: c.contractorId,
  matchScore: c.matchScore,
  breakdown: c.breakdown,
  reasons: c.reasons,
});

// A reused ranking is serialised for history once, not once per hold.
const recordsOf = new WeakMap<ScoredCandidate[], { json: string; records: unknown[] }>();
function candidateRecords(scored: ScoredCandidate[]) {
  let r = recordsOf.get(scored);
  if (!r) {
    const records = scored.map(candidateRecord);
    recordsOf.set(scored, (r = { json: JSON.stringify(records), records }));
  }
  return r;
}

export async function assertSlotOffered(db: Queryable, date: string, slot: Slot, s: HoldSettings) {
  if (!isSlotBookable(date, slot, s.now, s.rules)) {
    throw new AppError('SLOT_NOT_BOOKABLE', `${date} ${slot} is not bookable (past, or outside the booking window)`, { date, slot });
  }
  await assertNotClosed(db, date);
}

/** 422 BUSINESS_CLOSED on a closure day: nobody books it, customers or staff. */
export async function assertNotClosed(db: Queryable, date: string) {
  const [closed] = await db.select().from(businessClosures).where(eq(businessClosures.date, date));
  if (closed) throw new AppError('BUSINESS_CLOSED', `We are closed on ${date}: ${closed.reason}`, { date });
}

type Claim = typeof slotClaims.$inferSelect;

/**
 * Tries the ranked candidates of one visit in order, so when the best is taken by a concurrent
 * customer the next one is claimed instead; null when none is left. Must run inside a transaction.
 */
async function claimFirstFree(
  tx: Queryable,
  r: HoldRequest,
  s: HoldSettings,
  kind: 'hold' | 'booking',
  ranked: ScoredCandidate[],
  visit: number,
  /** Everyone scored for this visit, for job_matching_history. */
  scored: ScoredCandidate[] = ranked,
) {
  const candidates = candidateRecords(scored);
  const expiresAt = new Date(s.now.getTime() + s.ttlSeconds * 1000);
  for (const c of ranked) {
    const base = {
      contractorId: c.contractorId,
      date: r.date,
      slot: r.slot,
      jobId: r.spec.jobId,
      now: s.now,
      sessionId: r.sessionId,
      visit,
    };
    const claim = await claimSlot(tx, kind === 'hold' ? { ...base, kind, expiresAt } : { ...base, kind }, {
      matchScore: c.matchScore,
      candidates,
      skipIfBusy: true,
    });
    if (claim) return claim;
  }
  return null;
}

/**
 * A mixed-trade job nobody can do alone: one distinct contractor per trade visit, each the best
 * free one for its visit that still leaves a team (see pickTeam). A contractor found busy is
 * dropped and the team re-picked. Null when no full team can be claimed; the caller's
 * transaction then rolls back the visits already claimed, so nothing is half-held.
 */
async function claimTeam(tx: Queryable, r: HoldRequest, s: HoldSettings, kind: 'hold' | 'booking', visits: JobSpec[]) {
  const viewer = { jobId: r.spec.jobId, sessionId: r.sessionId };
  const ranked: ScoredCandidate[][] = [];
  for (const v of visits) ranked.push(await rankForSlot(tx, { ...v, jobId: r.spec.jobId }, r.date, r.slot, viewer, s.rules, s.now));
  const busy = new Set<string>();
  const claimed = new Map<number, Claim>();
  for (;;) {
    const lists = ranked.map((list, v) =>
      claimed.has(v) ? [claimed.get(v)!.contractorId] : list.map((c) => c.contractorId).filter((id) => !busy.has(id)),
    );
    const team = pickTeam(lists);
    if (!team) return null;
    for (const [v, contractorId] of team.entries()) {
      if (claimed.has(v)) continue;
      const chosen = ranked[v]!.filter((c) => c.contractorId === contractorId);
      const claim = await claimFirstFree(tx, r, s, kind, chosen, v, ranked[v]);
      if (!claim) {
        busy.add(contractorId);
        break;
      }
      claimed.set(v, claim);
    }
    if (claimed.size === visits.length) return [...claimed.entries()].sort(([a], [b]) => a - b).map(([, c]) => c);
  }
}

/**
 * Claims the slot for the job (SPEC: holds): the best-scoring free contractor qualified for
 * every primary task; when nobody is, and the job spans trades, one contractor per trade visit,
 * all or nothing. 409 SLOT_UNAVAILABLE when neither works. Must run inside a transaction.
 */
export async function claimForSlot(tx: Queryable, r: HoldRequest, s: HoldSettings, kind: 'hold' | 'booking'): Promise<Claim[]> {
  const viewer = { jobId: r.spec.jobId, sessionId: r.sessionId };
  const rank = () => rankForSlot(tx, r.spec, r.date, r.slot, viewer, s.rules, s.now);
  let ranked: ScoredCandidate[];
  let scored: ScoredCandidate[];
  let reused = false;
  if (s.rankingReuseMs) {
    const reuse = reusedRanking(r.spec, r.date, r.slot, s.rankingReuseMs, rank);
    scored = await reuse.ranked;
    reused = reuse.reused;
    // A reused ranking is older than this transaction: drop whoever is claimed now.
    const taken = reused ? await takenNow(tx, r.date, r.slot, viewer, s.now) : null;
    ranked = taken ? scored.filter((c) => !taken.has(c.contractorId)) : scored;
  } else {
    ranked = scored = await rank();
  }
  let single = await claimFirstFree(tx, r, s, kind, ranked, 0, scored);
  // Someone released since a reused ranking was made is not in it: a refusal needs a fresh one.
  if (!single && reused) {
    ranked = scored = await rank();
    single = await claimFirstFree(tx, r, s, kind, ranked, 0, scored);
  }
  if (single) return [single];
  const visits = visitsByTrade(r.spec);
  const team = ranked.length === 0 && visits.length > 1 ? await claimTeam(tx, r, s, kind, visits) : null;
  if (team) return team;
  throw new AppError('SLOT_UNAVAILABLE', `No contractor is free for ${r.date} ${r.slot} any more`, { date: r.date, slot: r.slot });
}

type HoldRanking = { scored: ScoredCandidate[]; records: unknown[]; rankingId: string };

/**
 * The ranking a hold picks from, stored once in matching_rankings (a hold refers to it; checkout
 * copies its records into the history): reused for `rankingReuseMs` per job spec and slot (see
 * ranking-reuse.ts; with `notBeforeMs`, only one started after then), else computed afresh.
 * Nothing in it decides a booking: handy_hold re-checks each candidate it tries and the UNIQUE
 * claim decides.
 */
async function rankingForHold(db: Db, r: HoldRequest, s: HoldSettings, fresh = false, notBeforeMs = 0): Promise<HoldRanking> {
  const rank = async (): Promise<HoldRanking> => {
    const scored = await rankForSlot(db, r.spec, r.date, r.slot, { jobId: r.spec.jobId, sessionId: r.sessionId }, s.rules, s.now);
    const { json, records } = candidateRecords(scored);
    return { scored, records, rankingId: await storeRanking(db, json, scored) };
  };
  if (fresh || !s.rankingReuseMs) return rank();
  return reusedRanking(r.spec, r.date, r.slot, s.rankingReuseMs, rank, Date.now(), notBeforeMs).ranked;
}

const HOLD_STATEMENT = `select * from handy_hold($1::uuid, $2::text, $3::date, $4::slot_name, $5::timestamptz, $6::timestamptz, $7::int,
  $8::uuid, $9::text)`;

type HoldRow = {
  reused: boolean;
  id: string;
  contractor_id: string;
  date: string;
  slot: Slot;
  kind: 'hold' | 'booking';
  job_id: string;
  visit: number;
  session_id: string | null;
  expires_at: string | null;
  match_score: number | null;
  created_at: string;
};

/**
 * The same session asking again gets its existing live hold; asking for another slot releases
 * the first (a session holds at most one slot per job). A mixed-trade hold is one claim per visit,
 * all for the same slot and expiry; `claim` is the first.
 *
 * One statement (handy_hold, migration hold_claim_sql) does the whole hold transaction: closure
 * check, session lock, the session's existing hold, the link's hold limit, and the claim of the
 * first free candidate of the ranking. A mixed-trade job nobody can do alone takes the
 * transaction below (one contractor per trade visit).
 */
export async function holdSlot(db: Db, r: HoldRequest, s: HoldSettings) {
  if (!isSlotBookable(r.date, r.slot, s.now, s.rules)) {
    throw new AppError('SLOT_NOT_BOOKABLE', `${r.date} ${r.slot} is not bookable (past, or outside the booking window)`, {
      date: r.date,
      slot: r.slot,
    });
  }
  let ranking = await rankingForHold(db, r, s);
  if (ranking.scored.length === 0 && visitsByTrade(r.spec).length > 1) {
    if (r.digest) throw new SpecChanged(); // the several-statement path takes a freshly read link
    return holdSlotInTransaction(db, r, s);
  }
  const expiresAt = new Date(s.now.getTime() + s.ttlSeconds * 1000);
  const args = (h: HoldRanking) => [
    r.spec.jobId,
    r.sessionId,
    r.date,
    r.slot,
    s.now.toISOString(),
    expiresAt.toISOString(),
    s.maxHoldsPerLink ?? 0,
    h.rankingId,
    r.digest ?? null,
  ];
  let rows: HoldRow[];
  let refusedAt: number | null = null;
  for (let attempt = 1; ; attempt++) {
    try {
      rows = (await executeNamed<HoldRow>(db, 'handy_hold', HOLD_STATEMENT, args(ranking))).rows;
      break;
    } catch (err) {
      const code = pgErrorOf(err)?.code;
      // A reused ranking lists who was free when it was made; someone released since is not in
      // it. So a refusal is only final from a ranking started after it (shared by the customers
      // refused at the same moment, so a race for the last contractor ranks a few times, not 49).
      if (code === 'HC409' && refusedAt === null && s.rankingReuseMs) {
        refusedAt = Date.now();
        ranking = await rankingForHold(db, r, s, false, refusedAt);
        continue;
      }
      if (code === 'HC409')
        throw new AppError('SLOT_UNAVAILABLE', `No contractor is free for ${r.date} ${r.slot} any more`, { date: r.date, slot: r.slot });
      if (code === 'HC412') throw new SpecChanged();
      if (code === 'HC423')
        throw new AppError('BUSINESS_CLOSED', `We are closed on ${r.date}: ${pgErrorOf(err)!.message}`, { date: r.date });
      if (attempt >= 5 || (code !== 'HC404' && !isRetryableTxError(err))) throw err;
      if (code === 'HC404') {
        forgetRanking(r.spec, r.date, r.slot);
        ranking = await rankingForHold(db, r, s, true);
      } else await sleep(Math.random() * 15 * 2 ** attempt);
    }
  }
  const claims: Claim[] = rows.map((x) => ({
    id: x.id,
    contractorId: x.contractor_id,
    date: x.date,
    slot: x.slot,
    kind: x.kind,
    jobId: x.job_id,
    visit: x.visit,
    sessionId: x.session_id,
    expiresAt: x.expires_at ? new Date(x.expires_at) : null,
    matchScore: x.match_score,
    createdAt: new Date(x.created_at),
    candidates: x.reused ? null : ranking.records,
    rankingId: x.reused ? null : ranking.rankingId,
  }));
  return { claim: claims[0]!, claims, reused: rows[0]!.reused };
}

/** The hold as one transaction of several statements (mixed-trade teams). */
async function holdSlotInTransaction(db: Db, r: HoldRequest, s: HoldSettings) {
  await assertSlotOffered(db, r.date, r.slot, s);
  return transactionWithRetry(db, async (tx) => {
    await lockSession(tx, r.spec.jobId, r.sessionId);
    const existing = await tx
      .select()
      .from(slotClaims)
      .where(and(eq(slotClaims.jobId, r.spec.jobId), eq(slotClaims.sessionId, r.sessionId), eq(slotClaims.kind, 'hold')))
      .orderBy(asc(slotClaims.visit));
    if (existing.length && existing.every((e) => e.date === r.date && e.slot === r.slot && e.expiresAt! > s.now)) {
      return { claim: existing[0]!, claims: existing, reused: true };
    }
    if (existing.length)
      await tx.delete(slotClaims).where(
        inArray(
          slotClaims.id,
          existing.map((e) => e.id),
        ),
      );
    if (s.maxHoldsPerLink) {
      await lockLink(tx, r.spec.jobId);
      await makeRoomForHold(tx, r.spec.jobId, r.sessionId, s.now, s.maxHoldsPerLink);
    }
    const claims = await claimForSlot(tx, r, s, 'hold');
    return { claim: claims[0]!, claims, reused: false };
  });
}

export async function releaseHold(db: Db, jobId: string, sessionId: string): Promise<boolean> {
  const rows = await db
    .delete(slotClaims)
    .where(and(eq(slotClaims.jobId, jobId), eq(slotClaims.sessionId, sessionId), eq(slotClaims.kind, 'hold')))
    .returning({ id: slotClaims.id });
  return rows.length > 0;
}
