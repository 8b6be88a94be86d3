import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { tasks } from './schema.js';
import { TASKS } from './tasks-data.js';

/** Upserts the taxonomy: safe to run on every start. */
export async function seedTasks(db: Queryable): Promise<number> {
  await db
    .insert(tasks)
    .values(TASKS)
    .onConflictDoUpdate({
      target: tasks.id,
      set: {
        name: sql`excluded.name`,
        category: sql`excluded.category`,
        displayOrder: sql`excluded.display_order`,
        requiredCertification: sql`excluded.required_certification`,
      },
    });
  return TASKS.length;
}
