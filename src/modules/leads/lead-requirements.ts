import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { notFound } from '../../http/errors.js';
import { assertTasksExist } from '../contractors/replace-skills.js';
import { jobTaskRequirements } from '../jobs/schema.js';
import type { requirementInput } from '../jobs/job-spec.js';
import type { z } from 'zod';
import { leads } from './schema.js';

type Requirement = z.infer<typeof requirementInput>;

/** Staff set the lead's job requirements, replacing the old ones; staff-set ones count as verified. Under the lead's row lock. */
export async function setLeadRequirements(db: Db, leadId: string, requirements: Requirement[], userId: string) {
  await db.transaction(async (tx) => {
    const [lead] = await tx.select().from(leads).where(eq(leads.id, leadId)).for('update');
    if (!lead) throw notFound('Lead', { id: leadId });
    await assertTasksExist(tx, requirements.map((r) => r.taskId), 'requirements');
    await tx.delete(jobTaskRequirements).where(eq(jobTaskRequirements.jobId, lead.jobId));
    if (requirements.length) {
      await tx.insert(jobTaskRequirements).values(requirements.map((r) => ({ jobId: lead.jobId, ...r, manuallyVerified: true, verifiedBy: userId })));
    }
  });
}

/** Staff verify AI-tagged requirements; 404 (nothing changed) naming any task the job does not require. */
export async function verifyLeadRequirements(db: Db, leadId: string, taskIds: string[], userId: string) {
  await db.transaction(async (tx) => {
    const [lead] = await tx.select().from(leads).where(eq(leads.id, leadId));
    if (!lead) throw notFound('Lead', { id: leadId });
    const rows = await tx
      .update(jobTaskRequirements)
      .set({ manuallyVerified: true, verifiedBy: userId })
      .where(and(eq(jobTaskRequirements.jobId, lead.jobId), inArray(jobTaskRequirements.taskId, taskIds)))
      .returning({ taskId: jobTaskRequirements.taskId });
    const missing = taskIds.filter((t) => !rows.some((r) => r.taskId === t));
    if (missing.length) throw notFound('Requirement', { taskIds: missing });
  });
}
