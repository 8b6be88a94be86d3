import { z } from 'zod';
import { asc, desc, eq, inArray } from 'drizzle-orm';
import type { App, AppContext } from '../../http/context.js';
import { principalOf } from '../../http/auth.js';
import { AppError, notFound } from '../../shared/errors.js';
import { errors, uuidParam } from '../../shared/schemas.js';
import { type Role, STAFF } from '../auth/index.js';
import { bookings } from '../bookings/schema.js';
import { stripeGateway } from './gateway.js';
import { approveReceipt, rejectReceipt } from '../../flows/review-receipt.js';
import { settleCardPayment } from '../../flows/settle-card-payment.js';
import { hashBody, idempotent } from './idempotency.js';
import { readReceipt } from './read-receipt.js';
import { paymentView, presentPayment } from './presenters.js';
import { storeReceipt, submitStoredReceipt } from './receipts.js';
import { payments, refunds, webhookEvents } from './schema.js';

const MANAGERS: readonly Role[] = ['admin', 'va'];

export function paymentRoutes(app: App, ctx: AppContext) {
  const tags = ['payments'];
  const gateway = ctx.gateway ?? stripeGateway(ctx.config);

  app.get(
    '/payments/config',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Which payment methods are on (for the quote page)',
        response: { 200: z.object({ cardPayments: z.boolean(), publishableKey: z.string().nullable(), manualPayments: z.boolean() }) },
      },
    },
    async () => ({ cardPayments: gateway !== null, publishableKey: gateway?.publishableKey ?? null, manualPayments: true }),
  );

  // Stripe signs the raw bytes, so this route keeps the body unparsed.
  void app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    raw.post(
      '/webhooks/stripe',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: 'Stripe webhook (signature verified; each event processed once)',
          description:
            'Handles payment_intent.succeeded, payment_intent.payment_failed and payment_intent.canceled. A bad signature is 400 and changes nothing.',
          response: { 200: z.object({ received: z.boolean(), outcome: z.string() }), ...errors },
        },
      },
      async (req) => {
        if (!gateway) throw new AppError('CARD_PAYMENTS_DISABLED', 'Stripe is not configured', null);
        const signature = req.headers['stripe-signature'];
        let event;
        try {
          event = gateway.verifyWebhook(req.body as Buffer, typeof signature === 'string' ? signature : '');
        } catch {
          throw new AppError('INVALID_SIGNATURE', 'The webhook signature does not verify', null);
        }
        const outcome = await settleCardPayment(ctx.db, gateway, event, ctx.config, ctx.now());
        return { received: true, outcome };
      },
    );
  });

  app.get(
    '/payments',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'Payments, newest first (status=pending_review: receipts to check)',
        querystring: z.object({
          status: z
            .enum(['requires_payment', 'awaiting_receipt', 'pending_review', 'succeeded', 'failed', 'cancelled', 'rejected', 'refunded'])
            .optional(),
        }),
        response: { 200: z.object({ payments: z.array(paymentView) }), ...errors },
      },
    },
    async (req) => ({
      payments: (
        await ctx.db
          .select()
          .from(payments)
          .where(req.query.status ? eq(payments.status, req.query.status) : undefined)
          .orderBy(desc(payments.createdAt))
          .limit(200)
      ).map((p) => presentPayment(p)),
    }),
  );

  app.get(
    '/bookings/:id/payments',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: "A booking's ledger: payments, refunds and provider events",
        params: uuidParam,
        response: {
          200: z.object({
            payments: z.array(
              paymentView.extend({
                providerRef: z.string().nullable(),
                rejectReason: z.string().nullable(),
                reviewedAt: z.date().nullable(),
              }),
            ),
            refunds: z.array(
              z.object({
                id: z.uuid(),
                paymentId: z.uuid(),
                amountPence: z.number().int(),
                reason: z.string(),
                status: z.string(),
                providerRef: z.string().nullable(),
                createdAt: z.date(),
              }),
            ),
            events: z.array(z.object({ id: z.string(), type: z.string(), outcome: z.string().nullable(), receivedAt: z.date() })),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const [b] = await ctx.db.select({ id: bookings.id, jobId: bookings.jobId }).from(bookings).where(eq(bookings.id, req.params.id));
      if (!b) throw notFound('Booking', { id: req.params.id });
      const list = await ctx.db.select().from(payments).where(eq(payments.bookingId, b.id)).orderBy(asc(payments.createdAt));
      const ids = list.map((p) => p.id);
      const refundRows = ids.length ? await ctx.db.select().from(refunds).where(inArray(refunds.paymentId, ids)) : [];
      const events = ids.length
        ? await ctx.db.select().from(webhookEvents).where(inArray(webhookEvents.paymentId, ids)).orderBy(asc(webhookEvents.receivedAt))
        : [];
      return {
        payments: list.map((p) => ({
          ...presentPayment(p),
          providerRef: p.providerRef,
          rejectReason: p.rejectReason,
          reviewedAt: p.reviewedAt,
        })),
        refunds: refundRows.map(({ id, paymentId, amountPence, reason, status, providerRef, createdAt }) => ({
          id,
          paymentId,
          amountPence,
          reason,
          status,
          providerRef,
          createdAt,
        })),
        events: events.map(({ id, type, outcome, receivedAt }) => ({ id, type, outcome, receivedAt })),
      };
    },
  );

  app.post(
    '/bookings/:id/receipt',
    {
      config: { access: MANAGERS },
      schema: {
        tags,
        summary: 'Upload a bank-transfer receipt for the customer (multipart `receipt`: image or PDF, checked by content)',
        description: 'Accepts an Idempotency-Key header.',
        consumes: ['multipart/form-data'],
        params: uuidParam,
        response: { 201: z.object({ payment: paymentView }), ...errors },
      },
    },
    async (req, reply) => {
      const { file } = await readReceipt(req, ctx.config.RECEIPT_MAX_BYTES, ctx.config.uploadDir);
      return idempotent(ctx.db, req, reply, `receipt:${req.params.id}`, hashBody([file.sha256]), async () => {
        const p = await submitStoredReceipt(ctx.db, req.params.id, await storeReceipt(file, ctx.config.uploadDir), ctx.now());
        return { status: 201, body: { payment: presentPayment(p) } };
      });
    },
  );

  app.post(
    '/payments/:id/approve',
    {
      config: { access: MANAGERS },
      schema: {
        tags,
        summary: 'Approve a receipt: payment succeeded, booking confirmed',
        params: uuidParam,
        response: { 200: z.object({ payment: paymentView }), ...errors },
      },
    },
    async (req) => {
      await approveReceipt(ctx.db, req.params.id, principalOf(req).userId, ctx.now(), req.ip);
      const [p] = await ctx.db.select().from(payments).where(eq(payments.id, req.params.id));
      return { payment: presentPayment(p!) };
    },
  );

  app.post(
    '/payments/:id/reject',
    {
      config: { access: MANAGERS },
      schema: {
        tags,
        summary: 'Reject a receipt with a reason: the booking is cancelled and its slot freed',
        params: uuidParam,
        body: z.object({ reason: z.string().trim().min(1).max(500) }),
        response: { 200: z.object({ payment: paymentView }), ...errors },
      },
    },
    async (req) => {
      await rejectReceipt(ctx.db, req.params.id, principalOf(req).userId, req.body.reason, ctx.now(), req.ip);
      const [p] = await ctx.db.select().from(payments).where(eq(payments.id, req.params.id));
      return { payment: presentPayment(p!) };
    },
  );
}
