import { eq, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/client.js';
import { moveLeadIfIn } from '../leads/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import { leads } from '../leads/schema.js';
import { enqueueMessage } from '../notifications/index.js';
import { messagePreferences } from '../notifications/schema.js';
import { quoteStatus, quoteUnavailable, quoteUrl } from './presenters.js';
import { quotes } from './schema.js';

/**
 * Sends the quote link: records sent_at (first send), queues the message in the outbox in the
 * same transaction, and moves the lead quote_generated -> quote_sent. Sending again re-queues
 * the message.
 */
export async function sendQuoteTx(tx: Queryable, quoteId: string, actor: string, now: Date, baseUrl: string, emailsPerAddressPerDay = 5) {
  const [q] = await tx.select().from(quotes).where(eq(quotes.id, quoteId)).for('update');
  if (!q) throw notFound('Quote', { id: quoteId });
  const status = quoteStatus(q, now);
  if (status !== 'active') throw quoteUnavailable(status, `This quote is ${status}`, { status });
  const [lead] = await tx.select().from(leads).where(eq(leads.id, q.leadId));
  if (!lead!.email && !lead!.phone) {
    const [pref] = await tx
      .select({ chat: messagePreferences.telegramChatId })
      .from(messagePreferences)
      .where(eq(messagePreferences.leadId, lead!.id));
    if (!pref?.chat) throw new AppError('NO_CONTACT', 'The lead has no email, phone or Telegram chat to send to', { leadId: lead!.id });
  }
  const [sent] = await tx
    .update(quotes)
    .set({ sentAt: q.sentAt ?? now })
    .where(eq(quotes.id, q.id))
    .returning();
  // Anyone can type any address into the web form: one address gets a few quote emails a day at most.
  const emailOk = !lead!.email || (await quoteEmailAllowed(tx, lead!.email, emailsPerAddressPerDay));
  await enqueueMessage(tx, {
    type: 'quote_sent',
    to: { lead: lead!.id },
    data: {
      customerName: lead!.customerName,
      quoteUrl: quoteUrl(baseUrl, q.id),
      totalPence: q.totalPence,
      expiresAt: q.expiresAt.toISOString(),
      version: q.version,
    },
    subject: `quote:${q.id}`,
    ...(emailOk ? {} : { channels: ['sms', 'whatsapp', 'telegram'] as const }),
  });
  await moveLeadIfIn(tx, lead!.id, ['quote_generated'], { to: 'quote_sent', actor, reason: `quote v${q.version} sent`, now });
  return sent!;
}

export const sendQuote = (db: Db, quoteId: string, actor: string, now: Date, baseUrl: string, emailsPerAddressPerDay?: number) =>
  db.transaction((tx) => sendQuoteTx(tx, quoteId, actor, now, baseUrl, emailsPerAddressPerDay));

/** Fewer than `limit` quote emails to this address in the last day (serialised per address). */
async function quoteEmailAllowed(tx: Queryable, email: string, limit: number): Promise<boolean> {
  const address = email.trim().toLowerCase();
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`quote-email:${address}`}))`);
  const { rows } = await tx.execute<{ n: number }>(sql`
    select count(*)::int as n from outbox_messages
    where channel = 'email' and template = 'quote_sent' and lower(recipient) = ${address} and created_at > now() - interval '1 day'`);
  return rows[0]!.n < limit;
}
