import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { notFound } from '../../shared/errors.js';
import { bookings } from '../bookings/schema.js';
import { type JobSpec, jobSpecByCustomerToken, loadJobSpec } from '../jobs/index.js';
import { leads } from '../leads/schema.js';
import { quoteByToken, quoteStatus } from '../quotes/index.js';
import { quotes } from '../quotes/schema.js';

type Quote = typeof quotes.$inferSelect;

/**
 * What a customer link reaches: one job, and the quote that prices it when there is one. The
 * quote link (/q/{token}) and the job link (/customer/jobs/{token}) both resolve to this, and
 * every customer flow takes it (src/flows/book-by-link.ts), so the two links follow the same rules.
 */
export type CustomerLink = { jobId: string; spec: JobSpec & { jobId: string }; quote: Quote | null; leadId: string | null };

/** The quote link. `allowInactive`: a superseded or expired quote still shows its booking. */
export async function quoteLink(
  db: Queryable,
  token: string,
  now: Date,
  baseUrl: string,
  opts: { allowInactive?: boolean } = {},
): Promise<CustomerLink> {
  const quote = await quoteByToken(db, token, now, baseUrl, opts);
  const [lead] = await db.select({ jobId: leads.jobId }).from(leads).where(eq(leads.id, quote.leadId));
  return { jobId: lead!.jobId, spec: { ...(await loadJobSpec(db, lead!.jobId)), jobId: lead!.jobId }, quote, leadId: quote.leadId };
}

/** The job link. A lead's job link books through the lead's latest quote when it has a live one. */
export async function jobLink(db: Queryable, token: string, now: Date): Promise<CustomerLink> {
  // The lead and its latest quote's id come in the spec's statement; the quote row is read only
  // when there is one (most job links, from the web form and urgent jobs, have no lead).
  const { also: found, ...spec } = await jobSpecByCustomerToken<{ leadId: string; quoteId: string | null } | null>(
    db,
    token,
    sql`(select json_build_object('leadId', l.id,
                                  'quoteId', (select q.id from ${quotes} q where q.lead_id = l.id order by q.version desc limit 1))
         from ${leads} l where l.job_id = j.id limit 1)`,
  );
  if (!found) return { jobId: spec.jobId, spec, quote: null, leadId: null };
  const [latest] = found.quoteId ? await db.select().from(quotes).where(eq(quotes.id, found.quoteId)) : [];
  const live = latest && ['active', 'accepted'].includes(quoteStatus(latest, now)) ? latest : null;
  return { jobId: spec.jobId, spec, quote: live, leadId: found.leadId };
}

/** The link's booking a customer may still change (cancel, reschedule). */
export async function changeableBooking(db: Queryable, link: CustomerLink) {
  const [b] = await db
    .select()
    .from(bookings)
    .where(and(eq(bookings.jobId, link.jobId), inArray(bookings.status, ['pending_confirmation', 'confirmed'])));
  if (!b) throw notFound('Booking you can still change');
  return b;
}
