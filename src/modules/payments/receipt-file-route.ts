import { z } from 'zod';
import { eq } from 'drizzle-orm';
import type { App, AppContext } from '../../http/context.js';
import { notFound } from '../../shared/errors.js';
import { sendStoredFile } from '../../http/send-stored-file.js';
import { errors, uuidParam } from '../../shared/schemas.js';
import { principalOf } from '../../http/auth.js';
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

/** The uploaded bank-transfer receipt of a manual payment, for staff reviewing it. */
export function receiptFileRoute(app: App, ctx: AppContext) {
  app.get(
    '/payments/:id/receipt/preview',
    {
      config: { access: STAFF },
      schema: {
        tags: ['payments'],
        summary: "A manual payment's receipt file (images and PDF inline, anything else as a download; nosniff)",
        params: uuidParam,
        response: { 200: z.any(), ...errors },
      },
    },
    async (req, reply) => {
      const [p] = await ctx.db
        .select({ path: payments.receiptPath, mime: payments.receiptMime })
        .from(payments)
        .where(eq(payments.id, req.params.id));
      if (!p?.path || !p.mime) throw notFound('Receipt', { paymentId: req.params.id });
      await recordAudit(ctx.db, {
        action: 'payment.receipt_viewed',
        ...staffActor(principalOf(req), req.ip),
        targetType: 'payment',
        targetId: req.params.id,
        details: {},
      });
      return sendStoredFile(reply, p.path, p.mime, `receipt-${req.params.id}.${EXT[p.mime] ?? 'bin'}`);
    },
  );
}
