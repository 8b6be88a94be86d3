import { z } from 'zod';
import { and, eq, inArray } from 'drizzle-orm';
import type { App, AppContext } from '../../http/context.js';
import { errors, isoDate, slot } from '../../shared/schemas.js';
import { availabilityView, bookingRules, findAvailability } from '../availability/index.js';
import { jobSpecByCustomerToken, jobSpecView, presentSpec } from '../jobs/index.js';
import { ACTIVE_STATUSES } from './booking-status.js';
import { forgetJobLink, jobLink, jobLinkForHold } from '../customer/index.js';
import { checkoutByLink, holdByLink, releaseByLink } from '../../flows/book-by-link.js';
import { customerBookingView, presentBooking } from './presenters.js';
import { bookings, slotClaims } from './schema.js';
import { holdView, presentHold, sessionIdSchema } from './hold-view.js';
import { SpecChanged } from './hold-slot.js';
import { holdRateLimit } from '../../http/rate-limits.js';

const sessionId = sessionIdSchema;
const tokenParam = z.object({ token: z.string().min(20).max(100) });

export function customerRoutes(app: App, ctx: AppContext) {
  const tags = ['customer'];
  const access = 'customer' as const;

  const jobOf = (token: string) => jobSpecByCustomerToken(ctx.db, token);

  app.get(
    '/customer/jobs/:token',
    {
      config: { access },
      schema: {
        tags,
        summary: 'The job behind a customer link, with its live hold (for `sessionId`) and booking',
        params: tokenParam,
        querystring: z.object({ sessionId: sessionId.optional() }),
        response: { 200: z.object({ job: jobSpecView, hold: holdView.nullable(), booking: customerBookingView.nullable() }), ...errors },
      },
    },
    async (req) => {
      const spec = await jobOf(req.params.token);
      const [hold] = req.query.sessionId
        ? await ctx.db
            .select()
            .from(slotClaims)
            .where(and(eq(slotClaims.jobId, spec.jobId), eq(slotClaims.sessionId, req.query.sessionId), eq(slotClaims.kind, 'hold')))
        : [];
      const [booking] = await ctx.db
        .select()
        .from(bookings)
        .where(and(eq(bookings.jobId, spec.jobId), inArray(bookings.status, [...ACTIVE_STATUSES])));
      return {
        job: presentSpec(spec),
        hold: hold && hold.expiresAt! > ctx.now() ? presentHold(hold, ctx.now()) : null,
        booking: booking ? customerBookingView.parse(presentBooking(booking)) : null,
      };
    },
  );

  app.get(
    '/customer/jobs/:token/availability',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Bookable dates and slots for this job, with the number of contractors free in each',
        description: 'Pass your `sessionId` so a slot you hold yourself still shows as available to you.',
        params: tokenParam,
        querystring: z.object({ from: isoDate.optional(), to: isoDate.optional(), sessionId: sessionId.optional() }),
        response: { 200: availabilityView, ...errors },
      },
    },
    async (req) => {
      const spec = await jobOf(req.params.token);
      const viewer = { jobId: spec.jobId, sessionId: req.query.sessionId ?? null };
      return findAvailability(ctx.db, spec, req.query, viewer, bookingRules(ctx.config), ctx.now());
    },
  );

  app.post(
    '/customer/jobs/:token/holds',
    {
      config: { access, rateLimit: holdRateLimit(ctx) },
      schema: {
        tags,
        summary: 'Hold a date and slot for 5 minutes while paying',
        description:
          'Holds the best-scoring free contractor for the slot. Asking again with the same session returns the same hold (200); ' +
          'holding another slot releases the first. 409 SLOT_UNAVAILABLE when nobody is free.',
        params: tokenParam,
        body: z.object({ sessionId, date: isoDate, slot }),
        response: { 200: z.object({ hold: holdView }), 201: z.object({ hold: holdView }), ...errors, 429: errors[404] },
      },
    },
    async (req, reply) => {
      const settings = {
        rules: bookingRules(ctx.config),
        ttlSeconds: ctx.config.HOLD_TTL_SECONDS,
        now: ctx.now(),
        maxHoldsPerLink: ctx.config.LINK_MAX_HOLDS,
        rankingReuseMs: ctx.config.HOLD_RANKING_REUSE_MS,
      };
      const token = req.params.token;
      // A link kept in memory is checked inside the hold; when its job changed, read it afresh.
      const { claim, reused } = await holdByLink(ctx.db, await jobLinkForHold(ctx.db, token, ctx.now()), req.body, settings).catch(
        async (err: unknown) => {
          if (!(err instanceof SpecChanged)) throw err;
          forgetJobLink(token);
          return holdByLink(ctx.db, await jobLink(ctx.db, token, ctx.now()), req.body, settings);
        },
      );
      return reply.status(reused ? 200 : 201).send({ hold: presentHold(claim, ctx.now()) });
    },
  );

  app.delete(
    '/customer/jobs/:token/holds/:sessionId',
    {
      config: { access },
      schema: {
        tags,
        summary: "Release this session's hold",
        params: tokenParam.extend({ sessionId }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await releaseByLink(ctx.db, await jobLink(ctx.db, req.params.token, ctx.now()), req.params.sessionId, ctx.now());
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/customer/jobs/:token/checkout',
    {
      config: { access },
      schema: {
        tags,
        summary: "Turn this session's hold into a booking",
        description:
          'The booking starts pending_confirmation with payment pending. A retry returns the same booking (200). ' +
          'If the hold expired, the same slot is re-held with any eligible contractor, else 409 SLOT_UNAVAILABLE. ' +
          'Send the `date` and `slot` you held so this still works after an expired hold was swept away.',
        params: tokenParam,
        body: z
          .object({ sessionId, date: isoDate.optional(), slot: slot.optional() })
          .refine((b) => (b.date === undefined) === (b.slot === undefined), 'give both date and slot, or neither'),
        response: { 200: z.object({ booking: customerBookingView }), 201: z.object({ booking: customerBookingView }), ...errors },
      },
    },
    async (req, reply) => {
      const link = await jobLink(ctx.db, req.params.token, ctx.now());
      const settings = {
        rules: bookingRules(ctx.config),
        ttlSeconds: ctx.config.HOLD_TTL_SECONDS,
        now: ctx.now(),
        receiptHours: ctx.config.RECEIPT_UPLOAD_HOURS,
      };
      const { sessionId: session, date, slot: slotName } = req.body;
      const intended = date && slotName ? { date, slot: slotName } : undefined;
      const { booking, replayed } = await checkoutByLink(ctx.db, link, session, settings, intended);
      return reply.status(replayed ? 200 : 201).send({ booking: customerBookingView.parse(presentBooking(booking)) });
    },
  );
}
