import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/client.js';
import { loadJobSpec } from '../jobs/index.js';
import { moveLeadIfIn } from '../leads/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import { leads } from '../leads/schema.js';
import { priceSelection, type Selection, SelectionError } from './pricing.js';
import { quoteStatus, quoteUrl } from './presenters.js';
import { quotes } from './schema.js';
import { hashToken } from '../../shared/tokens.js';

type Quote = typeof quotes.$inferSelect;

/** The quote behind a link. A superseded or expired one answers 410 pointing at the latest version sent. */
export async function quoteByToken(db: Queryable, token: string, now: Date, baseUrl: string, opts: { allowInactive?: boolean } = {}) {
  const [q] = await db
    .select()
    .from(quotes)
    .where(eq(quotes.tokenHash, hashToken(token)));
  if (!q) throw notFound('Quote');
  const status = quoteStatus(q, now);
  if (opts.allowInactive || status === 'active' || status === 'accepted') return q;
  const [latest] = await db.select().from(quotes).where(eq(quotes.leadId, q.leadId)).orderBy(desc(quotes.version)).limit(1);
  const newer = latest && latest.id !== q.id && quoteStatus(latest, now) !== 'expired' ? latest : null;
  // Only a version staff have sent is pointed at: a draft is not the customer's to book yet (its
  // lead is back at quote_generated, so a checkout on it could not follow).
  const pointer = newer?.sentAt ? { latestVersion: newer.version, latestUrl: quoteUrl(baseUrl, newer.id) } : {};
  const message =
    status === 'expired'
      ? 'This quote has expired; ask us for a fresh one'
      : newer && !newer.sentAt
        ? 'We are preparing a new version of this quote and will send it to you shortly'
        : 'A newer version of this quote exists';
  throw new AppError(status === 'superseded' ? 'QUOTE_SUPERSEDED' : 'QUOTE_EXPIRED', message, { status, version: q.version, ...pointer });
}

/** Opening the link records viewed_at and moves the lead to quote_viewed, once. */
export async function openQuote(db: Db, q: Quote, now: Date) {
  if (q.viewedAt) return q;
  return db.transaction((tx) => markQuoteViewed(tx, q, now));
}

/**
 * The same inside the caller's transaction: also for a hold made without opening the page first
 * (an API client), since acting on a quote means it was seen, and the lead can only reach
 * slot_held from quote_viewed.
 */
export async function markQuoteViewed(tx: Queryable, q: Quote, now: Date) {
  const [viewed] = await tx
    .update(quotes)
    .set({ viewedAt: now })
    .where(and(eq(quotes.id, q.id), isNull(quotes.viewedAt)))
    .returning();
  if (!viewed) return q;
  await moveLeadIfIn(tx, q.leadId, ['quote_sent'], { to: 'quote_viewed', actor: 'customer', reason: `opened quote v${q.version}`, now });
  return viewed;
}

/** The customer's tier / optional items; the total and deposit are recomputed here, never taken from the client. */
export async function chooseSelection(db: Db, q: Quote, selection: Selection) {
  if (q.acceptedAt) throw new AppError('QUOTE_ACCEPTED', 'This quote has already been booked', null);
  let price;
  try {
    price = priceSelection(q, selection);
  } catch (e) {
    if (e instanceof SelectionError) throw new AppError('INVALID_SELECTION', e.message, { selection });
    throw e;
  }
  const [updated] = await db
    .update(quotes)
    .set({ selection, totalPence: price.totalPence, depositPence: price.depositPence })
    .where(eq(quotes.id, q.id))
    .returning();
  return updated!;
}

async function specOf(db: Queryable, q: Quote) {
  const [lead] = await db.select().from(leads).where(eq(leads.id, q.leadId));
  const spec = await loadJobSpec(db, lead!.jobId);
  if (!spec.tasks.some((t) => t.isPrimary))
    throw new AppError('NO_REQUIREMENTS', 'This job has no task requirements yet; we will be in touch', null);
  return { ...spec, jobId: lead!.jobId };
}
export const quoteSpec = specOf;

/**
 * The quote is booked: accepted_at is recorded under the row lock. `mustBeActive`: a later
 * version or expiry between the customer's last look and now refuses (410) and the caller's
 * transaction keeps nothing; a paid card deposit is accepted whatever the quote's state.
 */
export async function acceptQuote(tx: Queryable, quoteId: string, now: Date, opts: { mustBeActive: boolean }) {
  const [fresh] = await tx.select().from(quotes).where(eq(quotes.id, quoteId)).for('update');
  if (opts.mustBeActive) {
    const status = quoteStatus(fresh!, now);
    if (status !== 'active')
      throw new AppError(status === 'superseded' ? 'QUOTE_SUPERSEDED' : 'QUOTE_EXPIRED', `This quote is ${status}`, { status });
  }
  const [accepted] = await tx.update(quotes).set({ acceptedAt: now }).where(eq(quotes.id, quoteId)).returning();
  return accepted!;
}
