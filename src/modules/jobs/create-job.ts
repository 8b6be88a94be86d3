import { eq } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/client.js';
import { hashToken, newToken } from '../../shared/tokens.js';
import { type JobSpecInput, specFromInput } from './job-spec.js';
import { jobs, jobTaskRequirements } from './schema.js';

/**
 * Stores a job spec and returns the customer's link token (shown once; only its hash is kept).
 */
export async function createJob(db: Db, input: JobSpecInput & { description?: string | null }, createdByUserId: string | null) {
  const spec = await specFromInput(db, input);
  const token = newToken();
  const id = await db.transaction(async (tx) => {
    const place = { postcode: spec.postcode, outcode: spec.postcode.split(' ')[0]!, latitude: spec.latitude, longitude: spec.longitude };
    const jobId = await insertJob(tx, {
      place,
      description: input.description ?? null,
      customerTokenHash: hashToken(token),
      createdByUserId,
    });
    await tx
      .insert(jobTaskRequirements)
      .values(
        input.requirements.map((r) => ({ jobId, taskId: r.taskId, requiredConfidence: r.requiredConfidence, isPrimary: r.isPrimary })),
      );
    return jobId;
  });
  return { id, customerToken: token };
}

export type JobPlace = { postcode: string; outcode: string; latitude: number; longitude: number };

/** A job row with no requirements yet (an enquiry's, before detection or staff tag its tasks). */
export async function insertJob(
  tx: Queryable,
  j: { place: JobPlace; description: string | null; customerTokenHash: string; createdByUserId?: string | null },
) {
  const [job] = await tx
    .insert(jobs)
    .values({ ...j.place, description: j.description, customerTokenHash: j.customerTokenHash, createdByUserId: j.createdByUserId ?? null })
    .returning({ id: jobs.id });
  return job!.id;
}

/** The job moves with its lead when the customer gives the real postcode later. */
export async function setJobPlace(tx: Queryable, jobId: string, place: JobPlace) {
  await tx.update(jobs).set(place).where(eq(jobs.id, jobId));
}
