import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { fileTypeFromBuffer } from 'file-type';
import type { Db } from '../../db/client.js';
import { moveLead } from '../leads/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import { leads } from '../leads/schema.js';
import { leadVideos } from './schema.js';
import { fileHasMarkup } from '../../shared/upload-scan.js';
import path from 'node:path';

const VIDEO_TYPES = new Set([
  'video/mp4',
  'video/quicktime',
  'video/webm',
  'video/x-matroska',
  'video/x-msvideo',
  'video/3gpp',
  'video/x-m4v',
]);

export type IncomingVideo = { stream: Readable & { truncated?: boolean }; transcript: string | null };

/**
 * Stores an uploaded video under the uploads directory after checking its size and, by its
 * bytes rather than its name, that it is a video. The lead moves video_requested ->
 * video_received in the same transaction as the row; a rejected file leaves nothing behind.
 */
export async function receiveVideo(db: Db, leadId: string, upload: IncomingVideo, o: { uploadDir: string; uploadedBy: string; now: Date }) {
  const [lead] = await db.select({ state: leads.state }).from(leads).where(eq(leads.id, leadId));
  if (!lead) throw notFound('Lead', { id: leadId });
  if (lead.state !== 'video_requested')
    throw new AppError('VIDEO_NOT_REQUESTED', `The lead is ${lead.state}; request a video first`, { state: lead.state });

  const dir = path.resolve(o.uploadDir, 'videos');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const id = randomUUID();
  const partial = path.join(dir, `${id}.part`);
  try {
    await pipeline(upload.stream, createWriteStream(partial, { mode: 0o600 })).catch((err: { code?: string }) => {
      if (err.code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('VIDEO_TOO_LARGE', 'The video is larger than allowed', null);
      throw err;
    });
    if (upload.stream.truncated) throw new AppError('VIDEO_TOO_LARGE', 'The video is larger than allowed', null);
    const head = Buffer.alloc(4100);
    const fh = await open(partial, 'r');
    const { bytesRead, size } = await fh.read(head, 0, head.length, 0).then(async (r) => ({ ...r, size: (await fh.stat()).size }));
    await fh.close();
    const type = await fileTypeFromBuffer(head.subarray(0, bytesRead));
    if (!type || !VIDEO_TYPES.has(type.mime)) {
      throw new AppError('NOT_A_VIDEO', 'That file is not a video we can read', { detected: type?.mime ?? null });
    }
    if (await fileHasMarkup(partial)) throw new AppError('UNSAFE_FILE', 'That video carries markup or script and cannot be accepted', null);
    const final = path.join(dir, `${id}.${type.ext}`);
    await rename(partial, final);
    try {
      return await db.transaction(async (tx) => {
        const [video] = await tx
          .insert(leadVideos)
          .values({
            id,
            leadId,
            path: final,
            mimeType: type.mime,
            sizeBytes: size,
            transcript: upload.transcript,
            uploadedBy: o.uploadedBy,
            createdAt: o.now,
          })
          .returning();
        await moveLead(tx, leadId, {
          to: 'video_received',
          actor: o.uploadedBy,
          reason: `${Math.round(size / 1024)} KiB ${type.mime}`,
          now: o.now,
        });
        return video!;
      });
    } catch (err) {
      await rm(final, { force: true });
      throw err;
    }
  } finally {
    await rm(partial, { force: true });
  }
}
