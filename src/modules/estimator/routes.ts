import { z } from 'zod';
import { asc, desc, eq, inArray } from 'drizzle-orm';
import type { App, AppContext } from '../../http/context.js';
import { principalOf } from '../../http/auth.js';
import { errors, uuidParam } from '../../shared/schemas.js';
import { type Role, STAFF } from '../auth/index.js';
import { leads } from '../leads/schema.js';
import { presentQuote, quoteInput, quoteView } from '../quotes/index.js';
import { claimItem, completeItem, queueForEstimator, releaseItem } from './estimator-queue.js';
import { estimatorQueue } from './schema.js';

const ESTIMATORS: readonly Role[] = ['estimator', 'admin'];
const itemView = z.object({
  id: z.uuid(),
  leadId: z.uuid(),
  priority: z.number().int(),
  reason: z.string().nullable(),
  status: z.string(),
  assignedTo: z.uuid().nullable(),
  claimedAt: z.date().nullable(),
  createdAt: z.date(),
  escalatedAt: z.date().nullable(),
});
const present = (i: typeof estimatorQueue.$inferSelect) => ({
  id: i.id,
  leadId: i.leadId,
  priority: i.priority,
  reason: i.reason,
  status: i.status,
  assignedTo: i.assignedTo,
  claimedAt: i.claimedAt,
  createdAt: i.createdAt,
  escalatedAt: i.escalatedAt,
});

export function estimatorRoutes(app: App, ctx: AppContext) {
  const tags = ['estimator'];

  app.post(
    '/leads/:id/estimator',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'Send a lead to the estimator queue (higher priority first, then oldest)',
        params: uuidParam,
        body: z.object({
          priority: z.number().int().min(0).max(100).default(0),
          reason: z.string().trim().max(500).default('needs an estimate'),
        }),
        response: { 201: z.object({ item: itemView }), ...errors },
      },
    },
    async (req, reply) => {
      const item = await ctx.db.transaction((tx) =>
        queueForEstimator(tx, req.params.id, { ...req.body, actor: `staff:${principalOf(req).userId}`, now: ctx.now() }),
      );
      return reply.status(201).send({ item: present(item) });
    },
  );

  app.get(
    '/estimator/queue',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'The estimator queue: priority first, then oldest',
        querystring: z.object({ status: z.enum(['queued', 'claimed', 'completed']).optional() }),
        response: { 200: z.object({ items: z.array(itemView.extend({ customerName: z.string(), description: z.string() })) }), ...errors },
      },
    },
    async (req) => {
      const rows = await ctx.db
        .select({ item: estimatorQueue, customerName: leads.customerName, description: leads.description })
        .from(estimatorQueue)
        .innerJoin(leads, eq(leads.id, estimatorQueue.leadId))
        .where(req.query.status ? eq(estimatorQueue.status, req.query.status) : inArray(estimatorQueue.status, ['queued', 'claimed']))
        .orderBy(desc(estimatorQueue.priority), asc(estimatorQueue.createdAt), asc(estimatorQueue.id));
      return { items: rows.map((r) => ({ ...present(r.item), customerName: r.customerName, description: r.description })) };
    },
  );

  app.post(
    '/estimator/queue/:id/claim',
    {
      config: { access: ESTIMATORS },
      schema: {
        tags,
        summary: 'Claim an item (one estimator at a time; 409 ALREADY_CLAIMED)',
        params: uuidParam,
        response: { 200: z.object({ item: itemView }), ...errors },
      },
    },
    async (req) => ({ item: present(await claimItem(ctx.db, req.params.id, principalOf(req).userId, ctx.now())) }),
  );

  app.post(
    '/estimator/queue/:id/release',
    {
      config: { access: ESTIMATORS },
      schema: {
        tags,
        summary: 'Give a claimed item back to the queue',
        params: uuidParam,
        response: { 200: z.object({ item: itemView }), ...errors },
      },
    },
    async (req) => {
      const p = principalOf(req);
      return { item: present(await releaseItem(ctx.db, req.params.id, p.userId, p.role === 'admin', ctx.now())) };
    },
  );

  app.post(
    '/estimator/queue/:id/complete',
    {
      config: { access: ESTIMATORS },
      schema: {
        tags,
        summary: 'Complete an item by writing its quote (created_by estimator)',
        params: uuidParam,
        body: quoteInput,
        response: { 201: z.object({ quote: quoteView }), ...errors },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const quote = await completeItem(ctx.db, req.params.id, p.userId, p.role === 'admin', req.body, ctx.config, ctx.now());
      return reply.status(201).send({ quote: presentQuote(quote, ctx.now(), ctx.config.publicBaseUrl) });
    },
  );
}
