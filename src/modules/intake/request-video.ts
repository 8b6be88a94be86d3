import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { moveLead, setVideoTokenHash } from '../leads/index.js';
import { notFound } from '../../shared/errors.js';
import { leads } from '../leads/schema.js';
import { enqueueMessage } from '../notifications/index.js';
import { linkToken } from '../../shared/secrets.js';
import { hashToken } from '../../shared/tokens.js';

/** Asks the customer for a video: a private upload link, sent through the outbox (lead -> video_requested). */
export async function requestVideo(db: Db, leadId: string, actor: string, now: Date, baseUrl: string) {
  return db.transaction(async (tx) => {
    const [lead] = await tx.select().from(leads).where(eq(leads.id, leadId)).for('update');
    if (!lead) throw notFound('Lead', { id: leadId });
    await moveLead(tx, leadId, { to: 'video_requested', actor, reason: 'video requested', now });
    // Derived from the lead id, so asking again sends the same link; only its digest is stored.
    const token = linkToken('video', leadId);
    await setVideoTokenHash(tx, leadId, hashToken(token));
    const uploadUrl = `${baseUrl}/v/${token}`;
    await enqueueMessage(tx, {
      type: 'video_requested',
      to: { lead: leadId },
      data: { customerName: lead.customerName, uploadUrl },
      subject: `lead:${leadId}`,
    });
    return { uploadUrl, token };
  });
}
