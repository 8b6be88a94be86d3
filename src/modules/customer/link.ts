import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/client.js';
import type { Slot } from '../availability/index.js';
import { checkout, type HoldSettings, holdSlot, releaseHold } from '../bookings/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import { bookings } from '../bookings/schema.js';
import { type JobSpec, jobSpecByCustomerToken, loadJobSpec } from '../jobs/index.js';
import { leads } from '../leads/schema.js';
import { checkoutQuote, holdForQuote, quoteByToken, quoteStatus, releaseForQuote } from '../quotes/index.js';
import { quotes } from '../quotes/schema.js';

type Quote = typeof quotes.$inferSelect;

/**
 * What a customer link reaches: one job, and the quote that prices it when there is one. The
 * quote link (/q/{token}) and the job link (/customer/jobs/{token}) both resolve to this, and
 * every customer use case takes it, so the two links follow the same rules.
 */
export type CustomerLink = { jobId: string; spec: JobSpec & { jobId: string }; quote: Quote | null; leadId: string | null };

/** The quote link. `allowInactive`: a superseded or expired quote still shows its booking. */
export async function quoteLink(db: Queryable, token: string, now: Date, baseUrl: string, opts: { allowInactive?: boolean } = {}): Promise<CustomerLink> {
  const quote = await quoteByToken(db, token, now, baseUrl, opts);
  const [lead] = await db.select({ jobId: leads.jobId }).from(leads).where(eq(leads.id, quote.leadId));
  return { jobId: lead!.jobId, spec: { ...(await loadJobSpec(db, lead!.jobId)), jobId: lead!.jobId }, quote, leadId: quote.leadId };
}

/** The job link. A lead's job link books through the lead's latest quote when it has a live one. */
export async function jobLink(db: Queryable, token: string, now: Date): Promise<CustomerLink> {
  const spec = await jobSpecByCustomerToken(db, token);
  const [lead] = await db.select({ id: leads.id }).from(leads).where(eq(leads.jobId, spec.jobId)).limit(1);
  if (!lead) return { jobId: spec.jobId, spec, quote: null, leadId: null };
  const [latest] = await db.select().from(quotes).where(eq(quotes.leadId, lead.id)).orderBy(desc(quotes.version)).limit(1);
  const live = latest && ['active', 'accepted'].includes(quoteStatus(latest, now)) ? latest : null;
  return { jobId: spec.jobId, spec, quote: live, leadId: lead.id };
}

function assertHasTasks(link: CustomerLink) {
  if (!link.spec.tasks.some((t) => t.isPrimary)) throw new AppError('NO_REQUIREMENTS', 'This job has no task requirements yet; we will be in touch', null);
}

/** A quote still being decided on; once booked, holds are only for moving the booking (no lead moves). */
const deciding = (link: CustomerLink) => (link.quote && !link.quote.acceptedAt ? link.quote : null);

export async function holdForLink(db: Db, link: CustomerLink, req: { sessionId: string; date: string; slot: Slot }, s: HoldSettings) {
  assertHasTasks(link);
  const quote = deciding(link);
  return quote ? holdForQuote(db, quote, req, s) : holdSlot(db, { spec: link.spec, ...req }, s);
}

export async function releaseForLink(db: Db, link: CustomerLink, sessionId: string, now: Date) {
  const quote = deciding(link);
  if (quote) return releaseForQuote(db, quote, sessionId, now);
  if (!(await releaseHold(db, link.jobId, sessionId))) throw notFound('Hold');
}

/** Bank-transfer (or no-deposit) checkout: a quote books with its deposit and the receipt clock. */
export async function checkoutForLink(db: Db, link: CustomerLink, sessionId: string, s: HoldSettings & { receiptHours: number }, intended?: { date: string; slot: Slot }) {
  assertHasTasks(link);
  return link.quote ? checkoutQuote(db, link.quote, sessionId, s, intended) : checkout(db, link.spec, sessionId, s, intended);
}

/** The link's booking a customer may still change (cancel, reschedule). */
export async function changeableBooking(db: Queryable, link: CustomerLink) {
  const [b] = await db.select().from(bookings).where(and(eq(bookings.jobId, link.jobId), inArray(bookings.status, ['pending_confirmation', 'confirmed'])));
  if (!b) throw notFound('Booking you can still change');
  return b;
}
