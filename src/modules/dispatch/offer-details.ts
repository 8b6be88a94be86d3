import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { haversineMiles } from '../geo/index.js';
import { offerQueue, type QueuedOffer } from './offer-queue.js';

/** What the contractor app shows beside an offer: how far the job is and what it was quoted at. */
export type OfferExtras = { distanceMiles: number | null; quotedPence: number | null };

/** Distance from the contractor's base and the customer's accepted (or latest) quote total, when there is one. */
export async function offerExtras(db: Queryable, contractorId: string, offerIds: string[]): Promise<Map<string, OfferExtras>> {
  const out = new Map<string, OfferExtras>();
  if (!offerIds.length) return out;
  const res = await db.execute<{
    offer_id: string;
    jlat: number;
    jlon: number;
    clat: number | null;
    clon: number | null;
    quoted: number | null;
  }>(sql`
    select o.id as offer_id, j.latitude as jlat, j.longitude as jlon, c.latitude as clat, c.longitude as clon,
           (select q.total_pence from leads l join quotes q on q.lead_id = l.id
             where l.id = coalesce(d.lead_id, (select id from leads where job_id = j.id order by created_at desc limit 1)) and q.superseded_at is null
             order by q.accepted_at desc nulls last, q.version desc limit 1) as quoted
    from offers o join urgent_dispatches d on d.id = o.dispatch_id join jobs j on j.id = d.job_id
    cross join (select latitude, longitude from contractors where id = ${contractorId}) c
    where o.id in (select jsonb_array_elements_text(${JSON.stringify(offerIds)}::jsonb)::uuid)`);
  for (const r of res.rows) {
    const distance =
      r.clat === null || r.clon === null
        ? null
        : haversineMiles({ latitude: r.clat, longitude: r.clon }, { latitude: r.jlat, longitude: r.jlon });
    out.set(r.offer_id, { distanceMiles: distance === null ? null : Math.round(distance * 10) / 10, quotedPence: r.quoted });
  }
  return out;
}

/** The queue as the contractor app shows it: the API's order, each offer with its extras. */
export async function offerQueueWithExtras(
  db: Queryable,
  contractorId: string,
  now: Date,
  offerId?: string,
): Promise<(QueuedOffer & OfferExtras)[]> {
  const queue = await offerQueue(db, contractorId, now, offerId);
  const extras = await offerExtras(
    db,
    contractorId,
    queue.map((o) => o.offerId),
  );
  return queue.map((o) => ({ ...o, ...(extras.get(o.offerId) ?? { distanceMiles: null, quotedPence: null }) }));
}

export type OfferOutcome = 'open' | 'accepted_by_you' | 'taken' | 'expired' | 'withdrawn' | 'declined';

/**
 * One offer as this contractor sees it, also after it left their queue (the link in an offer
 * message may be opened late): open, or what became of it. Null when it was never theirs.
 */
export async function offerForContractor(db: Queryable, offerId: string, contractorId: string, now: Date) {
  const [open] = await offerQueueWithExtras(db, contractorId, now, offerId);
  if (open) return { outcome: 'open' as OfferOutcome, offer: open };
  const res = await db.execute<{
    status: string;
    expires_at: string;
    accepted_by: string | null;
    dispatch_status: string;
    booking_id: string | null;
    assigned: string | null;
    declined_at: string | null;
    mine: boolean;
  }>(sql`
    select o.status, o.expires_at, o.accepted_by, d.status as dispatch_status, d.booking_id, d.assigned_contractor_id as assigned, r.declined_at,
           (o.contractor_id = ${contractorId} or r.contractor_id is not null) as mine
    from offers o join urgent_dispatches d on d.id = o.dispatch_id
    left join offer_recipients r on r.offer_id = o.id and r.contractor_id = ${contractorId}
    where o.id = ${offerId}`);
  const r = res.rows[0];
  if (!r?.mine) return null;
  const outcome: OfferOutcome =
    r.assigned === contractorId
      ? 'accepted_by_you'
      : r.declined_at || r.status === 'declined'
        ? 'declined'
        : r.dispatch_status === 'assigned'
          ? 'taken'
          : r.status === 'expired' || new Date(r.expires_at) <= now
            ? 'expired'
            : 'withdrawn';
  return { outcome, offer: null, bookingId: r.assigned === contractorId ? r.booking_id : null };
}
