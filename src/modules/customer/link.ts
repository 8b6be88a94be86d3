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
export type CustomerLink = {
  jobId: string;
  spec: JobSpec & { jobId: string };
  quote: Quote | null;
  leadId: string | null;
  /**
   * handy_job_digest of the job when this link was read from a process's memory (jobLinkForHold):
   * the hold checks it against the job as it is now. Null when the link was just read.
   */
  digest: string | null;
};

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
  return {
    jobId: lead!.jobId,
    spec: { ...(await loadJobSpec(db, lead!.jobId)), jobId: lead!.jobId },
    quote,
    leadId: quote.leadId,
    digest: null,
  };
}

/** The job link. A lead's job link books through the lead's latest quote when it has a live one. */
export async function jobLink(db: Queryable, token: string, now: Date): Promise<CustomerLink> {
  return (await readJobLink(db, token, now, false)).link;
}

/**
 * The link, and with `withDigest` the digest of what a hold relies on (handy_job_digest), read in
 * the same statement (only a link kept for holds needs it).
 * The lead and its latest quote's id come in the spec's statement too; the quote row is read only
 * when there is one (most job links, from the web form and urgent jobs, have no lead).
 */
async function readJobLink(
  db: Queryable,
  token: string,
  now: Date,
  withDigest: boolean,
): Promise<{ link: CustomerLink; digest: string | null }> {
  const { also, ...spec } = await jobSpecByCustomerToken<{
    lead: { leadId: string; quoteId: string | null } | null;
    digest: string | null;
  }>(
    db,
    token,
    sql`json_build_object(
          'lead', (select json_build_object('leadId', l.id,
                                            'quoteId', (select q.id from ${quotes} q where q.lead_id = l.id order by q.version desc limit 1))
                   from ${leads} l where l.job_id = j.id limit 1),
          'digest', ${withDigest ? sql`handy_job_digest(j.id)` : sql`null`})`,
  );
  const found = also.lead;
  if (!found) return { link: { jobId: spec.jobId, spec, quote: null, leadId: null, digest: null }, digest: also.digest };
  const [latest] = found.quoteId ? await db.select().from(quotes).where(eq(quotes.id, found.quoteId)) : [];
  const live = latest && ['active', 'accepted'].includes(quoteStatus(latest, now)) ? latest : null;
  return { link: { jobId: spec.jobId, spec, quote: live, leadId: found.leadId, digest: null }, digest: also.digest };
}

/*
 * Job links without a lead (the web form's and urgent jobs') are kept in each process's memory for
 * a while, so a storm of holds on one link reads it once, not once per hold. What the hold relies
 * on is checked inside handy_hold against the digest kept with it (SpecChanged when the job
 * changed, and the caller reads the link afresh). A lead's link is always read: its quote decides.
 */
const KEPT_LINK_MS = 30_000;
const MAX_KEPT_LINKS = 5000;
const keptLinks = new Map<string, { at: number; link: CustomerLink }>();

/** The job link for a hold: from this process's memory when it was read lately (see above). */
export async function jobLinkForHold(db: Queryable, token: string, now: Date): Promise<CustomerLink> {
  const kept = keptLinks.get(token);
  if (kept && Date.now() - kept.at < KEPT_LINK_MS) return kept.link;
  const { link, digest } = await readJobLink(db, token, now, true);
  keptLinks.delete(token);
  if (!link.leadId && digest) {
    keptLinks.set(token, { at: Date.now(), link: { ...link, digest } });
    // Oldest first (Map keeps insertion order).
    while (keptLinks.size > MAX_KEPT_LINKS) keptLinks.delete(keptLinks.keys().next().value!);
  }
  return link;
}

/** Forgets a kept job link (its job changed). */
export function forgetJobLink(token: string) {
  keptLinks.delete(token);
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
