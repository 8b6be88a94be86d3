import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppError } from '../shared/errors.js';

/** An upload written to disk: where, how big, its SHA-256 and its first bytes (for type sniffing). */
export type SpooledFile = { path: string; size: number; sha256: string; head: Buffer };

const HEAD_BYTES = 4100;
const leftovers = new WeakMap<FastifyRequest, string[]>();

/**
 * Streams an upload to `file` chunk by chunk: memory stays at one chunk whatever the size, and
 * the limit is enforced while the bytes arrive (the stream is cut at `maxBytes + 1`), not after.
 * The file is removed when the response has been sent unless the caller has renamed it by then,
 * so a rejected or replayed upload leaves nothing behind.
 */
export async function spoolToFile(
  req: FastifyRequest,
  stream: Readable & { truncated?: boolean },
  file: string,
  maxBytes: number,
  tooLarge: () => AppError,
): Promise<SpooledFile> {
  const list = leftovers.get(req) ?? [];
  list.push(file);
  leftovers.set(req, list);
  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let size = 0;
  let headSize = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes) return done(tooLarge());
      hash.update(chunk);
      if (headSize < HEAD_BYTES) {
        head.push(chunk.subarray(0, HEAD_BYTES - headSize));
        headSize += Math.min(chunk.length, HEAD_BYTES - headSize);
      }
      done(null, chunk);
    },
  });
  try {
    await pipeline(stream, meter, createWriteStream(file, { mode: 0o600 }));
    if (stream.truncated) throw tooLarge();
  } catch (err) {
    await rm(file, { force: true });
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    throw err;
  }
  return { path: file, size, sha256: hash.digest('hex'), head: Buffer.concat(head) };
}

/** Removes spooled files nobody kept, once each response is sent (or the client went away). */
export function registerSpoolCleanup(app: FastifyInstance): void {
  const clean = async (req: FastifyRequest) => {
    const files = leftovers.get(req);
    if (!files) return;
    leftovers.delete(req);
    await Promise.all(files.map((f) => rm(f, { force: true })));
  };
  app.addHook('onResponse', clean);
  app.addHook('onRequestAbort', clean);
}
