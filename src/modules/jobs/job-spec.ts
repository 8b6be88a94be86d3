import { z } from 'zod';
import { asc, inArray, type SQL, sql } from 'drizzle-orm';
import { executePrepared } from '../../db/prepared.js';
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

type TaskRow = Pick<typeof tasks.$inferSelect, 'id' | 'name' | 'category' | 'requiredCertification' | 'isActive'>;

/** Joins requirements to the taxonomy rows read for them; unknown or retired task ids are a 422 naming them. */
function joinTasks(reqs: Requirement[], rows: TaskRow[]): JobSpec['tasks'] {
  const byId = new Map(rows.filter((t) => t.isActive).map((t) => [t.id, t]));
  const unknown = reqs.map((r) => r.taskId).filter((id) => !byId.has(id));
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

async function specTasks(db: Queryable, reqs: Requirement[]): Promise<JobSpec['tasks']> {
  const rows = await db
    .select()
    .from(tasks)
    .where(
      inArray(
        tasks.id,
        reqs.map((r) => r.taskId),
      ),
    )
    .orderBy(asc(tasks.displayOrder));
  return joinTasks(reqs, rows);
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

/*
 * A stored job's spec is read by one prepared statement: the job, its requirements and their
 * catalogue rows (in the order they were written: the first primary task leads). Every customer
 * request on a link starts here, so it is one round trip, parsed and planned once per connection.
 */
type StoredSpecRow = {
  id: string;
  postcode: string;
  latitude: number;
  longitude: number;
  reqs: (Requirement & TaskRow)[];
  also: unknown;
};

const storedSpec = (where: SQL, also: SQL = sql`null::json`) => sql`
  select j.id, j.postcode, j.latitude, j.longitude,
    coalesce((select json_agg(json_build_object('taskId', r.task_id, 'requiredConfidence', r.required_confidence, 'isPrimary', r.is_primary,
                                                'id', t.id, 'name', t.name, 'category', t.category,
                                                'requiredCertification', t.required_certification, 'isActive', t.is_active)
                              order by r.created_at, r.ctid)
              from ${jobTaskRequirements} r join ${tasks} t on t.id = r.task_id
              where r.job_id = j.id), '[]') as reqs,
    ${also} as also
  from ${jobs} j where ${where}`;

function specOfRow(row: StoredSpecRow): JobSpec & { jobId: string } {
  return { jobId: row.id, postcode: row.postcode, latitude: row.latitude, longitude: row.longitude, tasks: joinTasks(row.reqs, row.reqs) };
}

export async function loadJobSpec(db: Queryable, jobId: string): Promise<JobSpec> {
  const [row] = (await executePrepared<StoredSpecRow>(db, storedSpec(sql`j.id = ${jobId}::uuid`))).rows;
  if (!row) throw notFound('Job', { id: jobId });
  return specOfRow(row);
}

/**
 * The job behind a customer's link token (only its hash is stored); unknown links are 404.
 * `also`: a JSON expression over the job row `j`, read in the same statement (what the caller's
 * own tables say about this job), returned as `also`; null without one.
 */
export async function jobSpecByCustomerToken<Also = null>(
  db: Queryable,
  token: string,
  also?: SQL,
): Promise<JobSpec & { jobId: string; also: Also }> {
  const [row] = (await executePrepared<StoredSpecRow>(db, storedSpec(sql`j.customer_token_hash = ${hashToken(token)}`, also))).rows;
  if (!row) throw notFound('Job link');
  return { ...specOfRow(row), also: row.also as Also };
}
