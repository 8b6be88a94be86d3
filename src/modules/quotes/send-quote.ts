import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { conflict, notFound } from '../../http/errors.js';
import { moveLeadIfIn } from '../leads/move-lead.js';
import { leads } from '../leads/schema.js';
import { messageCustomer } from '../notifications/outbox.js';
import { quoteStatus, quoteUrl } from './presenters.js';
import { quotes } from './schema.js';
import type { Queryable } from '../../db/client.js';

/**
 * Sends the quote link: records sent_at (first send), queues the message in the outbox in the
 * same transaction, and moves the lead quote_generated -> quote_sent. Sending again re-queues
 * the message.
 */
export async function sendQuoteTx(tx: Queryable, quoteId: string, actor: string, now: Date, baseUrl: string) {
  const [q] = await tx.select().from(quotes).where(eq(quotes.id, quoteId)).for('update');
  if (!q) throw notFound('Quote', { id: quoteId });
  const status = quoteStatus(q, now);
  if (status !== 'active') throw conflict('QUOTE_NOT_ACTIVE', `This quote is ${status}`, { status });
  const [lead] = await tx.select().from(leads).where(eq(leads.id, q.leadId));
  if (!lead!.email && !lead!.phone) throw conflict('NO_CONTACT', 'The lead has no email or phone to send to', { leadId: lead!.id });
  const [sent] = await tx.update(quotes).set({ sentAt: q.sentAt ?? now }).where(eq(quotes.id, q.id)).returning();
  await messageCustomer(
    tx,
    lead!,
    'quote_sent',
    { customerName: lead!.customerName, quoteUrl: quoteUrl(baseUrl, q.token), totalPence: q.totalPence, expiresAt: q.expiresAt.toISOString(), version: q.version },
    `quote:${q.id}`,
  );
  await moveLeadIfIn(tx, lead!.id, ['quote_generated'], { to: 'quote_sent', actor, reason: `quote v${q.version} sent`, now });
  return sent!;
}

export const sendQuote = (db: Db, quoteId: string, actor: string, now: Date, baseUrl: string) =>
  db.transaction((tx) => sendQuoteTx(tx, quoteId, actor, now, baseUrl));
