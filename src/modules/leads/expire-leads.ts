import { sql } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { moveLead } from './move-lead.js';

/**
 * Scheduled: leads untouched too long in a waiting state expire (LEAD_EXPIRY_HOURS per state),
 * and so do leads whose latest quote has expired. Batches skip rows another worker holds.
 */
export async function expireStaleLeads(db: Db, config: Config, now: Date): Promise<number> {
  const limits = Object.entries(config.leadExpiryHours);
  return db.transaction(async (tx) => {
    const stale = await tx.execute<{ id: string; why: string }>(sql`
      select l.id, 'untouched' as why from leads l
      join jsonb_each_text(${JSON.stringify(Object.fromEntries(limits))}::jsonb) x on x.key = l.state::text
      where l.state_changed_at <= ${now.toISOString()}::timestamptz - make_interval(hours => x.value::int)
      union
      select l.id, 'quote expired' from leads l
      where l.state in ('quote_sent', 'quote_viewed')
        and not exists (select 1 from quotes q where q.lead_id = l.id and q.superseded_at is null and q.expires_at > ${now.toISOString()}::timestamptz)
      limit 500`);
    let n = 0;
    for (const row of stale.rows) {
      const locked = await tx.execute(sql`select 1 from leads where id = ${row.id} for update skip locked`);
      if (!locked.rowCount) continue;
      await moveLead(tx, row.id, { to: 'expired', actor: 'system', reason: row.why, now });
      n++;
    }
    return n;
  });
}

/** Scheduled with the hold sweeper: a lead whose slot hold lapsed goes back to quote_viewed. */
export async function releaseLapsedLeadHolds(db: Db, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const lapsed = await tx.execute<{ id: string }>(sql`
      select l.id from leads l
      where l.state = 'slot_held'
        and not exists (select 1 from slot_claims c where c.job_id = l.job_id and c.kind = 'hold' and c.expires_at > ${now.toISOString()}::timestamptz)
      for update skip locked limit 500`);
    for (const row of lapsed.rows) await moveLead(tx, row.id, { to: 'quote_viewed', actor: 'system', reason: 'hold expired', now });
    return lapsed.rows.length;
  });
}
