import { z } from 'zod';
import type { App, AppContext } from '../../http/context.js';
import { principalOf } from '../../http/auth.js';
import { errors, uuidParam } from '../../shared/schemas.js';
import { STAFF } from '../auth/index.js';
import { createJob } from './create-job.js';
import { jobSpecInput, loadJobSpec } from './job-spec.js';
import { jobSpecView, presentSpec } from './presenters.js';

export function jobRoutes(app: App, ctx: AppContext) {
  app.post(
    '/jobs',
    {
      config: { access: STAFF },
      schema: {
        tags: ['jobs'],
        summary: 'Create a job spec and its customer link',
        description:
          'The customer token (256 random bits) is returned once; the customer uses it at /api/customer/jobs/{token}/... to see availability, hold a slot and check out.',
        body: jobSpecInput.extend({ description: z.string().trim().max(4000).nullable().optional() }),
        response: { 201: z.object({ job: jobSpecView, customerToken: z.string(), customerPath: z.string() }), ...errors },
      },
    },
    async (req, reply) => {
      const { id, customerToken } = await createJob(ctx.db, req.body, principalOf(req).userId);
      const job = presentSpec(await loadJobSpec(ctx.db, id));
      return reply.status(201).send({ job, customerToken, customerPath: `/api/customer/jobs/${customerToken}` });
    },
  );

  app.get(
    '/jobs/:id',
    {
      config: { access: STAFF },
      schema: { tags: ['jobs'], summary: 'A job spec', params: uuidParam, response: { 200: z.object({ job: jobSpecView }), ...errors } },
    },
    async (req) => ({ job: presentSpec(await loadJobSpec(ctx.db, req.params.id)) }),
  );
}
