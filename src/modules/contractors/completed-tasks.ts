import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';

/** A completed job counts towards the contractor's experience of each of its tasks (the matching score reads these). */
export async function countCompletedTasks(tx: Queryable, contractorId: string, jobId: string, now: Date) {
  await tx.execute(sql`
    update contractor_skills s set completed_count = s.completed_count + 1, last_performed_at = ${now.toISOString()}::timestamptz, updated_at = now()
    from job_task_requirements r
    where r.job_id = ${jobId} and s.task_id = r.task_id and s.contractor_id = ${contractorId}`);
}
