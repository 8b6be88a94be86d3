import { createReadStream } from 'node:fs';
import { z } from 'zod';
import { and, eq } from 'drizzle-orm';
import type { App, AppContext } from '../../http/context.js';
import { principalOf } from '../../http/auth.js';
import { notFound } from '../../shared/errors.js';
import { readOneFile } from '../../shared/checked-upload.js';
import { errors, uuidParam } from '../../shared/schemas.js';
import { CONTRACTOR } from '../auth/index.js';
import { localToday } from '../availability/index.js';
import { BOOKING_STATUSES } from '../bookings/schema.js';
import { addJobPhoto, storeJobPhoto } from './job-report.js';
import { completeBooking } from '../../flows/complete-booking.js';
import { myJobs, ratingSummary } from './my-jobs.js';
import { bookingPhotos } from './schema.js';

const myJob = z.object({
  bookingId: z.uuid(),
  status: z.enum(BOOKING_STATUSES),
  date: z.string(),
  slot: z.enum(['am', 'pm']),
  startsAt: z.date(),
  endsAt: z.date(),
  isToday: z.boolean(),
  source: z.string(),
  statusReason: z.string().nullable(),
  customerRating: z.number().int().nullable(),
  completedAt: z.date().nullable(),
  job: z.object({ area: z.string(), address: z.string().nullable(), description: z.string().nullable(), tasks: z.array(z.string()) }),
  customer: z.object({ name: z.string(), phone: z.string().nullable(), email: z.string().nullable() }).nullable(),
  allowedTransitions: z.array(z.enum(BOOKING_STATUSES)),
  notes: z.string().nullable(),
  photos: z.array(z.object({ id: z.uuid(), mime: z.string(), createdAt: z.date() })),
});
const photoParams = z.object({ id: z.uuid(), photoId: z.uuid() });

/** The contractor app's day: my jobs with what the job needs, history with ratings, notes and photos. */
export function contractorJobRoutes(app: App, ctx: AppContext) {
  const tags = ['contractor app'];
  const me = (req: Parameters<typeof principalOf>[0]) => principalOf(req).contractorId!;
  const today = () => localToday(ctx.now(), ctx.config.BUSINESS_TIME_ZONE);
  const one = async (contractorId: string, bookingId: string) => {
    const [job] = await myJobs(ctx.db, contractorId, 'upcoming', today(), bookingId);
    if (!job) throw notFound('Booking', { id: bookingId });
    return job;
  };

  app.get(
    '/me/jobs',
    {
      config: { access: CONTRACTOR },
      schema: {
        tags,
        summary: 'My jobs from today on (active bookings, soonest first), with the job, and the customer once confirmed',
        description: 'The full address and the customer contact appear once a booking is confirmed; before that only the area.',
        response: { 200: z.object({ today: z.string(), jobs: z.array(myJob) }), ...errors },
      },
    },
    async (req) => ({ today: today(), jobs: await myJobs(ctx.db, me(req), 'upcoming', today()) }),
  );

  app.get(
    '/me/jobs/history',
    {
      config: { access: CONTRACTOR },
      schema: {
        tags,
        summary: 'My completed jobs, newest first, with the ratings customers gave',
        response: {
          200: z.object({
            summary: z.object({ completed: z.number().int(), rated: z.number().int(), averageRating: z.number().nullable() }),
            jobs: z.array(myJob),
          }),
          ...errors,
        },
      },
    },
    async (req) => ({ summary: await ratingSummary(ctx.db, me(req)), jobs: await myJobs(ctx.db, me(req), 'history', today()) }),
  );

  app.get(
    '/me/jobs/:id',
    {
      config: { access: CONTRACTOR },
      schema: { tags, summary: 'One of my jobs', params: uuidParam, response: { 200: z.object({ job: myJob }), ...errors } },
    },
    async (req) => ({ job: await one(me(req), req.params.id) }),
  );

  app.post(
    '/me/jobs/:id/complete',
    {
      config: { access: CONTRACTOR },
      schema: {
        tags,
        summary: 'Complete a started job, with notes for the office and the customer',
        description: 'in_progress -> completed (409 INVALID_TRANSITION otherwise). Photos are uploaded separately, before or after.',
        params: uuidParam,
        body: z.object({ notes: z.string().trim().max(4000).optional() }).default({}),
        response: { 200: z.object({ job: myJob }), ...errors },
      },
    },
    async (req) => {
      await completeBooking(
        ctx.db,
        req.params.id,
        { actor: `contractor:${me(req)}`, contractorId: me(req), notes: req.body.notes || null },
        ctx.now(),
      );
      return { job: await one(me(req), req.params.id) };
    },
  );

  app.post(
    '/me/jobs/:id/photos',
    {
      config: { access: CONTRACTOR },
      schema: {
        tags,
        summary: 'Add a photo to one of my jobs (multipart, field "photo")',
        description: `JPEG, PNG, WebP or HEIC, checked by its bytes (415 otherwise), at most JOB_PHOTO_MAX_BYTES (413); up to 12 per job; confirmed, started or completed jobs only.`,
        params: uuidParam,
        consumes: ['multipart/form-data'],
        response: { 201: z.object({ photo: z.object({ id: z.uuid(), mime: z.string(), createdAt: z.date() }) }), ...errors },
      },
    },
    async (req, reply) => {
      const { bytes } = await readOneFile(req, ctx.config.JOB_PHOTO_MAX_BYTES, { code: 'PHOTO', noun: 'photo' });
      const stored = await storeJobPhoto(bytes, ctx.config.uploadDir);
      const row = await addJobPhoto(ctx.db, req.params.id, me(req), { ...stored, bytes: bytes.length }, ctx.now());
      return reply.status(201).send({ photo: { id: row.id, mime: row.mime, createdAt: row.createdAt } });
    },
  );

  app.get(
    '/me/jobs/:id/photos/:photoId',
    { config: { access: CONTRACTOR }, schema: { tags, summary: 'One of my job photos (the image)', params: photoParams } },
    async (req, reply) => {
      const { id, photoId } = req.params as z.infer<typeof photoParams>;
      const [p] = await ctx.db
        .select()
        .from(bookingPhotos)
        .where(and(eq(bookingPhotos.id, photoId), eq(bookingPhotos.bookingId, id), eq(bookingPhotos.contractorId, me(req))));
      if (!p) throw notFound('Photo', { id: photoId });
      return reply
        .headers({ 'content-type': p.mime, 'cache-control': 'private, no-store', 'x-content-type-options': 'nosniff' })
        .send(createReadStream(p.path));
    },
  );
}
