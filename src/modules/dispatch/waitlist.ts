import { and, eq, gt, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/client.js';
import { lockLink } from '../bookings/index.js';
import { bookingRules } from '../availability/index.js';
import { AppError } from '../../shared/errors.js';
import type { Config } from '../../config.js';
import { loadJobSpec } from '../jobs/index.js';
import { customerLinkForJob, enqueueMessage } from '../notifications/index.js';
import { rankUrgent } from './rank-urgent.js';
import { waitlistEntries } from './schema.js';

/**
 * A waitlist entry for the link's job. SPEC "Limits per customer link": at most `maxPerLink` live
 * entries per link (429 TOO_MANY_WAITLIST_ENTRIES beyond), counted under the link's row lock so
 * concurrent requests cannot both squeeze in.
 */
export async function joinWaitlist(
  db: Db,
  jobId: string,
  channel: 'email' | 'sms' | 'whatsapp',
  contact: string,
  now: Date,
  o: { ttlHours: number; maxPerLink: number },
) {
  return db.transaction(async (tx) => {
    await lockLink(tx, jobId);
    const [live] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(waitlistEntries)
      .where(and(eq(waitlistEntries.jobId, jobId), gt(waitlistEntries.expiresAt, now)));
    if (live!.n >= o.maxPerLink) {
      throw new AppError(
        'TOO_MANY_WAITLIST_ENTRIES',
        `This link already has ${live!.n} waitlist entries; we will message them when someone is free`,
        { max: o.maxPerLink },
      );
    }
    const [entry] = await tx
      .insert(waitlistEntries)
      .values({ jobId, channel, contact, expiresAt: new Date(now.getTime() + o.ttlHours * 3_600_000), createdAt: now })
      .returning();
    return entry!;
  });
}

/**
 * When a contractor clocks in, every live waiting entry they could serve is notified once: the
 * conditional UPDATE on notified_at is null makes "once" hold even when two contractors clock in
 * at the same moment. Runs in the clock-in transaction.
 */
export async function notifyWaitlist(tx: Queryable, contractorId: string, config: Config, now: Date): Promise<number> {
  const waiting = await tx.execute<{ id: string; job_id: string }>(sql`
    select id, job_id from waitlist_entries where notified_at is null and expires_at > ${now.toISOString()}::timestamptz order by created_at limit 200`);
  let notified = 0;
  for (const w of waiting.rows) {
    const spec = await loadJobSpec(tx, w.job_id);
    const { ranked } = await rankUrgent(tx, spec, bookingRules(config), now);
    if (!ranked.some((c) => c.contractorId === contractorId)) continue;
    const claimed = await tx.execute<{ channel: 'email' | 'sms' | 'whatsapp'; contact: string }>(sql`
      update waitlist_entries set notified_at = ${now.toISOString()}::timestamptz, notified_contractor_id = ${contractorId}
      where id = ${w.id} and notified_at is null returning channel, contact`);
    const entry = claimed.rows[0];
    if (!entry) continue;
    await enqueueMessage(tx, {
      type: 'waitlist_slot_available',
      to: { channel: entry.channel, address: entry.contact },
      data: { jobId: w.job_id, bookUrl: await customerLinkForJob(tx, w.job_id) },
      subject: `waitlist:${w.id}`,
    });
    notified++;
  }
  return notified;
}
