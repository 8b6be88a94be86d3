import { z } from 'zod';
import type { App, AppContext } from '../../http/app.js';
import { errors, isoDate, slot } from '../../shared/schemas.js';
import { bookingRules } from '../availability/booking-rules.js';
import { findAvailability } from '../availability/find-availability.js';
import { availabilityView } from '../availability/routes.js';
import { customerBookingView, presentBooking } from '../bookings/presenters.js';
import { checkoutQuote, chooseSelection, holdForQuote, openQuote, quoteByToken, quoteSpec, releaseForQuote } from './customer-quote.js';
import { presentQuote, quoteView } from './presenters.js';

const token = z.object({ token: z.string().min(16).max(64) });
const sessionId = z.string().trim().min(8).max(128).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only');
const holdView = z.object({ holdId: z.uuid(), date: z.string(), slot, expiresAt: z.date(), ttlSeconds: z.number().int() });

/** The customer's quote page API: everything is authorised by the quote link's token. */
export function customerQuoteRoutes(app: App, ctx: AppContext) {
  const tags = ['customer'];
  const access = 'customer' as const;
  const settings = () => ({ rules: bookingRules(ctx.config), ttlSeconds: ctx.config.HOLD_TTL_SECONDS, now: ctx.now() });
  const resolve = (t: string) => quoteByToken(ctx.db, t, ctx.now(), ctx.config.publicBaseUrl);
  const gone = { 410: errors[404] };

  app.get(
    '/q/:token',
    {
      config: { access },
      schema: {
        tags, summary: 'Open a quote (records viewed_at; 410 with a pointer when superseded or expired)', params: token,
        response: { 200: z.object({ quote: quoteView }), ...errors, ...gone },
      },
    },
    async (req) => ({ quote: presentQuote(await openQuote(ctx.db, await resolve(req.params.token), ctx.now()), ctx.now(), ctx.config.publicBaseUrl) }),
  );

  app.put(
    '/q/:token/selection',
    {
      config: { access },
      schema: {
        tags, summary: 'Choose the hhh tier and/or optional items; the server recomputes total and deposit',
        description: 'Any total or price sent by the client is ignored.',
        params: token,
        body: z.object({ tier: z.enum(['handy_fix', 'hassle_free', 'high_standard']).nullable().default(null), optionalItemIds: z.array(z.string().max(40)).max(20).default([]) }),
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
        tags, summary: "Dates and am/pm slots for this quote's job, with contractors free per slot", params: token,
        querystring: z.object({ from: isoDate.optional(), to: isoDate.optional(), sessionId: sessionId.optional() }),
        response: { 200: availabilityView, ...errors, ...gone },
      },
    },
    async (req) => {
      const q = await resolve(req.params.token);
      const spec = await quoteSpec(ctx.db, q);
      return findAvailability(ctx.db, spec, req.query, { jobId: spec.jobId, sessionId: req.query.sessionId ?? null }, bookingRules(ctx.config), ctx.now());
    },
  );

  app.post(
    '/q/:token/holds',
    {
      config: { access },
      schema: {
        tags, summary: 'Hold a slot for 5 minutes (the best free contractor is held; same session again returns the same hold)',
        params: token, body: z.object({ sessionId, date: isoDate, slot }),
        response: { 200: z.object({ hold: holdView }), 201: z.object({ hold: holdView }), ...errors, ...gone },
      },
    },
    async (req, reply) => {
      const s = settings();
      const { claim, reused } = await holdForQuote(ctx.db, await resolve(req.params.token), req.body, s);
      const hold = { holdId: claim.id, date: claim.date, slot: claim.slot, expiresAt: claim.expiresAt!, ttlSeconds: Math.max(0, Math.round((claim.expiresAt!.getTime() - s.now.getTime()) / 1000)) };
      return reply.status(reused ? 200 : 201).send({ hold });
    },
  );

  app.delete(
    '/q/:token/holds/:sessionId',
    { config: { access }, schema: { tags, summary: 'Release this session’s hold', params: token.extend({ sessionId }), response: { 204: z.null(), ...errors, ...gone } } },
    async (req, reply) => {
      await releaseForQuote(ctx.db, await resolve(req.params.token), req.params.sessionId, ctx.now());
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/q/:token/checkout',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Book the held slot (accepted_at; lead -> booked -> assigned)',
        description: 'Payment is recorded as pending until the payments flow confirms it. A retry returns the same booking (200).',
        params: token,
        body: z.object({ sessionId, date: isoDate.optional(), slot: slot.optional() }).refine((b) => (b.date === undefined) === (b.slot === undefined), 'give both date and slot, or neither'),
        response: { 200: z.object({ booking: customerBookingView }), 201: z.object({ booking: customerBookingView }), ...errors, ...gone },
      },
    },
    async (req, reply) => {
      const { sessionId: session, date, slot: slotName } = req.body;
      const q = await resolve(req.params.token);
      const { booking, replayed } = await checkoutQuote(ctx.db, q, session, settings(), date && slotName ? { date, slot: slotName } : undefined);
      return reply.status(replayed ? 200 : 201).send({ booking: customerBookingView.parse(presentBooking(booking)) });
    },
  );
}
