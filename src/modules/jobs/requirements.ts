import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { jobTaskRequirements } from './schema.js';

type Confidence = (typeof jobTaskRequirements.$inferInsert)['requiredConfidence'];
export type RequirementInput = { taskId: string; requiredConfidence: Confidence; isPrimary: boolean };

/** Adds AI-tagged task requirements to a job; a requirement staff verified is never overwritten. */
export async function tagAiRequirements(tx: Queryable, jobId: string, tasks: { taskId: string; aiConfidence: number }[]) {
  if (tasks.length === 0) return;
  const best = new Map<string, number>();
  for (const t of tasks) best.set(t.taskId, Math.max(best.get(t.taskId) ?? 0, t.aiConfidence));
  await tx
    .insert(jobTaskRequirements)
    .values(
      [...best].map(([taskId, aiConfidence]) => ({ jobId, taskId, aiConfidence, requiredConfidence: 'capable' as const, isPrimary: true })),
    )
    .onConflictDoUpdate({
      target: [jobTaskRequirements.jobId, jobTaskRequirements.taskId],
      set: { aiConfidence: sql`greatest(${jobTaskRequirements.aiConfidence}, excluded.ai_confidence)` },
      setWhere: sql`not ${jobTaskRequirements.manuallyVerified}`,
    });
}

/** Staff set the whole list: what they set counts as verified by them. */
export async function replaceRequirements(tx: Queryable, jobId: string, requirements: RequirementInput[], verifiedBy: string) {
  await tx.delete(jobTaskRequirements).where(eq(jobTaskRequirements.jobId, jobId));
  if (requirements.length) {
    await tx.insert(jobTaskRequirements).values(requirements.map((r) => ({ jobId, ...r, manuallyVerified: true, verifiedBy })));
  }
}

/** Marks AI-tagged requirements as checked by staff; returns the task ids that were on the job. */
export async function verifyRequirements(tx: Queryable, jobId: string, taskIds: string[], verifiedBy: string) {
  const rows = await tx
    .update(jobTaskRequirements)
    .set({ manuallyVerified: true, verifiedBy })
    .where(and(eq(jobTaskRequirements.jobId, jobId), inArray(jobTaskRequirements.taskId, taskIds)))
    .returning({ taskId: jobTaskRequirements.taskId });
  return rows.map((r) => r.taskId);
}

/** The tasks a quote prices become the job's requirements when nobody has set a primary one. */
export async function requireTasksIfUnset(tx: Queryable, jobId: string, taskIds: string[]) {
  if (!taskIds.length) return;
  const [hasPrimary] = await tx
    .select({ id: jobTaskRequirements.id })
    .from(jobTaskRequirements)
    .where(and(eq(jobTaskRequirements.jobId, jobId), eq(jobTaskRequirements.isPrimary, true)))
    .limit(1);
  if (hasPrimary) return;
  await tx
    .insert(jobTaskRequirements)
    .values(taskIds.map((taskId) => ({ jobId, taskId, requiredConfidence: 'capable' as const, isPrimary: true })))
    .onConflictDoNothing();
}
