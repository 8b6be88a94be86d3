import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import type { Slot } from '../availability/index.js';
import type { JobSpec } from '../jobs/index.js';
import type { ScoredCandidate } from '../matching/index.js';

type Entry = { at: number; ranked: Promise<unknown> };

const MAX_ENTRIES = 2000;
const entries = new Map<string, Entry>();

/**
 * A ranking for a job spec (tasks and location) and slot, reused for `ttlMs` by the holds of
 * every customer asking the same: under a storm of holds the scoring is done once per few seconds
 * instead of once per request. Nothing here decides a booking: the caller drops the contractors
 * whose slot is claimed now (takenNow), the UNIQUE claim still decides every race, and checkout
 * re-checks capacity under the contractor's lock. Per process, in memory, lost on restart.
 */
export function reusedRanking<T = ScoredCandidate[]>(
  spec: JobSpec,
  date: string,
  slot: Slot,
  ttlMs: number,
  rank: () => Promise<T>,
  nowMs = Date.now(),
  /** Only a ranking started after this instant will do (one made after a refusal). */
  notBeforeMs = 0,
): { ranked: Promise<T>; reused: boolean } {
  const key = JSON.stringify([spec.tasks, spec.latitude, spec.longitude, date, slot]);
  const hit = entries.get(key);
  if (hit && nowMs - hit.at < ttlMs && hit.at > notBeforeMs) return { ranked: hit.ranked as Promise<T>, reused: true };
  const ranked = rank();
  // A failed ranking (an aborted transaction) is not kept.
  ranked.catch(() => entries.delete(key));
  entries.delete(key);
  entries.set(key, { at: nowMs, ranked });
  // Oldest first (Map keeps insertion order).
  while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  return { ranked, reused: false };
}

/** Forgets the reused ranking of a job spec and slot (its stored copy is gone). */
export function forgetRanking(spec: JobSpec, date: string, slot: Slot) {
  entries.delete(JSON.stringify([spec.tasks, spec.latitude, spec.longitude, date, slot]));
}

/** Contractors whose slot is claimed now by a booking or by another session's live hold. */
export async function takenNow(
  tx: Queryable,
  date: string,
  slot: Slot,
  viewer: { jobId: string; sessionId: string },
  now: Date,
): Promise<Set<string>> {
  const res = await tx.execute<{ contractor_id: string }>(sql`
    select contractor_id from slot_claims
    where date = ${date}::date and slot = ${slot}::slot_name
      and (kind = 'booking' or (expires_at > ${now.toISOString()}::timestamptz
           and not (job_id = ${viewer.jobId}::uuid and session_id is not distinct from ${viewer.sessionId}::text)))`);
  return new Set(res.rows.map((r) => r.contractor_id));
}
