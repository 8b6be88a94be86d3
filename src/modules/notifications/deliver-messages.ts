import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Db, Queryable } from '../../db/client.js';
import { inboundMessages } from '../channels/schema.js';
import { PermanentSendError, type OutChannel, type Providers } from '../channels/index.js';
import { links } from './links.js';
import { alertStaff } from './outbox.js';
import { retryDelaySeconds } from './routing.js';
import { outboxMessages } from './schema.js';
import { isMessageType, renderMessage } from './templates.js';

type Row = typeof outboxMessages.$inferSelect;

export type DeliveryDeps = {
  db: Db;
  providers: Providers;
  config: Config;
  now: () => Date;
  /** How long a claimed message is ours before another worker may take it over (a crash). */
  leaseSeconds?: number;
  batchSize?: number;
  concurrency?: number;
  random?: () => number;
};

export type DrainResult = { sent: number; retried: number; failed: number; nextDueAt: Date | null };

/**
 * Claims a batch of due messages (FOR UPDATE SKIP LOCKED, so workers never share one), marks
 * them `sending` with a lease, and commits before any provider is called. A message whose lease
 * lapsed (its worker died between send and record) is claimed again; if the provider's status
 * callback already told us its id, it is recorded as sent instead of being sent twice.
 */
async function claim(d: DeliveryDeps, now: Date): Promise<Row[]> {
  const lease = new Date(now.getTime() + (d.leaseSeconds ?? 120) * 1000);
  return d.db.transaction(async (tx) => {
    const due = await tx.execute<{ id: string; status: string; provider_id: string | null }>(sql`
      select id, status, provider_id from outbox_messages
      where status in ('pending', 'sending') and next_attempt_at <= ${now.toISOString()}::timestamptz
      order by next_attempt_at, created_at
      limit ${d.batchSize ?? 50}
      for update skip locked`);
    const known = due.rows.filter((r) => r.status === 'sending' && r.provider_id).map((r) => r.id);
    if (known.length) await tx.update(outboxMessages).set({ status: 'sent', sentAt: now }).where(inArray(outboxMessages.id, known));
    const ids = due.rows.filter((r) => !known.includes(r.id)).map((r) => r.id);
    if (!ids.length) return [];
    return tx
      .update(outboxMessages)
      .set({ status: 'sending', attempts: sql`${outboxMessages.attempts} + 1`, nextAttemptAt: lease })
      .where(inArray(outboxMessages.id, ids))
      .returning();
  });
}

async function whatsappSessionOpen(db: Db, to: string, now: Date): Promise<boolean> {
  const [row] = await db
    .select({ id: inboundMessages.id })
    .from(inboundMessages)
    .where(
      and(
        eq(inboundMessages.channel, 'whatsapp'),
        eq(inboundMessages.from, to),
        gt(inboundMessages.createdAt, new Date(now.getTime() - 24 * 3_600_000)),
      ),
    )
    .limit(1);
  return Boolean(row);
}

/**
 * This channel failed for good: the next fallback route gets a new message, or (none left) staff
 * are told. Runs in the transaction that marked the message failed.
 */
export async function afterPermanentFailure(tx: Queryable, m: Row, error: string, publicBaseUrl: string) {
  const [next, ...rest] = m.fallbacks;
  if (next) {
    await tx.insert(outboxMessages).values({
      channel: next.channel as Row['channel'],
      recipient: next.recipient,
      template: m.template,
      payload: m.payload,
      subject: m.subject,
      leadId: m.leadId,
      contractorId: m.contractorId,
      fallbacks: rest,
      fallbackOf: m.id,
      nextAttemptAt: new Date(0),
    });
    await tx.execute(sql`select pg_notify('handy_outbox', '')`);
    return;
  }
  // A failed alert is not alerted about again (that could loop); it stays in the failed list.
  if (m.template === 'message_failed') return;
  await alertStaff(
    tx,
    'message_failed',
    {
      messageId: m.id,
      type: m.template,
      channel: m.channel,
      recipient: m.recipient,
      error: error.slice(0, 300),
      messagesUrl: links.staffMessages(publicBaseUrl, 'failed'),
    },
    `message:${m.id}`,
  );
}

async function failForGood(d: DeliveryDeps, m: Row, error: string, now: Date) {
  await d.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(outboxMessages)
      .set({ status: 'failed', failedAt: now, lastError: error.slice(0, 1000) })
      .where(and(eq(outboxMessages.id, m.id), eq(outboxMessages.status, 'sending'), eq(outboxMessages.attempts, m.attempts)))
      .returning({ id: outboxMessages.id });
    if (updated) await afterPermanentFailure(tx, m, error, d.config.publicBaseUrl);
  });
}

async function deliverOne(d: DeliveryDeps, m: Row): Promise<'sent' | 'retried' | 'failed'> {
  const now = d.now();
  // Rows from before the channels existed said `staff`: they are alerts for the staff address.
  const channel: OutChannel = m.channel === 'staff' ? 'email' : m.channel;
  const to = m.channel === 'staff' ? d.config.STAFF_ALERT_EMAIL : m.recipient;
  try {
    if (!isMessageType(m.template)) throw new PermanentSendError(`no template for message type ${m.template}`);
    const provider = d.providers[channel];
    if (!provider) throw new PermanentSendError(`no provider configured for ${channel}`);
    const rendered = renderMessage(m.template, m.payload as never);
    const sessionOpen = channel === 'whatsapp' ? await whatsappSessionOpen(d.db, to, now) : false;
    const result = await provider.send({ id: m.id, channel, to, type: m.template, rendered, sessionOpen });
    // Recorded only if this claim is still ours (a lapsed lease may have passed it to another worker).
    await d.db
      .update(outboxMessages)
      .set({ status: 'sent', sentAt: d.now(), providerId: result.providerId, providerStatus: result.status ?? null, lastError: null })
      .where(and(eq(outboxMessages.id, m.id), eq(outboxMessages.status, 'sending')));
    return 'sent';
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof PermanentSendError || m.attempts >= d.config.MESSAGE_MAX_ATTEMPTS) {
      await failForGood(d, m, err instanceof PermanentSendError ? message : `gave up after ${m.attempts} attempts: ${message}`, now);
      return 'failed';
    }
    const delay = retryDelaySeconds(
      m.attempts,
      { baseSeconds: d.config.MESSAGE_RETRY_BASE_SECONDS, factor: d.config.MESSAGE_RETRY_FACTOR },
      d.random,
    );
    await d.db
      .update(outboxMessages)
      .set({ status: 'pending', nextAttemptAt: new Date(now.getTime() + delay * 1000), lastError: message.slice(0, 1000) })
      .where(and(eq(outboxMessages.id, m.id), eq(outboxMessages.status, 'sending'), eq(outboxMessages.attempts, m.attempts)));
    return 'retried';
  }
}

async function pool<T>(items: T[], size: number, run: (t: T) => Promise<void>) {
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (i < items.length) await run(items[i++]!);
    }),
  );
}

/** Delivers everything due now, batch after batch, and says when the next message falls due. */
export async function deliverDue(d: DeliveryDeps): Promise<DrainResult> {
  const result: DrainResult = { sent: 0, retried: 0, failed: 0, nextDueAt: null };
  for (;;) {
    const batch = await claim(d, d.now());
    if (!batch.length) break;
    await pool(batch, d.concurrency ?? 8, async (m) => {
      result[await deliverOne(d, m)]++;
    });
  }
  const [next] = await d.db
    .select({ at: sql<Date>`min(${outboxMessages.nextAttemptAt})`.mapWith((v: string | null) => (v ? new Date(v) : null)) })
    .from(outboxMessages)
    .where(inArray(outboxMessages.status, ['pending', 'sending']));
  result.nextDueAt = (next?.at as Date | null) ?? null;
  return result;
}

/**
 * Staff re-send. A failed message is retried in place from its first attempt (it never arrived,
 * so its idempotency key still fits); a delivered one is copied as a new message, since a
 * provider would rightly drop a second send under the same key.
 */
export async function resendMessage(db: Db, id: string) {
  return db.transaction(async (tx) => {
    const [m] = await tx.select().from(outboxMessages).where(eq(outboxMessages.id, id)).for('update');
    if (!m || m.status === 'pending' || m.status === 'sending') return { message: m ?? null, resent: false };
    let row: Row;
    if (m.status === 'failed' || m.status === 'cancelled') {
      [row] = (await tx
        .update(outboxMessages)
        .set({ status: 'pending', attempts: 0, nextAttemptAt: new Date(0), lastError: null, failedAt: null })
        .where(eq(outboxMessages.id, id))
        .returning()) as [Row];
    } else {
      [row] = (await tx
        .insert(outboxMessages)
        .values({
          channel: m.channel,
          recipient: m.recipient,
          template: m.template,
          payload: m.payload,
          subject: m.subject,
          leadId: m.leadId,
          contractorId: m.contractorId,
          fallbacks: m.fallbacks,
          nextAttemptAt: new Date(0),
        })
        .returning()) as [Row];
    }
    await tx.execute(sql`select pg_notify('handy_outbox', '')`);
    return { message: row, resent: true };
  });
}
