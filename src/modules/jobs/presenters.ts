import { z } from 'zod';
import { pick } from '../../shared/present.js';
import { confidence } from '../../shared/schemas.js';
import { type JobSpec, jobSpecInput } from './job-spec.js';

export const jobSpecView = z.object({
  jobId: z.uuid().nullable(),
  postcode: z.string(),
  tasks: z.array(
    z.object({
      taskId: z.string(),
      taskName: z.string(),
      category: z.string(),
      requiredConfidence: confidence,
      isPrimary: z.boolean(),
      requiredCertification: z.string().nullable(),
    }),
  ),
});

/** The task fields a job spec shows (not the certificates that would satisfy a required one). */
const SPEC_TASK_FIELDS = [
  'taskId',
  'taskName',
  'category',
  'requiredConfidence',
  'isPrimary',
  'requiredCertification',
] as const satisfies readonly (keyof JobSpec['tasks'][number])[];

export const presentSpec = (s: JobSpec) => ({
  jobId: s.jobId,
  postcode: s.postcode,
  tasks: s.tasks.map((t) => pick(t, SPEC_TASK_FIELDS)),
});

/** A job spec by reference (`jobId`) or inline (`job`), for the staff tools. */
export const specRef = z
  .object({ jobId: z.uuid().optional(), job: jobSpecInput.optional() })
  .refine((v) => (v.jobId === undefined) !== (v.job === undefined), 'give exactly one of jobId or job');
