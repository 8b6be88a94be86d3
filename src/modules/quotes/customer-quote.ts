import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/client.js';
import type { Slot } from '../availability/index.js';
import { checkout, type HoldSettings, holdSlot, releaseHold } from '../bookings/index.js';
import { loadJobSpec } from '../jobs/index.js';
import { moveLeadAlong, moveLeadIfIn } from '../leads/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import { leads } from '../leads/schema.js';
import { priceSelection, type Selection, SelectionError } from './pricing.js';
import { quoteStatus, quoteUrl } from './presenters.js';
import { quotes } from './schema.js';
import { hashToken } from '../../shared/tokens.js';
import { awaitReceipt } from '../payments/index.js';


type Quote = typeof quotes.$inferSelect;

/** The quote behind a link. A superseded or expired one answers 410 pointing at the latest version. */
export async function quoteByToken(db: Queryable, token: string, now: Date, baseUrl: string, opts: { allowInactive?: boolean } = {}) {
  const [q] = await db.select().from(quotes).where(eq(quotes.tokenHash, hashToken(token)));
  if (!q) throw notFound('Quote');
  const status = quoteStatus(q, now);
  if (opts.allowInactive || status === 'active' || status === 'accepted') return q;
  const [latest] = await db.select().from(quotes).where(eq(quotes.leadId, q.leadId)).orderBy(desc(quotes.version)).limit(1);
  const pointer = latest && latest.id !== q.id && quoteStatus(latest, now) !== 'expired' ? { latestVersion: latest.version, latestUrl: quoteUrl(baseUrl, latest.id) } : {};
  throw new AppError(status === 'superseded' ? 'QUOTE_SUPERSEDED' : 'QUOTE_EXPIRED', status === 'superseded' ? 'A newer version of this quote exists' : 'This quote has expired; ask us for a fresh one', { status, version: q.version, ...pointer });
}

/** Opening the link records viewed_at and moves the lead to quote_viewed, once. */
export async function openQuote(db: Db, q: Quote, now: Date) {
  if (q.viewedAt) return q;
  return db.transaction(async (tx) => {
    const [viewed] = await tx.update(quotes).set({ viewedAt: now }).where(and(eq(quotes.id, q.id), isNull(quotes.viewedAt))).returning();
    if (!viewed) return q;
    await moveLeadIfIn(tx, q.leadId, ['quote_sent'], { to: 'quote_viewed', actor: 'customer', reason: `opened quote v${q.version}`, now });
    return viewed;
  });
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
  const [updated] = await db.update(quotes).set({ selection, totalPence: price.totalPence, depositPence: price.depositPence }).where(eq(quotes.id, q.id)).returning();
  return updated!;
}

async function specOf(db: Queryable, q: Quote) {
  const [lead] = await db.select().from(leads).where(eq(leads.id, q.leadId));
  const spec = await loadJobSpec(db, lead!.jobId);
  if (!spec.tasks.some((t) => t.isPrimary)) throw new AppError('NO_REQUIREMENTS', 'This job has no task requirements yet; we will be in touch', null);
  return { ...spec, jobId: lead!.jobId };
}
export const quoteSpec = specOf;

function assertBookable(q: Quote) {
  if (q.acceptedAt) throw new AppError('QUOTE_ACCEPTED', 'This quote has already been booked', null);
}

export async function holdForQuote(db: Db, q: Quote, req: { sessionId: string; date: string; slot: Slot }, s: HoldSettings) {
  assertBookable(q);
  const spec = await specOf(db, q);
  const held = await holdSlot(db, { spec, ...req }, s);
  await db.transaction((tx) => moveLeadIfIn(tx, q.leadId, ['quote_viewed'], { to: 'slot_held', actor: 'customer', reason: `${req.date} ${req.slot}`, now: s.now }));
  return held;
}

export async function releaseForQuote(db: Db, q: Quote, sessionId: string, now: Date) {
  const spec = await specOf(db, q);
  if (!(await releaseHold(db, spec.jobId, sessionId))) throw notFound('Hold');
  await db.transaction((tx) => moveLeadIfIn(tx, q.leadId, ['slot_held'], { to: 'quote_viewed', actor: 'customer', reason: 'hold released', now }));
}

/**
 * Checkout from the quote link: the booking carries the quote and its deposit; accepted_at is
 * recorded and the lead goes slot_held -> booked -> assigned (a contractor is attached) in the
 * same transaction as the booking.
 */
export async function checkoutQuote(db: Db, q: Quote, sessionId: string, s: HoldSettings & { receiptHours: number }, intended?: { date: string; slot: Slot }) {
  const spec = await specOf(db, q);
  return checkout(db, spec, sessionId, s, intended, {
    quoteId: q.id,
    depositPence: q.depositPence,
    onBooked: async (tx, booking) => {
      // A later version or expiry between the customer's last look and now: refuse, nothing kept.
      const [fresh] = await tx.select().from(quotes).where(eq(quotes.id, q.id)).for('update');
      const status = quoteStatus(fresh!, s.now);
      if (status !== 'active') throw new AppError(status === 'superseded' ? 'QUOTE_SUPERSEDED' : 'QUOTE_EXPIRED', `This quote is ${status}`, { status });
      await tx.update(quotes).set({ acceptedAt: s.now }).where(eq(quotes.id, q.id));
      await moveLeadAlong(tx, q.leadId, ['quote_viewed', 'slot_held', 'booked', 'assigned'], { actor: 'customer', reason: `booking ${booking.id}`, now: s.now });
      return awaitReceipt(tx, booking, s.receiptHours, s.now);
    },
  });
}
