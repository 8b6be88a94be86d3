import { z } from 'zod';
import { and, eq } from 'drizzle-orm';
import type { App, AppContext } from '../../http/context.js';
import { AppError } from '../../shared/errors.js';
import { errors } from '../../shared/schemas.js';
import { bookingRules } from '../availability/index.js';
import { customerBookingView, presentBooking, rateBooking, rescheduleBooking, sessionIdSchema } from '../bookings/index.js';
import { bookings } from '../bookings/schema.js';
import { customerUrgentRoutes, type LinkMount } from '../dispatch/customer-routes.js';

import { cancelBooking } from '../../flows/cancel-booking.js';
import { customerBookingStatus, customerBookingStatusView } from './booking-status.js';
import { changeableBooking, jobLink, quoteLink } from './link.js';

/** Both customer links: the quote link and, where there is no quote, the job link. */
export function linkMounts(ctx: AppContext): LinkMount[] {
  return [
    {
      prefix: '/q/:token',
      params: z.object({ token: z.string().min(16).max(64) }),
      resolve: (t) => quoteLink(ctx.db, t, ctx.now(), ctx.config.publicBaseUrl, { allowInactive: true }),
    },
    {
      prefix: '/customer/jobs/:token',
      params: z.object({ token: z.string().min(20).max(100) }),
      resolve: (t) => jobLink(ctx.db, t, ctx.now()),
    },
  ];
}

/**
 * What a customer can do with a booking, the same under either link: see it (with the bank
 * transfer deadline and the refund cancelling now would give), cancel it, move it, rate it; and
 * the urgent options. Each handler resolves the link, then calls the one use case.
 */
export function customerLinkRoutes(app: App, ctx: AppContext) {
  const tags = ['customer'];
  const access = 'customer' as const;
  for (const mount of linkMounts(ctx)) {
    const params = mount.params;

    app.get(
      `${mount.prefix}/booking`,
      {
        config: { access },
        schema: {
          tags,
          summary:
            'The booking: status, bank-transfer details and deadline, the refund cancelling now would give, whether it can be moved or rated',
          params,
          response: { 200: customerBookingStatusView, ...errors },
        },
      },
      async (req) => customerBookingStatus(ctx.db, (await mount.resolve(req.params.token)).jobId, ctx.config, ctx.now()),
    );

    app.post(
      `${mount.prefix}/cancel`,
      {
        config: { access },
        schema: {
          tags,
          summary: 'Cancel the booking (deposit back in full when REFUND_FULL_HOURS_BEFORE hours or more before the slot, none after)',
          description: 'GET .../booking first shows `cancellation.refundPence`, the amount this would refund now.',
          params,
          body: z
            .object({ reason: z.string().trim().max(500).default('Cancelled by the customer') })
            .default({ reason: 'Cancelled by the customer' }),
          response: { 200: z.object({ booking: customerBookingView, refundPence: z.number().int() }), ...errors },
        },
      },
      async (req) => {
        const b = await changeableBooking(ctx.db, await mount.resolve(req.params.token));
        const r = await cancelBooking(
          ctx.db,
          ctx.gateway ?? null,
          b.id,
          { to: 'cancelled', cause: 'customer', reason: req.body.reason || 'Cancelled by the customer', actor: 'customer' },
          ctx.config,
          ctx.now(),
        );
        return { booking: customerBookingView.parse(presentBooking(r.booking)), refundPence: r.refundPence };
      },
    );

    app.post(
      `${mount.prefix}/reschedule`,
      {
        config: { access },
        schema: {
          tags,
          summary: 'Move the booking to the slot this session holds (hold it first); the old slot is released in the same transaction',
          params,
          body: z.object({ sessionId: sessionIdSchema }),
          response: { 200: z.object({ booking: customerBookingView }), ...errors },
        },
      },
      async (req) => {
        const b = await changeableBooking(ctx.db, await mount.resolve(req.params.token));
        const moved = await rescheduleBooking(ctx.db, b.id, req.body.sessionId, {
          rules: bookingRules(ctx.config),
          now: ctx.now(),
          actor: 'customer',
        });
        return { booking: customerBookingView.parse(presentBooking(moved)) };
      },
    );

    app.post(
      `${mount.prefix}/rating`,
      {
        config: { access },
        schema: {
          tags,
          summary: 'Rate the finished job 1-5, with a short review if you like',
          params,
          body: z.object({ rating: z.number().int().min(1).max(5), review: z.string().trim().max(500).optional() }),
          response: { 200: z.object({ bookingId: z.uuid(), rating: z.number().int(), review: z.string().nullable() }), ...errors },
        },
      },
      async (req) => {
        const link = await mount.resolve(req.params.token);
        const [b] = await ctx.db
          .select({ id: bookings.id })
          .from(bookings)
          .where(and(eq(bookings.jobId, link.jobId), eq(bookings.status, 'completed')));
        if (!b) throw new AppError('NOT_COMPLETED', 'There is no finished job to rate yet', null);
        return rateBooking(ctx.db, b.id, req.body.rating, req.body.review ?? null);
      },
    );

    customerUrgentRoutes(app, ctx, mount);
  }
}
