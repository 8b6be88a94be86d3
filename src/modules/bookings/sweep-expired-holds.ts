import { pruneStoredRankings } from '../matching/index.js';
import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';

/**
 * Deletes expired holds in batches. SKIP LOCKED lets several workers (or a claim taking over an
 * expired hold) run at once without waiting on each other. Expired holds never block anyone in
 * the meantime: every reader and claimer compares expires_at itself.
 */
export async function sweepExpiredHolds(db: Queryable, now: Date, batch = 1000): Promise<number> {
  let total = 0;
  for (;;) {
    const res = await db.execute(sql`
      delete from slot_claims where id in (
        select id from slot_claims
        where kind = 'hold' and expires_at <= ${now.toISOString()}::timestamptz
        order by expires_at limit ${batch}
        for update skip locked)`);
    total += res.rowCount ?? 0;
    if ((res.rowCount ?? 0) < batch) break;
  }
  await pruneStoredRankings(db);
  return total;
}
