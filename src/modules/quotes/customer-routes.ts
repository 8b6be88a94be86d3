import { z } from 'zod';
import type { App, AppContext } from '../../http/context.js';
import { errors, isoDate, slot } from '../../shared/schemas.js';
import { availabilityView, bookingRules, findAvailability } from '../availability/index.js';
import { customerBookingView, holdView, presentBooking, presentHold, sessionIdSchema } from '../bookings/index.js';
import { holdRateLimit, uploadRateLimit } from '../../http/rate-limits.js';
import { chooseSelection, openQuote, quoteByToken, quoteSpec } from './customer-quote.js';
import { AppError } from '../../shared/errors.js';
import { hashToken } from '../../shared/tokens.js';
import {
  bankTransferDetails,
  bankTransferView,
  hashBody,
  idempotent,
  paymentView,
  presentPayment,
  readReceipt,
  storeReceipt,
} from '../payments/index.js';
import { presentQuote, quoteView } from './presenters.js';
import { quoteLink } from '../customer/index.js';
import { startCardCheckout } from '../../flows/card-checkout.js';
import { checkoutWithReceipt } from '../../flows/receipt-checkout.js';
import { checkoutByLink, holdByLink, releaseByLink } from '../../flows/book-by-link.js';

const token = z.object({ token: z.string().min(16).max(64) });
const sessionId = sessionIdSchema;

/** The customer's quote page API: everything is authorised by the quote link's token. */
export function customerQuoteRoutes(app: App, ctx: AppContext) {
  const tags = ['customer'];
  const access = 'customer' as const;
  const settings = () => ({
    rules: bookingRules(ctx.config),
    ttlSeconds: ctx.config.HOLD_TTL_SECONDS,
    now: ctx.now(),
    receiptHours: ctx.config.RECEIPT_UPLOAD_HOURS,
    maxHoldsPerLink: ctx.config.LINK_MAX_HOLDS,
  });
  const resolve = (t: string) => quoteByToken(ctx.db, t, ctx.now(), ctx.config.publicBaseUrl);
  const gone = { 410: errors[404] };
  const link = (t: string) => quoteLink(ctx.db, t, ctx.now(), ctx.config.publicBaseUrl);

  app.get(
    '/q/:token',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Open a quote (records viewed_at; 410 with a pointer when superseded or expired)',
        params: token,
        response: { 200: z.object({ quote: quoteView }), ...errors, ...gone },
      },
    },
    async (req) => ({
      quote: presentQuote(await openQuote(ctx.db, await resolve(req.params.token), ctx.now()), ctx.now(), ctx.config.publicBaseUrl),
    }),
  );

  app.put(
    '/q/:token/selection',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Choose the hhh tier and/or optional items; the server recomputes total and deposit',
        description: 'Any total or price sent by the client is ignored.',
        params: token,
        body: z.object({
          tier: z.enum(['handy_fix', 'hassle_free', 'high_standard']).nullable().default(null),
          optionalItemIds: z.array(z.string().max(40)).max(20).default([]),
        }),
        response: { 200: z.object({ quote: quoteView }), ...errors, ...gone },
      },
    },
    async (req) => {
      const q = await chooseSelection(ctx.db, await resolve(req.params.token), req.body);
      return { quote: presentQuote(q, ctx.now(), ctx.config.publicBaseUrl) };
    },
  );

  app.get(
    '/q/:token/availability',
    {
      config: { access },
      schema: {
        tags,
        summary: "Dates and am/pm slots for this quote's job, with contractors free per slot",
        params: token,
        querystring: z.object({ from: isoDate.optional(), to: isoDate.optional(), sessionId: sessionId.optional() }),
        response: { 200: availabilityView, ...errors, ...gone },
      },
    },
    async (req) => {
      const q = await resolve(req.params.token);
      const spec = await quoteSpec(ctx.db, q);
      return findAvailability(
        ctx.db,
        spec,
        req.query,
        { jobId: spec.jobId, sessionId: req.query.sessionId ?? null },
        bookingRules(ctx.config),
        ctx.now(),
      );
    },
  );

  app.post(
    '/q/:token/holds',
    {
      config: { access, rateLimit: holdRateLimit(ctx) },
      schema: {
        tags,
        summary: 'Hold a slot for 5 minutes (the best free contractor is held; same session again returns the same hold)',
        params: token,
        body: z.object({ sessionId, date: isoDate, slot }),
        response: { 200: z.object({ hold: holdView }), 201: z.object({ hold: holdView }), ...errors, ...gone, 429: errors[404] },
      },
    },
    async (req, reply) => {
      const s = settings();
      const { claim, reused } = await holdByLink(ctx.db, await link(req.params.token), req.body, s);
      return reply.status(reused ? 200 : 201).send({ hold: presentHold(claim, s.now) });
    },
  );

  app.delete(
    '/q/:token/holds/:sessionId',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Release this session’s hold',
        params: token.extend({ sessionId }),
        response: { 204: z.null(), ...errors, ...gone },
      },
    },
    async (req, reply) => {
      await releaseByLink(ctx.db, await link(req.params.token), req.params.sessionId, ctx.now());
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/q/:token/checkout',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Pay the deposit and book the held slot',
        description:
          '`paymentMethod: card` creates a Stripe PaymentIntent for the deposit and answers with its client secret (confirm it with ' +
          'Stripe Elements); the booking is made when Stripe reports success. `manual` (the default; bank transfer) books now as ' +
          'pending_confirmation with payment pending: upload the receipt to /q/{token}/receipt. A retry returns the same result; ' +
          'send an Idempotency-Key header to make any retry safe.',
        params: token,
        body: z
          .object({
            sessionId,
            paymentMethod: z.enum(['card', 'manual']).default('manual'),
            date: isoDate.optional(),
            slot: slot.optional(),
          })
          .refine((b) => (b.date === undefined) === (b.slot === undefined), 'give both date and slot, or neither'),
        response: {
          200: z.object({ booking: customerBookingView, bankTransfer: bankTransferView.nullable().optional() }),
          201: z.object({
            booking: customerBookingView.optional(),
            payment: paymentView.optional(),
            bankTransfer: bankTransferView.nullable().optional(),
          }),
          ...errors,
          ...gone,
        },
      },
    },
    async (req, reply) =>
      idempotent(ctx.db, req, reply, `checkout:${hashToken(req.params.token)}`, hashBody([JSON.stringify(req.body)]), async () => {
        const { sessionId: session, date, slot: slotName, paymentMethod } = req.body;
        const q = await resolve(req.params.token);
        if (paymentMethod === 'card') {
          if (!ctx.gateway)
            throw new AppError(
              'CARD_PAYMENTS_DISABLED',
              'Card payments are not set up; choose bank transfer and upload your receipt',
              null,
            );
          const payment = await startCardCheckout(ctx.db, ctx.gateway, q, session, settings());
          return { status: 201, body: { payment: presentPayment(payment, ctx.gateway.publishableKey) } };
        }
        const { booking, replayed } = await checkoutByLink(
          ctx.db,
          await link(req.params.token),
          session,
          settings(),
          date && slotName ? { date, slot: slotName } : undefined,
        );
        if (booking.receiptDueAt)
          await ctx.queue
            ?.send('expire-unpaid-bookings', {}, { startAfter: new Date(booking.receiptDueAt.getTime() + 1000) })
            .catch(() => null);
        const bankTransfer = bankTransferDetails(booking, ctx.config);
        return { status: replayed ? 200 : 201, body: { booking: customerBookingView.parse(presentBooking(booking)), bankTransfer } };
      }),
  );

  app.post(
    '/q/:token/receipt',
    {
      config: { access, rateLimit: uploadRateLimit(ctx) },
      schema: {
        tags,
        summary: 'Pay by bank transfer: upload the receipt (multipart: `sessionId` field, then `receipt`, an image or PDF)',
        description:
          'Books the held slot if not booked yet; the booking waits in pending_confirmation, its slot blocked, until staff approve. Accepts an Idempotency-Key header.',
        consumes: ['multipart/form-data'],
        params: token,
        response: { 201: z.object({ payment: paymentView, booking: customerBookingView }), ...errors, ...gone },
      },
    },
    async (req, reply) => {
      await quoteByToken(ctx.db, req.params.token, ctx.now(), ctx.config.publicBaseUrl, { allowInactive: true });
      const { file, fields } = await readReceipt(req, ctx.config.RECEIPT_MAX_BYTES, ctx.config.uploadDir);
      const session = sessionId.safeParse(fields.sessionId ?? '');
      if (!session.success)
        throw new AppError('VALIDATION_FAILED', 'sessionId: send the session that holds the slot, before the file', { field: 'sessionId' });
      return idempotent(ctx.db, req, reply, `receipt-q:${hashToken(req.params.token)}`, hashBody([session.data, file.sha256]), async () => {
        const l = await link(req.params.token);
        const { payment, booking } = await checkoutWithReceipt(
          ctx.db,
          l,
          session.data,
          await storeReceipt(file, ctx.config.uploadDir),
          settings(),
        );
        return { status: 201, body: { payment: presentPayment(payment), booking: customerBookingView.parse(presentBooking(booking)) } };
      });
    },
  );
}
