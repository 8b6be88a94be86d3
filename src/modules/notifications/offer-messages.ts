import { eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { contractors } from '../contractors/schema.js';
import { offerRecipients, offers, urgentDispatches } from '../dispatch/schema.js';
import { jobs } from '../jobs/schema.js';
import { links } from './links.js';
import { enqueueMessage, messagingBaseUrl } from './outbox.js';

/**
 * A new offer reaches contractors outside the app too: Telegram, WhatsApp or SMS (never email:
 * it is minutes-long), with a one-tap link to the offer and its countdown. A broadcast goes to
 * each of its recipients. Written in the transaction that creates the offer.
 */
export async function offerMessages(tx: Queryable, offerId: string): Promise<void> {
  const [o] = await tx
    .select({ offer: offers, postcode: jobs.outcode, description: jobs.description })
    .from(offers)
    .innerJoin(urgentDispatches, eq(urgentDispatches.id, offers.dispatchId))
    .innerJoin(jobs, eq(jobs.id, urgentDispatches.jobId))
    .where(eq(offers.id, offerId));
  if (!o) return;
  const to = o.offer.contractorId
    ? await tx.select({ id: contractors.id, name: contractors.name }).from(contractors).where(eq(contractors.id, o.offer.contractorId))
    : await tx
        .select({ id: contractors.id, name: contractors.name })
        .from(offerRecipients)
        .innerJoin(contractors, eq(contractors.id, offerRecipients.contractorId))
        .where(eq(offerRecipients.offerId, offerId));
  for (const c of to) {
    await enqueueMessage(tx, {
      type: 'urgent_offer',
      to: { contractor: c.id },
      subject: `offer:${offerId}`,
      channels: ['telegram', 'whatsapp', 'sms'],
      dedupeKey: `offer:${offerId}:${c.id}`,
      data: {
        contractorName: c.name,
        offerUrl: links.offer(messagingBaseUrl(), offerId),
        expiresAt: o.offer.expiresAt.toISOString(),
        area: o.postcode,
        description: o.description ?? 'urgent job',
      },
    });
  }
}
