import { sql } from 'drizzle-orm';
import { check, integer, jsonb, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
import { contractors } from '../contractors/schema.js';

/**
 * The history facts the matching score needs, one row per contractor, kept current by triggers
 * on contractor_skills, bookings and job_matching_history (migration `matching_facts_sql`) in the
 * same transaction as the change, so ranking reads one row per candidate instead of aggregating
 * their history. A contractor with no row has no skills, ratings or outcomes yet.
 */
export const contractorFacts = pgTable(
  'contractor_facts',
  {
    contractorId: uuid().primaryKey().references(() => contractors.id, { onDelete: 'cascade' }),
    /** Every skill: [{task_id, category, confidence, last_performed_at}] (the shape the score reads). */
    skills: jsonb().notNull().default(sql`'[]'::jsonb`),
    /** Ratings of the jobs this contractor was selected for. */
    ratingCount: integer().notNull().default(0),
    ratingTotal: integer().notNull().default(0),
    completed: integer().notNull().default(0),
    contractorCancellations: integer().notNull().default(0),
    noShows: integer().notNull().default(0),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('contractor_facts_counts_chk', sql`${t.ratingCount} >= 0 and ${t.completed} >= 0 and ${t.contractorCancellations} >= 0 and ${t.noShows} >= 0`),
  ],
);
