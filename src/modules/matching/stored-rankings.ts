import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { matchingRankings } from './schema.js';

/**
 * Stores a ranking once; holds refer to it by id instead of sending it each time. `candidatesJson`
 * holds the candidate records (for the history); the ids and scores, in rank order, are what
 * handy_hold walks.
 */
export async function storeRanking(
  db: Queryable,
  candidatesJson: string,
  ranked: { contractorId: string; matchScore: number }[],
): Promise<string> {
  const [row] = await db
    .insert(matchingRankings)
    .values({
      candidates: sql`${candidatesJson}::jsonb`,
      contractorIds: ranked.map((c) => c.contractorId),
      scores: ranked.map((c) => c.matchScore),
    })
    .returning({ id: matchingRankings.id });
  return row!.id;
}

/**
 * A ranking is reused by a process for seconds and read again when a hold made from it is checked
 * out, so it goes once it is ten minutes old (by the database's clock) and no hold refers to it.
 * The holds' references are read once, as a hashed set, not once per ranking.
 */
export async function pruneStoredRankings(db: Queryable) {
  await db.execute(sql`
    delete from matching_rankings
    where created_at < now() - interval '10 minutes'
      and id not in (select ranking_id from slot_claims where kind = 'hold' and ranking_id is not null)`);
}
