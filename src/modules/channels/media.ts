import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import type { StoredMedia } from './schema.js';

/** Stores a file a customer sent (typed by its bytes, not by what the sender claimed). */
export async function storeInboundMedia(bytes: Buffer, claimedMime: string | null, uploadDir: string): Promise<StoredMedia> {
  const type = await fileTypeFromBuffer(bytes);
  const mime = type?.mime ?? claimedMime ?? 'application/octet-stream';
  const kind: StoredMedia['kind'] = mime.startsWith('image/')
    ? 'photo'
    : mime.startsWith('video/')
      ? 'video'
      : mime.startsWith('audio/')
        ? 'audio'
        : 'file';
  const dir = path.resolve(uploadDir, 'inbound');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${randomUUID()}.${type?.ext ?? 'bin'}`);
  await writeFile(file, bytes, { mode: 0o600 });
  return { path: file, mime, kind, sizeBytes: bytes.length };
}

/** Downloads with a size cap; the caller decides what a failure means. */
export async function download(url: string, headers: Record<string, string>, maxBytes: number): Promise<Buffer> {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(60_000) });
  if (!res.ok) throw new Error(`download ${url} answered ${res.status}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  if (bytes.length > maxBytes) throw new Error(`download ${url} is larger than ${maxBytes} bytes`);
  return bytes;
}
