import { boolean, check, integer, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

export const certificationType = pgEnum('certification_type', ['gas_safe', 'part_p', 'niceic', 'other']);

/** The task taxonomy: what a contractor can be skilled in and what a job can require. */
export const tasks = pgTable(
  'contractor_tasks',
  {
    id: text().primaryKey(),
    name: text().notNull(),
    category: text().notNull(),
    description: text(),
    /** Certification a contractor must hold (unexpired) to be matched for this task. */
    requiredCertification: certificationType(),
    isActive: boolean().notNull().default(true),
    displayOrder: integer().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('contractor_tasks_category_chk', sql`${t.category} in ('Plumbing','Electrical','Carpentry','Decorating','General','Garden')`),
  ],
);
