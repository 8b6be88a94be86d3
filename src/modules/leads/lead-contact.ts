import { eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { leads } from './schema.js';

/** The real postcode, given after the enquiry was taken with a placeholder; the address is asked again. */
export async function setLeadPlace(
  tx: Queryable,
  leadId: string,
  place: { postcode: string; outcode: string; latitude: number; longitude: number },
) {
  await tx
    .update(leads)
    .set({ ...place, address: null })
    .where(eq(leads.id, leadId));
}

/** Only the digest of the customer's video upload link is kept. */
export async function setVideoTokenHash(tx: Queryable, leadId: string, tokenHash: string) {
  await tx.update(leads).set({ videoTokenHash: tokenHash }).where(eq(leads.id, leadId));
}
