import { z } from 'zod';
import { desc, eq } from 'drizzle-orm';
import type { App, AppContext } from '../../http/context.js';
import { AppError } from '../../shared/errors.js';
import { errors } from '../../shared/schemas.js';
import { bookingRules, urgentExpectation, urgentSlot } from '../availability/index.js';
import type { CustomerLink } from '../customer/index.js';
import { rankForSlot } from '../matching/index.js';
import { contractors } from '../contractors/schema.js';
import { haversineMiles } from '../geo/index.js';
import { rankUrgent } from './rank-urgent.js';
import { urgentDispatches } from './schema.js';
import { joinWaitlist } from './waitlist.js';
import { requestContractor } from './request-contractor.js';

/** What a customer sees of a contractor: no surname, phone or email. */
const publicContractor = z.object({
  contractorId: z.uuid(),
  displayName: z.string(),
  matchScore: z.number().int(),
  distanceMiles: z.number(),
  rating: z.number().nullable(),
  ratedJobs: z.number().int(),
  skills: z.array(z.string()),
  reasons: z.array(z.string()),
});

/** Where a customer link's routes live and how its token resolves to the job. */
export type LinkMount = { prefix: string; params: z.ZodObject<{ token: z.ZodString }>; resolve: (token: string) => Promise<CustomerLink> };

/**
 * Urgent help, for either customer link: who is on shift and when to expect them; with nobody,
 * the three options: schedule, browse and request, or wait.
 */
export function customerUrgentRoutes(app: App, ctx: AppContext, mount: LinkMount) {
  const tags = ['customer'];
  const access = 'customer' as const;
  const tokenParam = mount.params;
  const job = async (token: string) => (await mount.resolve(token)).spec;

  /** Who accepted, how far away, and when they should arrive (15 minutes to set off, then 20 mph in town). */
  async function comingContractor(
    contractorId: string,
    spec: { latitude: number; longitude: number },
    slot: ReturnType<typeof urgentSlot>,
  ) {
    const [c] = await ctx.db
      .select({ name: contractors.name, latitude: contractors.latitude, longitude: contractors.longitude })
      .from(contractors)
      .where(eq(contractors.id, contractorId));
    if (!c) return null;
    const miles = c.latitude === null || c.longitude === null ? 0 : haversineMiles({ latitude: c.latitude, longitude: c.longitude }, spec);
    const [first, last] = c.name.split(' ');
    const displayName = `${first} ${last ? `${last[0]}.` : ''}`.trim();
    const etaMinutes = slot.startsNow ? Math.ceil(15 + miles * 3) : null;
    const message =
      etaMinutes !== null
        ? `${displayName} is ${miles.toFixed(1)} miles away and should be with you in about ${etaMinutes} minutes`
        : `${displayName} (${miles.toFixed(1)} miles away) is booked: ${urgentExpectation(slot, ctx.now(), ctx.config.BUSINESS_TIME_ZONE).replace(/^Expect the contractor/, 'expect them')}`;
    return { displayName, distanceMiles: Math.round(miles * 10) / 10, etaMinutes, message };
  }

  app.get(
    `${mount.prefix}/urgent`,
    {
      config: { access },
      schema: {
        tags,
        summary: 'Is anyone on shift for this job now? If not, your three options',
        params: tokenParam,
        response: {
          200: z.object({
            onShiftAvailable: z.boolean(),
            /** The slot urgent work is for now, and when to expect the contractor. */
            expected: z.object({
              date: z.string(),
              slot: z.enum(['am', 'pm']),
              startsAt: z.date(),
              endsAt: z.date(),
              startsNow: z.boolean(),
              message: z.string(),
            }),
            dispatch: z.object({ status: z.string(), bookingId: z.uuid().nullable() }).nullable(),
            /** searching: offers are out; accepted: a contractor is coming; nobody_on_shift: the options; available: nobody asked yet. */
            state: z.enum(['searching', 'accepted', 'nobody_on_shift', 'available']),
            contractor: z
              .object({ displayName: z.string(), distanceMiles: z.number(), etaMinutes: z.number().int().nullable(), message: z.string() })
              .nullable(),
            options: z.array(
              z.object({ key: z.enum(['schedule', 'browse_contractors', 'waitlist']), description: z.string(), path: z.string() }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const spec = await job(req.params.token);
      const { ranked, slot } = await rankUrgent(ctx.db, spec, bookingRules(ctx.config), ctx.now());
      const [d] = await ctx.db
        .select()
        .from(urgentDispatches)
        .where(eq(urgentDispatches.jobId, spec.jobId))
        .orderBy(desc(urgentDispatches.createdAt))
        .limit(1);
      const base = `/api${mount.prefix.replace(':token', req.params.token)}`;
      const offline = ranked.length === 0 || d?.status === 'unfilled';
      const searching = d?.status === 'targeted' || d?.status === 'broadcast';
      const coming = d?.status === 'assigned' && d.assignedContractorId ? await comingContractor(d.assignedContractorId, spec, slot) : null;
      return {
        state: coming
          ? ('accepted' as const)
          : searching
            ? ('searching' as const)
            : offline
              ? ('nobody_on_shift' as const)
              : ('available' as const),
        contractor: coming,
        onShiftAvailable: ranked.length > 0,
        expected: { ...slot, message: urgentExpectation(slot, ctx.now(), ctx.config.BUSINESS_TIME_ZONE) },
        dispatch: d ? { status: d.status, bookingId: d.bookingId } : null,
        options:
          offline && !searching && !coming
            ? [
                { key: 'schedule' as const, description: 'Book the next normal slot', path: `${base}/availability` },
                {
                  key: 'browse_contractors' as const,
                  description: 'Choose a contractor and ask them directly',
                  path: `${base}/contractors`,
                },
                { key: 'waitlist' as const, description: 'Tell me when someone comes on shift (24 hours)', path: `${base}/waitlist` },
              ]
            : [],
      };
    },
  );

  app.get(
    `${mount.prefix}/contractors`,
    {
      config: { access },
      schema: {
        tags,
        summary: 'Contractors who could do this job (no contact details), best first',
        params: tokenParam,
        response: { 200: z.object({ contractors: z.array(publicContractor) }), ...errors },
      },
    },
    async (req) => {
      const spec = await job(req.params.token);
      const slot = urgentSlot(ctx.now(), bookingRules(ctx.config));
      const ranked = await rankForSlot(
        ctx.db,
        spec,
        slot.date,
        slot.slot,
        { jobId: null, sessionId: null },
        bookingRules(ctx.config),
        ctx.now(),
        { ignoreSchedule: true },
      );
      return {
        contractors: ranked.slice(0, 20).map((c) => {
          const rated = c.reasons.find((r) => r.startsWith('Rated '));
          const m = rated?.match(/^Rated ([\d.]+) from (\d+)/);
          const [first, last] = c.name.split(' ');
          return {
            contractorId: c.contractorId,
            displayName: `${first} ${last ? `${last[0]}.` : ''}`.trim(),
            matchScore: c.matchScore,
            distanceMiles: Math.round(c.distanceMiles * 10) / 10,
            rating: m ? Number(m[1]) : null,
            ratedJobs: m ? Number(m[2]) : 0,
            skills: c.reasons.filter((r) => r.startsWith('Expert in') || r.startsWith('Capable in')),
            reasons: c.reasons.filter((r) => !r.includes('job slots')),
          };
        }),
      };
    },
  );

  app.post(
    `${mount.prefix}/contractor-requests`,
    {
      config: { access },
      schema: {
        tags,
        summary: 'Ask one contractor directly (an offer in their queue, open for the broadcast time)',
        params: tokenParam,
        body: z.object({ contractorId: z.uuid() }),
        response: { 201: z.object({ offerId: z.uuid(), expiresAt: z.date() }), ...errors },
      },
    },
    async (req, reply) => {
      const spec = await job(req.params.token);
      const rules = bookingRules(ctx.config);
      const now = ctx.now();
      const slot = urgentSlot(now, rules);
      const ranked = await rankForSlot(ctx.db, spec, slot.date, slot.slot, { jobId: null, sessionId: null }, rules, now, {
        ignoreSchedule: true,
      });
      const chosen = ranked.find((c) => c.contractorId === req.body.contractorId);
      if (!chosen)
        throw new AppError('CONTRACTOR_NOT_AVAILABLE', 'That contractor cannot take this job', { contractorId: req.body.contractorId });
      const offer = await requestContractor(ctx.db, spec.jobId, slot, chosen, ctx.config.BROADCAST_TTL_MINUTES, now);
      return reply.status(201).send({ offerId: offer.id, expiresAt: offer.expiresAt });
    },
  );

  app.post(
    `${mount.prefix}/waitlist`,
    {
      config: { access },
      schema: {
        tags,
        summary: 'Join the waitlist: we message you once when a contractor who could do it comes on shift (entry lasts 24 h)',
        params: tokenParam,
        body: z.discriminatedUnion('channel', [
          z.object({ channel: z.literal('email'), contact: z.email() }),
          z.object({
            channel: z.enum(['sms', 'whatsapp']),
            contact: z
              .string()
              .trim()
              .regex(/^\+?[0-9 ()-]{7,20}$/, 'expected a phone number'),
          }),
        ]),
        response: { 201: z.object({ id: z.uuid(), expiresAt: z.date() }), ...errors, 429: errors[404] },
      },
    },
    async (req, reply) => {
      const spec = await job(req.params.token);
      const entry = await joinWaitlist(ctx.db, spec.jobId, req.body.channel, req.body.contact, ctx.now(), {
        ttlHours: ctx.config.WAITLIST_TTL_HOURS,
        maxPerLink: ctx.config.LINK_MAX_WAITLIST,
      });
      return reply.status(201).send({ id: entry.id, expiresAt: entry.expiresAt });
    },
  );
}
