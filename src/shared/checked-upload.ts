import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import type { FastifyRequest } from 'fastify';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from './errors.js';
import path from 'node:path';

/** How an upload kind names itself in errors: `RECEIPT` gives RECEIPT_TOO_LARGE, RECEIPT_MISSING. */
export type UploadKind = { code: 'PHOTO' | 'RECEIPT' | 'VIDEO'; noun: string };

/** Reads one multipart file (size-limited) and the text fields sent before it. */
export async function readOneFile(
  req: FastifyRequest,
  maxBytes: number,
  kind: UploadKind,
): Promise<{ bytes: Buffer; fields: Record<string, string> }> {
  if (!req.isMultipart()) throw new AppError('MULTIPART_REQUIRED', `Upload the ${kind.noun} as multipart/form-data`, null);
  const fields: Record<string, string> = {};
  for await (const part of req.parts({ limits: { fileSize: maxBytes, files: 1 } })) {
    if (part.type === 'field') fields[part.fieldname] = String(part.value).slice(0, 500);
    else {
      const bytes = await part.toBuffer().catch((err: { code?: string }) => {
        if (err.code === 'FST_REQ_FILE_TOO_LARGE')
          throw new AppError(`${kind.code}_TOO_LARGE`, `A ${kind.noun} may be at most ${Math.round(maxBytes / 1024 / 1024)} MB`, null);
        throw err;
      });
      return { bytes, fields };
    }
  }
  throw new AppError(`${kind.code}_MISSING`, `No ${kind.noun} file in the upload`, null);
}

/**
 * Checks a file by its bytes (never its name or declared type) against the allowed types and
 * stores it under the uploads directory; `refusal` is the 415 for anything else.
 */
export async function storeCheckedFile(
  bytes: Buffer,
  dir: string,
  allowed: ReadonlySet<string>,
  refusal: (detected: string | null) => AppError,
): Promise<{ path: string; mime: string }> {
  const type = await fileTypeFromBuffer(bytes);
  if (!type || !allowed.has(type.mime)) throw refusal(type?.mime ?? null);
  const folder = path.resolve(dir);
  await mkdir(folder, { recursive: true });
  const file = path.join(folder, `${randomUUID()}.${type.ext}`);
  await writeFile(file, bytes, { mode: 0o600 });
  return { path: file, mime: type.mime };
}
