import { z } from 'zod';
import { asc, eq } from 'drizzle-orm';
import type { App, AppContext } from '../../http/context.js';
import { notFound } from '../../shared/errors.js';
import { errors, isoDate } from '../../shared/schemas.js';
import { type Role, STAFF } from '../auth/index.js';
import { jobSpecView, loadJobSpec, presentSpec, specFromInput, specRef } from '../jobs/index.js';
import { bookingRules } from './booking-rules.js';
import { findAvailability } from './find-availability.js';
import { availabilityView } from './availability-view.js';
import { businessClosures } from './schema.js';

const MANAGERS: readonly Role[] = ['admin', 'va'];

export function availabilityRoutes(app: App, ctx: AppContext) {
  app.post(
    '/availability/search',
    {
      config: { access: STAFF },
      schema: {
        tags: ['availability'],
        summary: 'Slots and eligible-contractor counts for a job spec',
        description:
          'Every date from `from` to `to` (default: the whole bookable window) with `am`/`pm` and the number of contractors who could take the job.',
        body: specRef.and(z.object({ from: isoDate.optional(), to: isoDate.optional() })),
        response: { 200: availabilityView.extend({ job: jobSpecView }), ...errors },
      },
    },
    async (req) => {
      const spec = req.body.jobId ? await loadJobSpec(ctx.db, req.body.jobId) : await specFromInput(ctx.db, req.body.job!);
      const result = await findAvailability(ctx.db, spec, req.body, { jobId: null, sessionId: null }, bookingRules(ctx.config), ctx.now());
      return { ...result, job: presentSpec(spec) };
    },
  );

  const closure = z.object({ date: z.string(), reason: z.string() });
  app.get(
    '/closures',
    {
      config: { access: STAFF },
      schema: {
        tags: ['availability'],
        summary: 'Business closure dates',
        response: { 200: z.object({ closures: z.array(closure) }), ...errors },
      },
    },
    async () => ({
      closures: await ctx.db
        .select({ date: businessClosures.date, reason: businessClosures.reason })
        .from(businessClosures)
        .orderBy(asc(businessClosures.date)),
    }),
  );
  app.put(
    '/closures/:date',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['availability'],
        summary: 'Close the business on a date (no slots offered)',
        params: z.object({ date: isoDate }),
        body: z.object({ reason: z.string().trim().min(1).max(200) }),
        response: { 200: z.object({ closure: closure }), ...errors },
      },
    },
    async (req) => {
      const values = { date: req.params.date, reason: req.body.reason };
      await ctx.db
        .insert(businessClosures)
        .values(values)
        .onConflictDoUpdate({ target: businessClosures.date, set: { reason: values.reason } });
      return { closure: values };
    },
  );
  app.delete(
    '/closures/:date',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['availability'],
        summary: 'Reopen a closed date',
        params: z.object({ date: isoDate }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      const rows = await ctx.db.delete(businessClosures).where(eq(businessClosures.date, req.params.date)).returning();
      if (!rows.length) throw notFound('Closure', { date: req.params.date });
      return reply.status(204).send(null);
    },
  );
}
