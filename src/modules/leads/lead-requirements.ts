import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { notFound } from '../../shared/errors.js';
import { assertTasksExist } from '../contractors/index.js';
import { replaceRequirements, verifyRequirements, type requirementInput } from '../jobs/index.js';
import type { z } from 'zod';
import { leads } from './schema.js';

type Requirement = z.infer<typeof requirementInput>;

/** Staff set the lead's job requirements, replacing the old ones; staff-set ones count as verified. Under the lead's row lock. */
export async function setLeadRequirements(db: Db, leadId: string, requirements: Requirement[], userId: string) {
  await db.transaction(async (tx) => {
    const [lead] = await tx.select().from(leads).where(eq(leads.id, leadId)).for('update');
    if (!lead) throw notFound('Lead', { id: leadId });
    await assertTasksExist(
      tx,
      requirements.map((r) => r.taskId),
      'requirements',
    );
    await replaceRequirements(tx, lead.jobId, requirements, userId);
  });
}

/** Staff verify AI-tagged requirements; 404 (nothing changed) naming any task the job does not require. */
export async function verifyLeadRequirements(db: Db, leadId: string, taskIds: string[], userId: string) {
  await db.transaction(async (tx) => {
    const [lead] = await tx.select().from(leads).where(eq(leads.id, leadId));
    if (!lead) throw notFound('Lead', { id: leadId });
    const verified = await verifyRequirements(tx, lead.jobId, taskIds, userId);
    const missing = taskIds.filter((t) => !verified.includes(t));
    if (missing.length) throw notFound('Requirement', { taskIds: missing });
  });
}
