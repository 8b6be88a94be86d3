import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import type { App, AppContext } from '../../http/context.js';
import { principalOf } from '../../http/auth.js';
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
 * Staff look at a receipt before approving it. Always a download (Content-Disposition:
 * attachment) with its checked type, nosniff and a sandboxing CSP: whatever the file holds, the
 * browser does not render it as a page of ours. Each download is on the audit trail.
 */
export function receiptDownloadRoute(app: App, ctx: AppContext) {
  app.get(
    '/payments/:id/receipt',
    {
      config: { access: STAFF },
      schema: {
        tags: ['payments'],
        summary: 'Download the receipt a customer uploaded (attachment)',
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
      const bytes = await readFile(p.path).catch(() => null);
      if (!bytes) throw notFound('Receipt file', { paymentId: req.params.id });
      await recordAudit(ctx.db, {
        action: 'payment.receipt_downloaded',
        ...staffActor(principalOf(req), req.ip),
        targetType: 'payment',
        targetId: req.params.id,
        details: { bytes: bytes.length },
      });
      return reply
        .headers({
          'content-type': p.mime,
          'content-disposition': `attachment; filename="receipt-${req.params.id}.${EXT[p.mime] ?? 'bin'}"`,
          'x-content-type-options': 'nosniff',
          'content-security-policy': "default-src 'none'; sandbox",
          'cache-control': 'no-store',
        })
        .send(bytes);
    },
  );
}
