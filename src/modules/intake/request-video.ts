import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { notFound } from '../../http/errors.js';
import { moveLead } from '../leads/move-lead.js';
import { leads } from '../leads/schema.js';
import { enqueueMessage } from '../notifications/outbox.js';

/** Asks the customer for a video: a private upload link, sent through the outbox (lead -> video_requested). */
export async function requestVideo(db: Db, leadId: string, actor: string, now: Date, baseUrl: string) {
  return db.transaction(async (tx) => {
    const [lead] = await tx.select().from(leads).where(eq(leads.id, leadId)).for('update');
    if (!lead) throw notFound('Lead', { id: leadId });
    await moveLead(tx, leadId, { to: 'video_requested', actor, reason: 'video requested', now });
    const token = lead.videoToken ?? randomBytes(18).toString('base64url');
    await tx.update(leads).set({ videoToken: token }).where(eq(leads.id, leadId));
    const uploadUrl = `${baseUrl}/v/${token}`;
    await enqueueMessage(tx, { type: 'video_requested', to: { lead: leadId }, data: { customerName: lead.customerName, uploadUrl }, subject: `lead:${leadId}` });
    return { uploadUrl, token };
  });
}
