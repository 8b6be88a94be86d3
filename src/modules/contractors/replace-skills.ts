import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { AppError } from '../../shared/errors.js';
import { tasks } from '../catalog/schema.js';
import type { SkillsInput } from './inputs.js';
import { contractorSkills } from './schema.js';

/** Throws 422 UNKNOWN_TASK naming every id that is not in the taxonomy. */
export async function assertTasksExist(db: Queryable, taskIds: string[], field = 'taskId'): Promise<void> {
  if (taskIds.length === 0) return;
  const found = await db
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(inArray(tasks.id, taskIds), eq(tasks.isActive, true)));
  const known = new Set(found.map((t) => t.id));
  const unknown = taskIds.filter((id) => !known.has(id));
  if (unknown.length) throw new AppError('UNKNOWN_TASK', `Unknown task id: ${unknown.join(', ')}`, { field, unknown });
}

/**
 * Replaces the whole skill set in one call. Counters the system maintains (completed_count,
 * last_performed_at) survive for tasks the contractor keeps.
 */
export async function replaceSkills(tx: Queryable, contractorId: string, skills: SkillsInput): Promise<void> {
  await assertTasksExist(
    tx,
    skills.map((s) => s.taskId),
    'skills',
  );
  const keep = skills.map((s) => s.taskId);
  await tx
    .delete(contractorSkills)
    .where(and(eq(contractorSkills.contractorId, contractorId), keep.length ? notInArray(contractorSkills.taskId, keep) : undefined));
  if (skills.length === 0) return;
  await tx
    .insert(contractorSkills)
    .values(skills.map((s) => ({ contractorId, taskId: s.taskId, confidence: s.confidence, yearsExperience: s.yearsExperience })))
    .onConflictDoUpdate({
      target: [contractorSkills.contractorId, contractorSkills.taskId],
      set: { confidence: sql`excluded.confidence`, yearsExperience: sql`excluded.years_experience`, updatedAt: sql`now()` },
    });
}
