import type { Db } from '../../db/client.js';
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
    const [job] = await tx
      .insert(jobs)
      .values({
        postcode: spec.postcode,
        outcode: spec.postcode.split(' ')[0]!,
        latitude: spec.latitude,
        longitude: spec.longitude,
        description: input.description ?? null,
        customerTokenHash: hashToken(token),
        createdByUserId,
      })
      .returning({ id: jobs.id });
    await tx.insert(jobTaskRequirements).values(
      input.requirements.map((r) => ({ jobId: job!.id, taskId: r.taskId, requiredConfidence: r.requiredConfidence, isPrimary: r.isPrimary })),
    );
    return job!.id;
  });
  return { id, customerToken: token };
}
