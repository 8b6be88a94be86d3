import { eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { moveLead } from '../leads/index.js';
import { leads } from '../leads/schema.js';
import { leadVideos } from './schema.js';

/** A video sent by message joins the scoring pipeline when the lead can still take one. */
export async function attachVideo(
  tx: Queryable,
  leadId: string,
  media: { path: string; mime: string; sizeBytes?: number | null },
  by: string,
  at: Date,
): Promise<string | null> {
  const [lead] = await tx.select({ state: leads.state }).from(leads).where(eq(leads.id, leadId)).for('update');
  if (!lead || !['created', 'sku_detected', 'video_requested'].includes(lead.state)) return null;
  if (lead.state !== 'video_requested')
    await moveLead(tx, leadId, { to: 'video_requested', actor: by, reason: 'customer sent a video', now: at });
  const [video] = await tx
    .insert(leadVideos)
    .values({ leadId, path: media.path, mimeType: media.mime, sizeBytes: media.sizeBytes ?? 0, uploadedBy: by, createdAt: at })
    .returning({ id: leadVideos.id });
  await moveLead(tx, leadId, { to: 'video_received', actor: by, reason: `video by ${by.split(':')[0]}`, now: at });
  return video!.id;
}
