import { createReadStream } from 'node:fs';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { App, AppContext } from '../../http/context.js';
import { principalOf } from '../../http/auth.js';
import { AppError, notFound } from '../../shared/errors.js';
import { clockTime, errors, isoDate, postcode, slot, uuidParam } from '../../shared/schemas.js';
import { CONTRACTOR, type Role, STAFF, STAFF_ROLES } from '../auth/index.js';
import { hashBody, idempotent, readReceipt } from '../payments/index.js';
import { sharedAnnouncer } from './announcer.js';
import { getCrewJob, listCrewJobs, listPlaces, myPlaces, openJobsFor, placesOfJob } from './crew-queries.js';
import { JOB_STATUSES, PLACE_STATUSES } from './crew-states.js';
import { startLink } from './crew-text.js';
import { crewJobView, crewPlaceView, presentJob, presentPlace } from './presenters.js';
import { crewPlaces } from './schema.js';
import { createLinkCode } from './telegram-link.js';
import { crewComposer } from './telegram.js';
import * as crew from './crew-actions.js';

const MANAGERS: readonly Role[] = ['admin', 'va'];
const EVERYONE: readonly Role[] = [...STAFF_ROLES, 'contractor'];

const newCrewJob = z.object({
  title: z.string().trim().min(3).max(120),
  description: z.string().trim().max(2000).nullish(),
  postcode,
  date: isoDate,
  slot: slot.nullish(),
  startTime: clockTime.nullish(),
  endTime: clockTime.nullish(),
  placeFeePence: z.number().int().min(0).max(1_000_000),
  requiredWorkers: z.number().int().min(1).max(100),
  taskIds: z.array(z.string().min(1).max(100)).max(20).default([]),
  /** Open it and post it to the channel straight away. */
  post: z.boolean().default(false),
});

const jobOut = z.object({ job: crewJobView });
const placeOut = z.object({ place: crewPlaceView });
const reason = z.object({ reason: z.string().trim().min(1).max(500) });

function idempotencyKey(raw: string | string[] | undefined): string | null {
  if (raw === undefined) return null;
  const key = Array.isArray(raw) ? raw[0]! : raw;
  if (!/^[\x21-\x7e]{1,255}$/.test(key))
    throw new AppError('INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1-255 visible ASCII characters');
  return key;
}

export function crewRoutes(app: App, ctx: AppContext) {
  const tags = ['crew jobs'];
  const deps: crew.CrewDeps = {
    db: ctx.db,
    config: ctx.config,
    now: ctx.now,
    queue: ctx.queue,
    log: app.log,
    announcer: sharedAnnouncer(ctx.db, ctx.config, app.log),
  };
  const jobBody = async (id: string) => {
    const { job, taskIds } = await getCrewJob(ctx.db, id);
    return { job: presentJob(job, taskIds) };
  };

  app.post(
    '/crew-jobs',
    {
      config: { access: MANAGERS },
      schema: {
        tags,
        summary: 'Create a crew job (draft; `post: true` opens it and posts it to the Telegram channel)',
        description: 'Give `slot` (am/pm) or `startTime` and `endTime` (local). `taskIds`: skills every contractor on the crew must have.',
        body: newCrewJob,
        response: { 201: jobOut, ...errors },
      },
    },
    async (req, reply) => {
      const { post, ...input } = req.body;
      const job = await crew.createJob(deps, input, principalOf(req).userId);
      if (post) await crew.moveJob(deps, job.id, 'post');
      return reply.status(201).send(await jobBody(job.id));
    },
  );

  app.get(
    '/crew-jobs',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'Crew jobs by start time',
        querystring: z.object({ status: z.enum(JOB_STATUSES).optional() }),
        response: { 200: z.object({ jobs: z.array(crewJobView) }), ...errors },
      },
    },
    async (req) => ({ jobs: (await listCrewJobs(ctx.db, req.query.status)).map((r) => presentJob(r.job, r.taskIds)) }),
  );

  app.get(
    '/crew-jobs/:id',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'A crew job with every place on it',
        params: uuidParam,
        response: { 200: jobOut.extend({ places: z.array(crewPlaceView.extend({ contractorName: z.string() })) }), ...errors },
      },
    },
    async (req) => ({
      ...(await jobBody(req.params.id)),
      places: (await placesOfJob(ctx.db, req.params.id)).map((r) => ({ ...presentPlace(r.place), contractorName: r.contractorName })),
    }),
  );

  const jobMove = (action: 'post' | 'start' | 'complete', summary: string) =>
    app.post(
      `/crew-jobs/:id/${action}`,
      { config: { access: MANAGERS }, schema: { tags, summary, params: uuidParam, response: { 200: jobOut, ...errors } } },
      async (req) => {
        await crew.moveJob(deps, req.params.id, action);
        return jobBody(req.params.id);
      },
    );
  jobMove('post', 'Open a crew job and post it to the Telegram channel (again: refresh the post)');
  jobMove('start', 'The crew has started work: no more reservations');
  jobMove('complete', 'The crew job is done');

  app.post(
    '/crew-jobs/:id/cancel',
    {
      config: { access: MANAGERS },
      schema: {
        tags,
        summary: 'Cancel a crew job: every live place is released and its contractor told',
        params: uuidParam,
        body: reason,
        response: { 200: jobOut.extend({ releasedPlaceIds: z.array(z.uuid()) }), ...errors },
      },
    },
    async (req) => {
      const r = await crew.moveJob(deps, req.params.id, 'cancel', req.body.reason);
      return { ...(await jobBody(req.params.id)), releasedPlaceIds: r.released };
    },
  );

  app.get(
    '/crew-places',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'Crew places, latest change first (status=receipt_submitted: receipts to check)',
        querystring: z.object({ status: z.enum(PLACE_STATUSES).optional() }),
        response: { 200: z.object({ places: z.array(crewPlaceView) }), ...errors },
      },
    },
    async (req) => ({ places: (await listPlaces(ctx.db, req.query.status)).map(presentPlace) }),
  );

  app.get(
    '/crew-places/:id/receipt',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'The receipt file of a place (image or PDF)',
        params: uuidParam,
        response: { 200: z.any().describe('the file'), ...errors },
      },
    },
    async (req, reply) => {
      const [p] = await ctx.db
        .select({ path: crewPlaces.receiptPath, mime: crewPlaces.receiptMime })
        .from(crewPlaces)
        .where(eq(crewPlaces.id, req.params.id));
      if (!p?.path) throw notFound('Receipt', { placeId: req.params.id });
      return reply.type(p.mime ?? 'application/octet-stream').send(createReadStream(p.path));
    },
  );

  app.post(
    '/crew-places/:id/approve',
    {
      config: { access: MANAGERS },
      schema: {
        tags,
        summary: 'Approve a place: confirmed (one moves from reserved_count to confirmed_count)',
        params: uuidParam,
        response: { 200: placeOut, ...errors },
      },
    },
    async (req) => ({ place: presentPlace((await crew.approve(deps, req.params.id, principalOf(req).userId)).place) }),
  );

  app.post(
    '/crew-places/:id/reject',
    {
      config: { access: MANAGERS },
      schema: {
        tags,
        summary: 'Reject a place with a reason: the place is released',
        params: uuidParam,
        body: reason,
        response: { 200: placeOut, ...errors },
      },
    },
    async (req) => ({ place: presentPlace((await crew.reject(deps, req.params.id, principalOf(req).userId, req.body.reason)).place) }),
  );

  // The contractor's side.
  const me = (req: Parameters<typeof principalOf>[0]) => principalOf(req).contractorId!;

  app.get(
    '/me/crew-jobs',
    {
      config: { access: CONTRACTOR },
      schema: {
        tags,
        summary: 'Crew jobs taking reservations, with whether I qualify and my place',
        response: {
          200: z.object({
            jobs: z.array(
              crewJobView.extend({ qualified: z.boolean(), myPlace: z.object({ id: z.uuid(), status: z.string() }).nullable() }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (req) => ({
      jobs: (await openJobsFor(ctx.db, me(req), ctx.now())).map((r) => ({
        ...presentJob(r.job, r.taskIds),
        qualified: r.qualified,
        myPlace: r.myPlace && { id: r.myPlace.id, status: r.myPlace.status },
      })),
    }),
  );

  app.post(
    '/me/crew-jobs/:id/reserve',
    {
      config: { access: CONTRACTOR },
      schema: {
        tags,
        summary: 'Reserve a place (pay the fee and upload the receipt within CREW_RESERVATION_TTL_MINUTES)',
        description:
          'Accepts an Idempotency-Key header: a retry with the same key returns the same place (200, `idempotent-replayed: true`). 409 CREW_FULL when every place is taken, ALREADY_RESERVED, NOT_QUALIFIED, CREW_JOB_NOT_OPEN.',
        params: uuidParam,
        response: { 200: placeOut, 201: placeOut, ...errors },
      },
    },
    async (req, reply) => {
      const r = await crew.reserve(deps, {
        crewJobId: req.params.id,
        contractorId: me(req),
        idempotencyKey: idempotencyKey(req.headers['idempotency-key']),
      });
      if (r.replayed) void reply.header('idempotent-replayed', 'true');
      return reply.status(r.replayed ? 200 : 201).send({ place: presentPlace(r.place) });
    },
  );

  app.get(
    '/me/crew-places',
    {
      config: { access: CONTRACTOR },
      schema: {
        tags,
        summary: 'My crew places, newest first',
        response: { 200: z.object({ places: z.array(crewPlaceView.extend({ title: z.string() })) }), ...errors },
      },
    },
    async (req) => ({ places: (await myPlaces(ctx.db, me(req))).map((r) => ({ ...presentPlace(r.place), title: r.title })) }),
  );

  app.post(
    '/me/crew-places/:id/receipt',
    {
      config: { access: CONTRACTOR },
      schema: {
        tags,
        summary: 'Upload the receipt for the place fee (multipart `receipt`: image or PDF, checked by content)',
        description: 'Accepts an Idempotency-Key header. 415 NOT_A_RECEIPT, 413 RECEIPT_TOO_LARGE.',
        consumes: ['multipart/form-data'],
        params: uuidParam,
        response: { 201: placeOut, ...errors },
      },
    },
    async (req, reply) => {
      const { file } = await readReceipt(req, ctx.config.RECEIPT_MAX_BYTES, ctx.config.uploadDir);
      const contractorId = me(req);
      return idempotent(ctx.db, req, reply, `crew-receipt:${req.params.id}:${contractorId}`, hashBody([file.sha256]), async () => ({
        status: 201,
        body: { place: presentPlace((await crew.submitReceipt(deps, req.params.id, contractorId, file)).place) },
      }));
    },
  );

  app.post(
    '/me/crew-places/:id/cancel',
    {
      config: { access: CONTRACTOR },
      schema: { tags, summary: 'Give my place back (before it is confirmed)', params: uuidParam, response: { 200: placeOut, ...errors } },
    },
    async (req) => ({ place: presentPlace((await crew.cancel(deps, req.params.id, me(req))).place) }),
  );

  app.post(
    '/telegram/link-code',
    {
      config: { access: EVERYONE },
      schema: {
        tags: ['telegram'],
        summary: 'A one-time code that links my Telegram chat with the bot to my account',
        description: 'Send `/link CODE` to the bot, or open `deepLink`. The code works once, for TELEGRAM_LINK_CODE_TTL_MINUTES.',
        response: { 201: z.object({ code: z.string(), expiresAt: z.date(), deepLink: z.string().nullable() }), ...errors },
      },
    },
    async (req, reply) => {
      const { code, expiresAt } = await createLinkCode(
        ctx.db,
        principalOf(req).userId,
        ctx.config.TELEGRAM_LINK_CODE_TTL_MINUTES,
        ctx.now(),
      );
      const username = await deps.announcer?.botUsername().catch(() => null);
      return reply.status(201).send({ code, expiresAt, deepLink: username ? startLink(username, `link_${code}`) : null });
    },
  );

  // The bot itself (webhook, secret check, update dedupe) is the channels module's; crew adds its handlers.
  ctx.telegramComposers?.push(crewComposer(deps));
}
