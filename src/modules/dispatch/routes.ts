import { z } from 'zod';
import { and, asc, desc, eq, isNotNull, sql } from 'drizzle-orm';
import type { App, AppContext } from '../../http/context.js';
import { principalOf, sessionToken } from '../../http/auth.js';
import { notFound } from '../../shared/errors.js';
import { errors, uuidParam } from '../../shared/schemas.js';
import { CONTRACTOR, resolveSession, type Role, STAFF } from '../auth/index.js';
import { leads } from '../leads/schema.js';
import { cancelDispatch, declineOffer } from './respond-to-offer.js';
import { acceptUrgentOffer } from '../../flows/accept-urgent-offer.js';
import { endStream, OfferHub } from './offer-hub.js';
import { hashToken } from '../../shared/tokens.js';
import { offerForContractor, offerQueueWithExtras } from './offer-details.js';
import { dispatchStatus, offerRecipients, offers, urgentDispatches } from './schema.js';
import { startDispatch } from './start-dispatch.js';
import { presentDispatch } from './presenters.js';
import { redispatchBooking } from '../../flows/redispatch-booking.js';

const MANAGERS: readonly Role[] = ['admin', 'va'];

const offerView = z.object({
  id: z.uuid(),
  kind: z.string(),
  contractorId: z.uuid().nullable(),
  priority: z.string(),
  status: z.string(),
  matchScore: z.number().int().nullable(),
  reasons: z.array(z.string()),
  expiresAt: z.date(),
  respondedAt: z.date().nullable(),
  acceptedBy: z.uuid().nullable(),
});
export const dispatchView = z.object({
  id: z.uuid(),
  jobId: z.uuid(),
  leadId: z.uuid().nullable(),
  status: z.string(),
  date: z.string(),
  slot: z.string(),
  assignedContractorId: z.uuid().nullable(),
  bookingId: z.uuid().nullable(),
  flaggedAt: z.date().nullable(),
  createdAt: z.date(),
  offers: z.array(offerView),
  broadcastRecipients: z.number().int(),
  /** Broadcast recipients who said no (targeted declines are the offers' own status). */
  broadcastDeclines: z.array(z.object({ contractorId: z.uuid(), declinedAt: z.date(), reason: z.string().nullable() })),
});
const queued = z.object({
  offerId: z.uuid(),
  dispatchId: z.uuid(),
  kind: z.string(),
  priority: z.string(),
  matchScore: z.number().int().nullable(),
  reasons: z.array(z.string()),
  expiresAt: z.date(),
  secondsLeft: z.number().int(),
  createdAt: z.date(),
  job: z.object({
    postcode: z.string(),
    description: z.string().nullable(),
    tasks: z.array(z.string()),
    date: z.string(),
    slot: z.string(),
  }),
  distanceMiles: z.number().nullable(),
  quotedPence: z.number().int().nullable(),
});

export function dispatchRoutes(app: App, ctx: AppContext) {
  const tags = ['dispatch'];
  const deps = () => ({ config: ctx.config, now: ctx.now() });

  async function loadDispatch(id: string) {
    const [d] = await ctx.db.select().from(urgentDispatches).where(eq(urgentDispatches.id, id));
    if (!d) throw notFound('Dispatch', { id });
    const list = await ctx.db
      .select()
      .from(offers)
      .where(eq(offers.dispatchId, id))
      .orderBy(asc(offers.createdAt), sql`${offers.matchScore} desc nulls last`, asc(offers.id));
    const [r] = await ctx.db
      .select({ n: sql<number>`count(*)::int` })
      .from(offerRecipients)
      .innerJoin(offers, eq(offers.id, offerRecipients.offerId))
      .where(eq(offers.dispatchId, id));
    const declines = await ctx.db
      .select({ contractorId: offerRecipients.contractorId, declinedAt: offerRecipients.declinedAt, reason: offerRecipients.declineReason })
      .from(offerRecipients)
      .innerJoin(offers, eq(offers.id, offerRecipients.offerId))
      .where(and(eq(offers.dispatchId, id), isNotNull(offerRecipients.declinedAt)))
      .orderBy(asc(offerRecipients.declinedAt));
    return {
      ...presentDispatch(d),
      broadcastRecipients: r?.n ?? 0,
      broadcastDeclines: declines.map((x) => ({ contractorId: x.contractorId, declinedAt: x.declinedAt!, reason: x.reason })),
      offers: list.map((o) => ({
        id: o.id,
        kind: o.kind,
        contractorId: o.contractorId,
        priority: o.priority,
        status: o.status,
        matchScore: o.matchScore,
        reasons: o.reasons,
        expiresAt: o.expiresAt,
        respondedAt: o.respondedAt,
        acceptedBy: o.acceptedBy,
      })),
    };
  }
  const afterStart = async (offerList: { expiresAt: Date }[]) => {
    // A timed job per round expires offers on time; the minute sweep is the backstop.
    const first = offerList[0];
    if (first) await ctx.queue?.send('expire-offers', {}, { startAfter: new Date(first.expiresAt.getTime() + 1000) }).catch(() => null);
  };
  const startSchema = {
    tags,
    summary: 'Mark urgent: targeted offers to the top 3 on-shift reactive contractors (2 min), then one broadcast (15 min), then staff',
    description:
      'The broadcast reaches every eligible on-shift contractor, those who declined a targeted offer included. ' +
      '409 JOB_ALREADY_BOOKED when the job has an active booking (re-dispatch that booking with POST /api/bookings/{id}/dispatch); ' +
      '409 DISPATCH_IN_PROGRESS while one is live; 409 NO_REQUIREMENTS until the task requirements are set.',
    params: uuidParam,
    response: { 201: z.object({ dispatch: dispatchView, candidates: z.number().int() }), ...errors },
  };

  app.post('/jobs/:id/dispatch', { config: { access: MANAGERS }, schema: startSchema }, async (req, reply) => {
    const r = await startDispatch(ctx.db, { jobId: req.params.id, userId: principalOf(req).userId }, deps());
    await afterStart(r.offers);
    return reply.status(201).send({ dispatch: await loadDispatch(r.dispatch.id), candidates: r.candidates });
  });

  app.post('/leads/:id/dispatch', { config: { access: MANAGERS }, schema: startSchema }, async (req, reply) => {
    const [lead] = await ctx.db.select({ jobId: leads.jobId }).from(leads).where(eq(leads.id, req.params.id));
    if (!lead) throw notFound('Lead', { id: req.params.id });
    const r = await startDispatch(ctx.db, { jobId: lead.jobId, leadId: req.params.id, userId: principalOf(req).userId }, deps());
    await afterStart(r.offers);
    return reply.status(201).send({ dispatch: await loadDispatch(r.dispatch.id), candidates: r.candidates });
  });

  app.post(
    '/bookings/:id/dispatch',
    {
      config: { access: MANAGERS },
      schema: {
        ...startSchema,
        summary: 'Make a booked job urgent: the booking is cancelled (cause business, slot freed) and the job dispatched',
        description: 'For a booking whose contractor cannot make it. Not for a job already in progress.',
      },
    },
    async (req, reply) => {
      const r = await redispatchBooking(ctx.db, req.params.id, principalOf(req).userId, deps());
      await afterStart(r.offers);
      return reply.status(201).send({ dispatch: await loadDispatch(r.dispatch.id), candidates: r.candidates });
    },
  );

  app.get(
    '/dispatches',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'Urgent dispatches, newest first (status=unfilled lists the ones flagged for staff)',
        querystring: z.object({ status: z.enum(dispatchStatus.enumValues).optional() }),
        response: {
          200: z.object({ dispatches: z.array(dispatchView.omit({ offers: true, broadcastRecipients: true, broadcastDeclines: true })) }),
          ...errors,
        },
      },
    },
    async (req) => ({
      dispatches: (
        await ctx.db
          .select()
          .from(urgentDispatches)
          .where(req.query.status ? eq(urgentDispatches.status, req.query.status) : undefined)
          .orderBy(desc(urgentDispatches.createdAt))
          .limit(200)
      ).map(presentDispatch),
    }),
  );

  app.get(
    '/dispatches/:id',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'A dispatch with its offers',
        params: uuidParam,
        response: { 200: z.object({ dispatch: dispatchView }), ...errors },
      },
    },
    async (req) => ({
      dispatch: await loadDispatch(req.params.id),
    }),
  );

  app.post(
    '/dispatches/:id/cancel',
    {
      config: { access: MANAGERS },
      schema: {
        tags,
        summary: 'Withdraw every open offer and stop dispatching',
        params: uuidParam,
        response: { 200: z.object({ dispatch: dispatchView }), ...errors },
      },
    },
    async (req) => {
      await cancelDispatch(ctx.db, req.params.id, deps());
      return { dispatch: await loadDispatch(req.params.id) };
    },
  );

  // The contractor app.
  app.get(
    '/me/offers',
    {
      config: { access: CONTRACTOR },
      schema: {
        tags,
        summary: 'My queue: targeted offers and open broadcasts, high priority first, then newest',
        response: { 200: z.object({ offers: z.array(queued) }), ...errors },
      },
    },
    async (req) => ({ offers: await offerQueueWithExtras(ctx.db, principalOf(req).contractorId!, ctx.now()) }),
  );

  app.get(
    '/me/offers/:id',
    {
      config: { access: CONTRACTOR },
      schema: {
        tags,
        summary: 'One of my offers (the link in an offer message): open, or what became of it',
        description: 'outcome: open | accepted_by_you | taken | expired | withdrawn | declined. 404 when it was never sent to you.',
        params: uuidParam,
        response: {
          200: z.object({
            outcome: z.enum(['open', 'accepted_by_you', 'taken', 'expired', 'withdrawn', 'declined']),
            offer: queued.nullable(),
            bookingId: z.uuid().nullable(),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const r = await offerForContractor(ctx.db, req.params.id, principalOf(req).contractorId!, ctx.now());
      if (!r) throw notFound('Offer', { id: req.params.id });
      return { outcome: r.outcome, offer: r.offer, bookingId: r.bookingId ?? null };
    },
  );

  const hub = new OfferHub(
    ctx.databaseUrl,
    async (offerId, connected) => {
      const rows = await ctx.db.execute<{ contractor_id: string }>(
        sql`select contractor_id from offer_recipients where offer_id = ${offerId} and contractor_id in (select jsonb_array_elements_text(${JSON.stringify(connected)}::jsonb)::uuid)`,
      );
      return rows.rows.map((r) => r.contractor_id);
    },
    async (e, contractorId) => {
      if (e.type !== 'offer.new') return { offerId: e.offerId, type: e.type };
      const [offer] = await offerQueueWithExtras(ctx.db, contractorId, ctx.now(), e.offerId);
      return offer ?? { offerId: e.offerId, type: e.type };
    },
  );
  // Streams never finish by themselves: end them before the server waits for in-flight requests.
  app.addHook('preClose', async () => hub.close());

  app.get(
    '/me/offers/stream',
    {
      config: { access: CONTRACTOR },
      schema: {
        tags,
        summary:
          'Live queue (Server-Sent Events): offer.new, offer.withdrawn, offer.expired, offer.accepted, offer.declined (your own decline)',
        description: 'Events travel through Postgres LISTEN/NOTIFY, so they reach you whichever server process holds your connection.',
      },
    },
    async (req, reply) => {
      const principal = principalOf(req);
      const contractorId = principal.contractorId!;
      const token = sessionToken(req)!;
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(': connected\n\n');
      await hub.subscribe(
        contractorId,
        res,
        { userId: principal.userId, tokenHash: hashToken(token) },
        ctx.config.SSE_MAX_STREAMS_PER_USER,
      );
      res.write(`event: ready\ndata: ${JSON.stringify({ contractorId })}\n\n`);
      const beat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
      // Sign-out ends streams at once (NOTIFY); an expired or revoked sign-in is noticed here.
      // A database outage is not a sign-out: the stream stays and the next check decides.
      const check = setInterval(() => {
        resolveSession(ctx.db, token)
          .then((p) => p || endStream(res, 'session.ended'))
          .catch(() => {});
      }, ctx.config.SSE_SESSION_CHECK_SECONDS * 1000);
      res.on('close', () => {
        clearInterval(beat);
        clearInterval(check);
      });
    },
  );

  app.post(
    '/me/offers/:id/accept',
    {
      config: { access: CONTRACTOR },
      schema: {
        tags,
        summary: 'Accept an offer: the first accept wins, atomically; every other offer for the job is withdrawn',
        description: '409 when it has expired, been withdrawn or taken, or you are off shift; 403 when it is not yours.',
        params: uuidParam,
        response: { 200: z.object({ bookingId: z.uuid(), date: z.string(), slot: z.string() }), ...errors },
      },
    },
    async (req) => {
      const r = await acceptUrgentOffer(ctx.db, req.params.id, principalOf(req).contractorId!, deps());
      return { bookingId: r.booking.id, date: r.booking.date, slot: r.booking.slot };
    },
  );

  app.post(
    '/me/offers/:id/decline',
    {
      config: { access: CONTRACTOR },
      schema: {
        tags,
        summary: 'Decline an offer (optional reason)',
        params: uuidParam,
        body: z.object({ reason: z.string().trim().max(500).optional() }).default({}),
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await declineOffer(ctx.db, req.params.id, principalOf(req).contractorId!, req.body.reason ?? null, deps());
      return reply.status(204).send(null);
    },
  );
}
