import { z } from 'zod';
import { uploadRateLimit } from '../../http/rate-limits.js';
import { eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { App, AppContext } from '../../http/context.js';
import { principalOf } from '../../http/auth.js';
import { AppError, notFound } from '../../shared/errors.js';
import { assertSafeText } from '../../http/input-hygiene.js';
import { hashToken } from '../../shared/tokens.js';
import { errors, uuidParam } from '../../shared/schemas.js';
import { STAFF } from '../auth/index.js';
import { leads } from '../leads/schema.js';
import { detectSkus } from './detect-skus.js';
import { type IncomingVideo, receiveVideo } from './receive-video.js';
import { requestVideo } from './request-video.js';
import { loadSkuCatalog } from './sku-catalog.js';

const videoView = z.object({ id: z.uuid(), leadId: z.uuid(), status: z.string(), sizeBytes: z.number().int(), mimeType: z.string() });
const uploadDoc = {
  description:
    'multipart/form-data with a `video` file (mp4, mov, webm, mkv, avi, 3gp; checked by content, size-limited) and an optional `transcript` text field before it.',
  consumes: ['multipart/form-data'],
};

/** Reads the multipart parts: the optional transcript field, then the video file. */
async function videoPart(req: FastifyRequest, handle: (v: IncomingVideo) => Promise<unknown>) {
  if (!req.isMultipart()) throw new AppError('MULTIPART_REQUIRED', 'Upload the video as multipart/form-data', null);
  let transcript: string | null = null;
  for await (const part of req.parts()) {
    if (part.type === 'field') assertSafeText({ [part.fieldname]: part.value }, 'body');
    if (part.type === 'field' && part.fieldname === 'transcript') transcript = String(part.value).slice(0, 20_000) || null;
    if (part.type === 'file') return handle({ stream: part.file, transcript });
  }
  throw new AppError('VIDEO_MISSING', 'No video file in the upload', null);
}

export function intakeRoutes(app: App, ctx: AppContext) {
  const tags = ['intake'];
  const afterUpload = async (videoId: string) => {
    await ctx.queue?.send('score-video', { videoId }).catch(() => null); // the minute sweep retries
  };

  app.get(
    '/skus',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'The price list',
        response: {
          200: z.object({
            skus: z.array(
              z.object({
                code: z.string(),
                name: z.string(),
                category: z.string(),
                pricePence: z.number().int(),
                taskIds: z.array(z.string()),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async () => ({ skus: (await loadSkuCatalog(ctx.db)).map(({ keywords: _k, ...s }) => s) }),
  );

  app.post(
    '/skus/detect',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'SKU detection on any text (confidence 0-100)',
        body: z.object({ text: z.string().min(1).max(5000) }),
        response: {
          200: z.object({
            detections: z.array(
              z.object({ code: z.string(), confidence: z.number().int(), quantity: z.number().int(), matched: z.string() }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (req) => ({ detections: detectSkus(req.body.text, await loadSkuCatalog(ctx.db)) }),
  );

  app.post(
    '/leads/:id/request-video',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'Ask the customer for a video (upload link via the outbox; lead -> video_requested)',
        params: uuidParam,
        response: { 200: z.object({ uploadUrl: z.string() }), ...errors },
      },
    },
    async (req) => ({
      uploadUrl: (await requestVideo(ctx.db, req.params.id, `staff:${principalOf(req).userId}`, ctx.now(), ctx.config.publicBaseUrl))
        .uploadUrl,
    }),
  );

  app.post(
    '/leads/:id/video',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: "Upload the customer's video for them",
        ...uploadDoc,
        params: uuidParam,
        response: { 201: z.object({ video: videoView }), ...errors },
      },
    },
    async (req, reply) => {
      const video = (await videoPart(req, (v) =>
        receiveVideo(ctx.db, req.params.id, v, {
          uploadDir: ctx.config.uploadDir,
          uploadedBy: `staff:${principalOf(req).userId}`,
          now: ctx.now(),
        }),
      )) as Awaited<ReturnType<typeof receiveVideo>>;
      await afterUpload(video.id);
      return reply.status(201).send({ video });
    },
  );

  app.post(
    '/customer/videos/:token',
    {
      config: { access: 'customer', rateLimit: uploadRateLimit(ctx) },
      schema: {
        tags: ['customer'],
        summary: 'Upload your video (the link we sent you)',
        ...uploadDoc,
        params: z.object({ token: z.string().min(16).max(64) }),
        response: { 201: z.object({ video: videoView }), ...errors },
      },
    },
    async (req, reply) => {
      const [lead] = await ctx.db
        .select({ id: leads.id })
        .from(leads)
        .where(eq(leads.videoTokenHash, hashToken(req.params.token)));
      if (!lead) throw notFound('Video link');
      const video = (await videoPart(req, (v) =>
        receiveVideo(ctx.db, lead.id, v, { uploadDir: ctx.config.uploadDir, uploadedBy: 'customer', now: ctx.now() }),
      )) as Awaited<ReturnType<typeof receiveVideo>>;
      await afterUpload(video.id);
      return reply.status(201).send({ video });
    },
  );
}
