import { z } from 'zod';
import type { App, AppContext } from '../../http/context.js';
import { principalOf } from '../../http/auth.js';
import { pick } from '../../shared/present.js';
import { errors, uuidParam } from '../../shared/schemas.js';
import { STAFF } from '../auth/principal.js';
import { createJob } from './create-job.js';
import { jobSpecInput, loadJobSpec, type JobSpec } from './job-spec.js';

export const jobSpecView = z.object({
  jobId: z.uuid().nullable(),
  postcode: z.string(),
  tasks: z.array(
    z.object({
      taskId: z.string(),
      taskName: z.string(),
      category: z.string(),
      requiredConfidence: z.enum(['expert', 'capable']),
      isPrimary: z.boolean(),
      requiredCertification: z.string().nullable(),
    }),
  ),
});

/** The task fields a job spec shows (not the certificates that would satisfy a required one). */
const SPEC_TASK_FIELDS = ['taskId', 'taskName', 'category', 'requiredConfidence', 'isPrimary', 'requiredCertification'] as const satisfies readonly (keyof JobSpec['tasks'][number])[];

export const presentSpec = (s: JobSpec) => ({
  jobId: s.jobId,
  postcode: s.postcode,
  tasks: s.tasks.map((t) => pick(t, SPEC_TASK_FIELDS)),
});

/** A job spec by reference (`jobId`) or inline (`job`), for the staff tools. */
export const specRef = z
  .object({ jobId: z.uuid().optional(), job: jobSpecInput.optional() })
  .refine((v) => (v.jobId === undefined) !== (v.job === undefined), 'give exactly one of jobId or job');

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
