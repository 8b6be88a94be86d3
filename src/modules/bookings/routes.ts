import { z } from 'zod';
import { and, asc, desc, eq, gte, lte, type SQL } from 'drizzle-orm';
import type { App, AppContext } from '../../http/context.js';
import { principalOf } from '../../http/auth.js';
import { notFound } from '../../shared/errors.js';
import { errors, isoDate, slot, uuidParam } from '../../shared/schemas.js';
import { CONTRACTOR, type Role, STAFF } from '../auth/index.js';
import { bookingRules } from '../availability/index.js';
import { loadJobSpec } from '../jobs/index.js';
import { BOOKING_STATUSES } from './booking-status.js';
import { createStaffBooking } from './create-staff-booking.js';
import { bookingView, presentBooking, presentBookingEvent, presentMatch } from './presenters.js';
import { bookingEvents, bookings, jobMatchingHistory } from './schema.js';
import { rateBooking, type Transition } from './transition-booking.js';
import { hashBody, idempotent } from '../payments/index.js';
import { changeBookingStatus } from '../../flows/change-booking-status.js';

const MANAGERS: readonly Role[] = ['admin', 'va'];
const envelope = z.object({ booking: bookingView });
const listQuery = z.object({
  from: isoDate.optional(),
  to: isoDate.optional(),
  status: z.enum(BOOKING_STATUSES).optional(),
  contractorId: z.uuid().optional(),
  jobId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

function listWhere(q: z.infer<typeof listQuery>, contractorId?: string): SQL | undefined {
  return and(
    q.from ? gte(bookings.date, q.from) : undefined,
    q.to ? lte(bookings.date, q.to) : undefined,
    q.status ? eq(bookings.status, q.status) : undefined,
    (contractorId ?? q.contractorId) ? eq(bookings.contractorId, (contractorId ?? q.contractorId)!) : undefined,
    q.jobId ? eq(bookings.jobId, q.jobId) : undefined,
  );
}

export function bookingRoutes(app: App, ctx: AppContext) {
  const tags = ['bookings'];
  const applyTransition = (id: string, t: Transition) => changeBookingStatus(ctx.db, ctx.gateway ?? null, id, t, ctx.config, ctx.now());

  app.post(
    '/bookings',
    {
      config: { access: MANAGERS },
      schema: {
        tags,
        summary: 'Book a named contractor directly',
        description:
          'A slot conflict is a 409 SLOT_CONFLICT whose details name the booking or hold in the way. Accepts an Idempotency-Key header.',
        body: z.object({
          jobId: z.uuid(),
          contractorId: z.uuid(),
          date: isoDate,
          slot,
          status: z.enum(['pending_confirmation', 'confirmed']).default('confirmed'),
        }),
        response: { 201: envelope, ...errors },
      },
    },
    async (req, reply) =>
      idempotent(ctx.db, req, reply, `staff-booking:${principalOf(req).userId}`, hashBody([JSON.stringify(req.body)]), async () => {
        const spec = await loadJobSpec(ctx.db, req.body.jobId);
        const booking = await createStaffBooking(
          ctx.db,
          { ...req.body, spec: { ...spec, jobId: req.body.jobId }, userId: principalOf(req).userId },
          bookingRules(ctx.config),
          ctx.now(),
        );
        return { status: 201, body: { booking: presentBooking(booking) } };
      }),
  );

  app.get(
    '/bookings',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'Bookings for the calendar (by date range, status, contractor)',
        querystring: listQuery,
        response: { 200: z.object({ bookings: z.array(bookingView) }), ...errors },
      },
    },
    async (req) => {
      const rows = await ctx.db
        .select()
        .from(bookings)
        .where(listWhere(req.query))
        .orderBy(asc(bookings.startsAt), asc(bookings.id))
        .limit(req.query.limit)
        .offset(req.query.offset);
      return { bookings: rows.map(presentBooking) };
    },
  );

  app.get(
    '/bookings/:id',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'A booking with its status history and matching history',
        params: uuidParam,
        response: {
          200: envelope.extend({
            events: z.array(
              z.object({
                fromStatus: z.string().nullable(),
                toStatus: z.string(),
                actor: z.string(),
                reason: z.string().nullable(),
                at: z.date(),
              }),
            ),
            matching: z.array(
              z.object({
                contractorId: z.uuid(),
                matchScore: z.number().int(),
                wasSelected: z.boolean(),
                reasons: z.array(z.string()),
                jobCompleted: z.boolean().nullable(),
                customerRating: z.number().int().nullable(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const [b] = await ctx.db.select().from(bookings).where(eq(bookings.id, req.params.id));
      if (!b) throw notFound('Booking', { id: req.params.id });
      const [events, matching] = await Promise.all([
        ctx.db.select().from(bookingEvents).where(eq(bookingEvents.bookingId, b.id)).orderBy(asc(bookingEvents.at)),
        ctx.db
          .select()
          .from(jobMatchingHistory)
          .where(eq(jobMatchingHistory.bookingId, b.id))
          .orderBy(desc(jobMatchingHistory.wasSelected), desc(jobMatchingHistory.matchScore)),
      ]);
      return { booking: presentBooking(b), events: events.map(presentBookingEvent), matching: matching.map(presentMatch) };
    },
  );

  app.post(
    '/bookings/:id/transitions',
    {
      config: { access: MANAGERS },
      schema: {
        tags,
        summary: 'Change a booking status',
        description:
          'pending_confirmation -> confirmed | declined | cancelled; confirmed -> in_progress | cancelled; in_progress -> completed. ' +
          'cancelled and declined need a reason; cancelled needs a cause. Anything else is 409 INVALID_TRANSITION.',
        params: uuidParam,
        body: z.object({
          to: z.enum(BOOKING_STATUSES),
          reason: z.string().trim().max(1000).optional(),
          cause: z.enum(['customer', 'contractor', 'business', 'no_show']).optional(),
        }),
        response: { 200: envelope, ...errors },
      },
    },
    async (req) => {
      return { booking: presentBooking(await applyTransition(req.params.id, { ...req.body, actor: `staff:${principalOf(req).userId}` })) };
    },
  );

  app.post(
    '/bookings/:id/rating',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: "Record the customer's 1-5 rating of a completed job",
        params: uuidParam,
        body: z.object({ rating: z.number().int().min(1).max(5) }),
        response: { 200: z.object({ bookingId: z.uuid(), rating: z.number().int() }), ...errors },
      },
    },
    async (req) => rateBooking(ctx.db, req.params.id, req.body.rating),
  );

  // The contractor app: their own bookings.
  app.get(
    '/me/bookings',
    {
      config: { access: CONTRACTOR },
      schema: {
        tags,
        summary: 'My bookings',
        querystring: listQuery.omit({ contractorId: true }),
        response: { 200: z.object({ bookings: z.array(bookingView) }), ...errors },
      },
    },
    async (req) => {
      const me = principalOf(req).contractorId!;
      const rows = await ctx.db
        .select()
        .from(bookings)
        .where(listWhere(req.query, me))
        .orderBy(asc(bookings.startsAt))
        .limit(req.query.limit)
        .offset(req.query.offset);
      return { bookings: rows.map(presentBooking) };
    },
  );

  app.post(
    '/me/bookings/:id/transitions',
    {
      config: { access: CONTRACTOR },
      schema: {
        tags,
        summary: 'Confirm, decline, start, complete or cancel one of my bookings',
        description: 'A contractor cancelling counts against their reliability score.',
        params: uuidParam,
        body: z.object({
          to: z.enum(['confirmed', 'declined', 'in_progress', 'completed', 'cancelled']),
          reason: z.string().trim().max(1000).optional(),
        }),
        response: { 200: envelope, ...errors },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const t = {
        ...req.body,
        cause: req.body.to === 'cancelled' ? ('contractor' as const) : null,
        actor: `contractor:${p.contractorId}`,
        contractorId: p.contractorId!,
      };
      return { booking: presentBooking(await applyTransition(req.params.id, t)) };
    },
  );
}
