import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { matchingRankings } from './schema.js';

/** Stores a ranking's candidate records once; holds refer to it by id instead of sending it each time. */
export async function storeRanking(db: Queryable, candidatesJson: string): Promise<string> {
  const [row] = await db
    .insert(matchingRankings)
    .values({ candidates: sql`${candidatesJson}::jsonb` })
    .returning({ id: matchingRankings.id });
  return row!.id;
}

/** Rankings are read only while a process reuses them (seconds); by the database's clock. */
export async function pruneStoredRankings(db: Queryable) {
  await db.execute(sql`delete from matching_rankings where created_at < now() - interval '10 minutes'`);
}
