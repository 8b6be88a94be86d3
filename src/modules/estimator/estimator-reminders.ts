import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { links } from '../notifications/index.js';
import { alertStaff, enqueueMessage, messagingBaseUrl } from '../notifications/index.js';

/**
 * Scheduled: remind an estimator of items they claimed and left untouched, and escalate items
 * nobody has claimed, each once per period. Batches skip rows another worker holds.
 */
export async function remindAndEscalate(db: Db, now: Date, o: { reminderMinutes: number; escalationMinutes: number }) {
  return db.transaction(async (tx) => {
    const stale = await tx.execute<{ id: string; lead_id: string; email: string; name: string }>(sql`
      select q.id, q.lead_id, u.email, u.name from estimator_queue q join users u on u.id = q.assigned_to
      where q.status = 'claimed'
        and coalesce(q.touched_at, q.claimed_at) <= ${now.toISOString()}::timestamptz - make_interval(mins => ${o.reminderMinutes})
        and (q.last_reminder_at is null or q.last_reminder_at <= ${now.toISOString()}::timestamptz - make_interval(mins => ${o.reminderMinutes}))
      for update of q skip locked`);
    for (const r of stale.rows) {
      await enqueueMessage(tx, {
        type: 'estimator_reminder',
        to: { email: r.email },
        data: { leadId: r.lead_id, itemId: r.id, name: r.name, leadUrl: links.staffLead(messagingBaseUrl(), r.lead_id) },
        subject: `estimator:${r.id}`,
      });
      await tx.execute(sql`update estimator_queue set last_reminder_at = ${now.toISOString()}::timestamptz where id = ${r.id}`);
    }
    const waiting = await tx.execute<{ id: string; lead_id: string }>(sql`
      select id, lead_id from estimator_queue
      where status = 'queued' and escalated_at is null
        and created_at <= ${now.toISOString()}::timestamptz - make_interval(mins => ${o.escalationMinutes})
      for update skip locked`);
    for (const r of waiting.rows) {
      await alertStaff(
        tx,
        'estimator_escalation',
        { leadId: r.lead_id, itemId: r.id, leadUrl: links.staffLead(messagingBaseUrl(), r.lead_id) },
        `estimator:${r.id}`,
      );
      await tx.execute(sql`update estimator_queue set escalated_at = ${now.toISOString()}::timestamptz where id = ${r.id}`);
    }
    return { reminded: stale.rows.length, escalated: waiting.rows.length };
  });
}
