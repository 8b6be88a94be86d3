import { z } from 'zod';
import { requestVideo } from '../intake/index.js';
import { and, desc, eq, gte, lte } from 'drizzle-orm';
import type { App, AppContext } from '../../http/context.js';
import { principalOf } from '../../http/auth.js';
import { errors, uuidParam } from '../../shared/schemas.js';
import { STAFF } from '../auth/index.js';
import { requirementInput } from '../jobs/index.js';
import { quoteUrl, quoteView } from '../quotes/index.js';
import { createLead } from './create-lead.js';
import { leadInput, staffLeadInput } from './inputs.js';
import { LEAD_STATES, type LeadState } from './lead-states.js';
import { loadLeadView } from './lead-view.js';
import { moveLeadByHand } from './move-lead.js';
import { setLeadRequirements, verifyLeadRequirements } from './lead-requirements.js';
import { enquiryThrottle } from './enquiry-throttle.js';
import { leads, leadSource } from './schema.js';

const loose = z.looseObject({});
export const leadViewSchema = z.object({
  lead: z.looseObject({ id: z.uuid(), state: z.enum(LEAD_STATES), customerType: z.string(), postcode: z.string() }),
  history: z.array(
    z.object({ from: z.string().nullable(), to: z.string(), actor: z.string(), reason: z.string().nullable(), at: z.date() }),
  ),
  requirements: z.array(loose),
  detections: z.array(
    z.object({ skuCode: z.string(), confidence: z.number().int(), quantity: z.number().int(), source: z.string(), matched: z.string() }),
  ),
  quotes: z.array(quoteView),
  videos: z.array(loose),
  videoScores: z.array(loose),
  estimator: z.array(loose),
});
const created = z.object({
  lead: z.object({ id: z.uuid(), state: z.enum(LEAD_STATES) }),
  detections: z.array(z.object({ code: z.string(), confidence: z.number().int(), quantity: z.number().int(), matched: z.string() })),
  quote: z.object({ id: z.uuid(), url: z.string(), totalPence: z.number().int(), expiresAt: z.date() }).nullable(),
  /** The customer's job link (booking status, urgent options, waitlist, rating); shown once. */
  jobLink: z.object({ url: z.string() }),
  /** Web form with `withVideo` and no instant quote: where to upload the video. */
  videoLink: z.object({ url: z.string() }).nullable().optional(),
});

export function leadRoutes(app: App, ctx: AppContext) {
  const tags = ['leads'];
  const throttleEnquiry = enquiryThrottle(ctx);
  const view = (id: string) => loadLeadView(ctx.db, id, ctx.now(), ctx.config.publicBaseUrl);
  const moveAndView = async (id: string, to: LeadState, reason: string, userId: string) => {
    await moveLeadByHand(ctx.db, id, { to, actor: `staff:${userId}`, reason, now: ctx.now() });
    return view(id);
  };

  async function respondCreated(result: Awaited<ReturnType<typeof createLead>>) {
    const [lead] = await ctx.db.select({ id: leads.id, state: leads.state }).from(leads).where(eq(leads.id, result.leadId));
    const q = result.quote;
    return {
      lead: lead!,
      detections: result.detections.map(({ code, confidence, quantity, matched }) => ({ code, confidence, quantity, matched })),
      quote: q ? { id: q.id, url: quoteUrl(ctx.config.publicBaseUrl, q.id), totalPence: q.totalPence, expiresAt: q.expiresAt } : null,
      jobLink: { url: result.customerUrl },
    };
  }

  app.post(
    '/leads/web',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Web enquiry form',
        description:
          'Rate-limited per client IP (WEB_LEAD_RATE_LIMIT a minute) and per contact (WEB_LEAD_PER_CONTACT_PER_DAY). A confident SKU detection answers with an instant quote link.',
        body: leadInput.and(z.object({ withVideo: z.boolean().default(false) })),
        response: { 201: created, ...errors },
      },
    },
    async (req, reply) => {
      const { withVideo, ...input } = req.body;
      await throttleEnquiry(req.ip, input);
      const result = await createLead(ctx.db, input, 'web', 'customer', ctx.config, ctx.now());
      // A video helps us quote what the price list could not: the form uploads it straight away.
      const video =
        withVideo && !result.quote ? await requestVideo(ctx.db, result.leadId, 'customer', ctx.now(), ctx.config.publicBaseUrl) : null;
      return reply.status(201).send({ ...(await respondCreated(result)), videoLink: video ? { url: video.uploadUrl } : null });
    },
  );

  app.post(
    '/leads',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'Record an enquiry (call, WhatsApp, Telegram, web, manual)',
        body: staffLeadInput,
        response: { 201: created, ...errors },
      },
    },
    async (req, reply) => {
      const { source, ...input } = req.body;
      const result = await createLead(ctx.db, input, source, `staff:${principalOf(req).userId}`, ctx.config, ctx.now());
      return reply.status(201).send(await respondCreated(result));
    },
  );

  app.get(
    '/leads',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'Leads, newest first',
        querystring: z.object({
          state: z.enum(LEAD_STATES).optional(),
          source: z.enum(leadSource.enumValues).optional(),
          /** Age filters, in hours since the enquiry arrived. */
          minAgeHours: z.coerce.number().min(0).max(100_000).optional(),
          maxAgeHours: z.coerce.number().min(0).max(100_000).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: {
          200: z.object({
            leads: z.array(
              z.object({
                id: z.uuid(),
                jobId: z.uuid(),
                state: z.enum(LEAD_STATES),
                source: z.string(),
                customerName: z.string(),
                postcode: z.string(),
                customerType: z.string(),
                createdAt: z.date(),
                stateChangedAt: z.date(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const rows = await ctx.db
        .select({
          id: leads.id,
          jobId: leads.jobId,
          state: leads.state,
          source: leads.source,
          customerName: leads.customerName,
          postcode: leads.postcode,
          customerType: leads.customerType,
          createdAt: leads.createdAt,
          stateChangedAt: leads.stateChangedAt,
        })
        .from(leads)
        .where(
          and(
            req.query.state ? eq(leads.state, req.query.state) : undefined,
            req.query.source ? eq(leads.source, req.query.source) : undefined,
            req.query.minAgeHours !== undefined
              ? lte(leads.createdAt, new Date(ctx.now().getTime() - req.query.minAgeHours * 3_600_000))
              : undefined,
            req.query.maxAgeHours !== undefined
              ? gte(leads.createdAt, new Date(ctx.now().getTime() - req.query.maxAgeHours * 3_600_000))
              : undefined,
          ),
        )
        .orderBy(desc(leads.createdAt))
        .limit(req.query.limit)
        .offset(req.query.offset);
      return { leads: rows };
    },
  );

  app.get(
    '/leads/:id',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'A lead with history, requirements, detections, quotes, videos',
        params: uuidParam,
        response: { 200: leadViewSchema, ...errors },
      },
    },
    async (req) => view(req.params.id),
  );

  app.post(
    '/leads/:id/lost',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'Mark a lead lost (only from states that allow it; else 409)',
        params: uuidParam,
        body: z.object({ reason: z.string().trim().min(1).max(1000) }),
        response: { 200: leadViewSchema, ...errors },
      },
    },
    async (req) => moveAndView(req.params.id, 'lost', req.body.reason, principalOf(req).userId),
  );

  app.post(
    '/leads/:id/transitions',
    {
      config: { access: ['admin', 'va'] },
      schema: {
        tags,
        summary: 'Move a lead to another state by hand (state only: no quote, booking or message is made)',
        description:
          'For corrections. The move must be in the lead state table; anything else is 409 INVALID_TRANSITION and nothing changes. ' +
          'Everyday moves happen through their own actions (quotes, request-video, estimator, holds, checkout, lost).',
        params: uuidParam,
        body: z.object({ to: z.enum(LEAD_STATES), reason: z.string().trim().min(1).max(1000) }),
        response: { 200: leadViewSchema, ...errors },
      },
    },
    async (req) => moveAndView(req.params.id, req.body.to, req.body.reason, principalOf(req).userId),
  );

  app.put(
    '/leads/:id/requirements',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: "Set the job's task requirements (staff-set ones count as verified)",
        params: uuidParam,
        body: z.object({
          requirements: z
            .array(requirementInput)
            .max(20)
            .refine((r) => new Set(r.map((x) => x.taskId)).size === r.length, 'each task may appear once'),
        }),
        response: { 200: leadViewSchema, ...errors },
      },
    },
    async (req) => {
      await setLeadRequirements(ctx.db, req.params.id, req.body.requirements, principalOf(req).userId);
      return view(req.params.id);
    },
  );

  app.post(
    '/leads/:id/requirements/verify',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'Verify AI-tagged requirements (manually_verified, verified_by)',
        params: uuidParam,
        body: z.object({ taskIds: z.array(z.string().min(1).max(100)).min(1).max(20) }),
        response: { 200: leadViewSchema, ...errors },
      },
    },
    async (req) => {
      await verifyLeadRequirements(ctx.db, req.params.id, req.body.taskIds, principalOf(req).userId);
      return view(req.params.id);
    },
  );
}
