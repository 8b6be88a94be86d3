import { z } from 'zod';
import { asc, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { AppError, notFound } from '../../shared/errors.js';
import { confidence, postcode } from '../../shared/schemas.js';
import { tasks } from '../catalog/schema.js';
import { CERTIFICATION_SATISFIES, type CertificationType } from '../catalog/index.js';
import { geocode } from '../geo/index.js';
import { hashToken } from '../../shared/tokens.js';
import type { JobTask } from '../matching/index.js';
import { jobs, jobTaskRequirements } from './schema.js';

/** What the scheduling engine needs to know about a job. */
export type JobSpec = {
  jobId: string | null;
  postcode: string;
  latitude: number;
  longitude: number;
  tasks: (JobTask & { requiredCertification: CertificationType | null; acceptedCertifications: CertificationType[] })[];
};

export const requirementInput = z.object({
  taskId: z.string().min(1).max(100),
  requiredConfidence: confidence.default('capable'),
  isPrimary: z.boolean().default(true),
});

export const jobSpecInput = z.object({
  postcode,
  requirements: z
    .array(requirementInput)
    .min(1)
    .max(20)
    .refine((r) => new Set(r.map((x) => x.taskId)).size === r.length, 'each task may appear once')
    .refine((r) => r.some((x) => x.isPrimary), 'at least one requirement must be primary'),
});
export type JobSpecInput = z.infer<typeof jobSpecInput>;

type Requirement = z.infer<typeof requirementInput>;

/** Joins requirements to the taxonomy; unknown task ids are a 422 naming them. */
async function specTasks(db: Queryable, reqs: Requirement[]): Promise<JobSpec['tasks']> {
  const ids = reqs.map((r) => r.taskId);
  const rows = await db.select().from(tasks).where(inArray(tasks.id, ids)).orderBy(asc(tasks.displayOrder));
  const byId = new Map(rows.filter((t) => t.isActive).map((t) => [t.id, t]));
  const unknown = ids.filter((id) => !byId.has(id));
  if (unknown.length) throw new AppError('UNKNOWN_TASK', `Unknown task id: ${unknown.join(', ')}`, { field: 'requirements', unknown });
  return reqs.map((r) => {
    const t = byId.get(r.taskId)!;
    const cert = t.requiredCertification;
    return {
      taskId: t.id,
      taskName: t.name,
      category: t.category,
      requiredConfidence: r.requiredConfidence,
      isPrimary: r.isPrimary,
      requiredCertification: cert,
      acceptedCertifications: cert
        ? (Object.keys(CERTIFICATION_SATISFIES) as CertificationType[]).filter((k) => CERTIFICATION_SATISFIES[k].includes(cert))
        : [],
    };
  });
}

/** A spec given inline (staff tools) rather than stored. */
export async function specFromInput(db: Queryable, input: JobSpecInput): Promise<JobSpec> {
  const place = geocode(input.postcode);
  return {
    jobId: null,
    postcode: place.postcode,
    latitude: place.latitude,
    longitude: place.longitude,
    tasks: await specTasks(db, input.requirements),
  };
}

export async function loadJobSpec(db: Queryable, jobId: string): Promise<JobSpec> {
  const [job] = await db.select().from(jobs).where(eq(jobs.id, jobId));
  if (!job) throw notFound('Job', { id: jobId });
  return specOfJob(db, job);
}

/** A stored job's spec (the job row already read). */
async function specOfJob(db: Queryable, job: typeof jobs.$inferSelect): Promise<JobSpec> {
  const reqs = await db.select().from(jobTaskRequirements).where(eq(jobTaskRequirements.jobId, job.id));
  return { jobId: job.id, postcode: job.postcode, latitude: job.latitude, longitude: job.longitude, tasks: await specTasks(db, reqs) };
}

/** The job behind a customer's link token (only its hash is stored); unknown links are 404. */
export async function jobSpecByCustomerToken(db: Queryable, token: string): Promise<JobSpec & { jobId: string }> {
  const [job] = await db
    .select()
    .from(jobs)
    .where(eq(jobs.customerTokenHash, hashToken(token)));
  if (!job) throw notFound('Job link');
  return { ...(await specOfJob(db, job)), jobId: job.id };
}
