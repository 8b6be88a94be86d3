import { readFile } from 'node:fs/promises';
import type { FastifyReply } from 'fastify';
import { notFound } from '../shared/errors.js';

/** Types a browser may show in place; anything else is always a download. */
const INLINE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'application/pdf']);

/**
 * Sends an uploaded file to signed-in staff. The stored type (checked by content at upload) is
 * the only type sent, nosniff stops the browser guessing another, and only images and PDFs are
 * shown inline (never with `download`); the file never gets a name the customer chose.
 */
export async function sendStoredFile(reply: FastifyReply, file: string, mime: string, name: string, o: { download?: boolean } = {}) {
  const bytes = await readFile(file).catch(() => null);
  if (!bytes) throw notFound('File', { name });
  const inline = !o.download && INLINE_TYPES.has(mime);
  // Browsers refuse to render a PDF under a sandbox policy, so only other types get one.
  if (mime !== 'application/pdf')
    void reply.header('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox");
  return reply
    .header('content-type', mime)
    .header('x-content-type-options', 'nosniff')
    .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename="${name}"`)
    .header('cache-control', 'private, no-store')
    .send(bytes);
}
