import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { offerMessages } from '../notifications/index.js';

export const OFFER_CHANNEL = 'handy_offers';

export type OfferEvent = {
  type: 'offer.new' | 'offer.withdrawn' | 'offer.expired' | 'offer.accepted' | 'offer.declined';
  offerId: string;
  /** Targeted offers name their contractor; a broadcast's recipients are looked up by the listener. */
  contractorId: string | null;
};

/**
 * Postgres NOTIFY inside the caller's transaction: delivered to every server process exactly
 * when the change commits, and never for a change that rolled back.
 */
export async function notifyOffer(tx: Queryable, e: OfferEvent): Promise<void> {
  await tx.execute(sql`select pg_notify(${OFFER_CHANNEL}, ${JSON.stringify(e)})`);
  if (e.type === 'offer.new') await offerMessages(tx, e.offerId);
}
