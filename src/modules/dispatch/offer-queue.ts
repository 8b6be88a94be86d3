import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';

export type QueuedOffer = {
  offerId: string;
  dispatchId: string;
  kind: 'targeted' | 'broadcast' | 'request';
  priority: 'high' | 'normal';
  matchScore: number | null;
  reasons: string[];
  expiresAt: Date;
  secondsLeft: number;
  createdAt: Date;
  job: { postcode: string; description: string | null; tasks: string[]; date: string; slot: string };
};

/**
 * A contractor's queue: their open targeted offers and the open broadcasts sent to them (not
 * declined), high priority first, then newest; one statement. `offerId` narrows it to one offer.
 */
export async function offerQueue(db: Queryable, contractorId: string, now: Date, offerId?: string): Promise<QueuedOffer[]> {
  const res = await db.execute<{
    offer_id: string;
    dispatch_id: string;
    kind: QueuedOffer['kind'];
    priority: QueuedOffer['priority'];
    match_score: number | null;
    reasons: string[];
    expires_at: string;
    created_at: string;
    postcode: string;
    description: string | null;
    tasks: string[];
    date: string;
    slot: string;
  }>(sql`
    with mine as (
      select o.id, o.match_score, o.reasons from offers o
      where o.contractor_id = ${contractorId} and o.status = 'offered' and o.expires_at > ${now.toISOString()}::timestamptz
      union all
      select o.id, r.match_score, r.reasons from offers o join offer_recipients r on r.offer_id = o.id
      where r.contractor_id = ${contractorId} and r.declined_at is null and o.status = 'offered' and o.expires_at > ${now.toISOString()}::timestamptz
    )
    select o.id as offer_id, o.dispatch_id, o.kind, o.priority, m.match_score, m.reasons, o.expires_at, o.created_at,
           j.postcode, j.description, d.date::text as date, d.slot,
           (select coalesce(array_agg(t.name order by t.display_order), '{}') from job_task_requirements r join contractor_tasks t on t.id = r.task_id where r.job_id = j.id) as tasks
    from mine m join offers o on o.id = m.id join urgent_dispatches d on d.id = o.dispatch_id join jobs j on j.id = d.job_id
    ${offerId ? sql`where o.id = ${offerId}` : sql``}
    order by (o.priority = 'high') desc, o.created_at desc, o.id`);
  return res.rows.map((r) => {
    const expiresAt = new Date(r.expires_at);
    return {
      offerId: r.offer_id,
      dispatchId: r.dispatch_id,
      kind: r.kind,
      priority: r.priority,
      matchScore: r.match_score,
      reasons: r.reasons,
      expiresAt,
      secondsLeft: Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000)),
      createdAt: new Date(r.created_at),
      job: { postcode: r.postcode.split(' ')[0]!, description: r.description, tasks: r.tasks, date: r.date, slot: r.slot },
    };
  });
}
