import { sql } from 'drizzle-orm';
import { boolean, check, doublePrecision, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tasks } from '../catalog/schema.js';
import { skillConfidence } from '../contractors/schema.js';
import { users } from '../auth/schema.js';

/**
 * A job spec: where the work is and which tasks it needs. Availability, holds, matching and
 * bookings all read it; leads and quotes point at one.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: uuid().primaryKey().defaultRandom(),
    postcode: text().notNull(),
    outcode: text().notNull(),
    latitude: doublePrecision().notNull(),
    longitude: doublePrecision().notNull(),
    description: text(),
    /** SHA-256 of the customer's link token (the token itself is shown once). */
    customerTokenHash: text().notNull(),
    createdByUserId: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('jobs_customer_token_uq').on(t.customerTokenHash)],
);

export const jobTaskRequirements = pgTable(
  'job_task_requirements',
  {
    id: uuid().primaryKey().defaultRandom(),
    jobId: uuid()
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    taskId: text()
      .notNull()
      .references(() => tasks.id),
    requiredConfidence: skillConfidence().notNull(),
    isPrimary: boolean().notNull().default(true),
    aiConfidence: integer(),
    manuallyVerified: boolean().notNull().default(false),
    verifiedBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('job_requirements_task_uq').on(t.jobId, t.taskId),
    index('job_requirements_job_idx').on(t.jobId),
    check('job_requirements_ai_chk', sql`${t.aiConfidence} is null or ${t.aiConfidence} between 0 and 100`),
  ],
);
