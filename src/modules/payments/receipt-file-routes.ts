import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import type { App, AppContext } from '../../http/context.js';
import { principalOf } from '../../http/auth.js';
import { sendStoredFile } from '../../http/send-stored-file.js';
import { notFound } from '../../shared/errors.js';
import { errors, uuidParam } from '../../shared/schemas.js';
import { recordAudit, staffActor } from '../audit/index.js';
import { STAFF } from '../auth/index.js';
import { payments } from './schema.js';

const EXT: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'image/heif': 'heif',
  'application/pdf': 'pdf',
};

/**
 * The bank-transfer receipt a customer uploaded, for staff reviewing it: as a download
 * (`/receipt`, always an attachment) or a preview (`/receipt/preview`, images and PDF inline).
 * Either way only its checked type is sent, with nosniff, and each look is on the audit trail.
 */
export function receiptFileRoutes(app: App, ctx: AppContext) {
  const receiptOf = async (paymentId: string) => {
    const [p] = await ctx.db
      .select({ path: payments.receiptPath, mime: payments.receiptMime })
      .from(payments)
      .where(eq(payments.id, paymentId));
    if (!p?.path || !p.mime) throw notFound('Receipt', { paymentId });
    return { path: p.path, mime: p.mime, name: `receipt-${paymentId}.${EXT[p.mime] ?? 'bin'}` };
  };
  const schema = (summary: string) => ({ tags: ['payments'], summary, params: uuidParam, response: { 200: z.any(), ...errors } });

  app.get(
    '/payments/:id/receipt',
    { config: { access: STAFF }, schema: schema('Download the receipt a customer uploaded (attachment)') },
    async (req, reply) => {
      const r = await receiptOf(req.params.id);
      const bytes = await stat(r.path)
        .then((s) => s.size)
        .catch(() => null);
      if (bytes === null) throw notFound('Receipt file', { paymentId: req.params.id });
      await recordAudit(ctx.db, {
        action: 'payment.receipt_downloaded',
        ...staffActor(principalOf(req), req.ip),
        targetType: 'payment',
        targetId: req.params.id,
        details: { bytes },
      });
      return sendStoredFile(reply, r.path, r.mime, r.name, { download: true });
    },
  );

  app.get(
    '/payments/:id/receipt/preview',
    {
      config: { access: STAFF },
      schema: schema("A manual payment's receipt file (images and PDF inline, anything else as a download; nosniff)"),
    },
    async (req, reply) => {
      const r = await receiptOf(req.params.id);
      await recordAudit(ctx.db, {
        action: 'payment.receipt_viewed',
        ...staffActor(principalOf(req), req.ip),
        targetType: 'payment',
        targetId: req.params.id,
        details: {},
      });
      return sendStoredFile(reply, r.path, r.mime, r.name);
    },
  );
}
