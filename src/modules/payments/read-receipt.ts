import type { FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors.js';
import { assertSafeText } from '../../http/input-hygiene.js';
import type { SpooledFile } from '../../http/spool-upload.js';
import { spoolReceipt } from './receipts.js';

/** Reads one multipart receipt (streamed to disk, size-limited) and the text fields sent before it. */
export async function readReceipt(
  req: FastifyRequest,
  maxBytes: number,
  uploadDir: string,
): Promise<{ file: SpooledFile; fields: Record<string, string> }> {
  if (!req.isMultipart()) throw new AppError('MULTIPART_REQUIRED', 'Upload the receipt as multipart/form-data', null);
  const fields: Record<string, string> = {};
  for await (const part of req.parts({ limits: { fileSize: maxBytes, files: 1 } })) {
    if (part.type === 'field') {
      assertSafeText({ [part.fieldname]: part.value }, 'body');
      fields[part.fieldname] = String(part.value).slice(0, 500);
    } else {
      return { file: await spoolReceipt(req, part.file, uploadDir, maxBytes), fields };
    }
  }
  throw new AppError('RECEIPT_MISSING', 'No receipt file in the upload', null);
}
