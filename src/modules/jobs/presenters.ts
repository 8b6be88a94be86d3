import { z } from 'zod';
import { jobSpecInput, type JobSpec } from './job-spec.js';

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

export const presentSpec = (s: JobSpec) => ({
  jobId: s.jobId,
  postcode: s.postcode,
  tasks: s.tasks.map(({ acceptedCertifications: _a, ...t }) => t),
});

/** A job spec by reference (`jobId`) or inline (`job`), for the staff tools. */
export const specRef = z
  .object({ jobId: z.uuid().optional(), job: jobSpecInput.optional() })
  .refine((v) => (v.jobId === undefined) !== (v.job === undefined), 'give exactly one of jobId or job');
