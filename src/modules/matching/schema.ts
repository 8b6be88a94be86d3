import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
import { contractors } from '../contractors/schema.js';

/**
 * The history facts the matching score needs, one row per contractor, kept current by triggers
 * on contractor_skills, contractor_certifications, bookings and job_matching_history (migration `matching_facts_sql`) in the
 * same transaction as the change, so ranking reads one row per candidate instead of aggregating
 * their history. A contractor with no row has no skills, ratings or outcomes yet.
 */
export const contractorFacts = pgTable(
  'contractor_facts',
  {
    contractorId: uuid()
      .primaryKey()
      .references(() => contractors.id, { onDelete: 'cascade' }),
    /** Every skill, by task id: {"<task_id>": {category, confidence, last_performed_at}}. */
    skills: jsonb()
      .notNull()
      .default(sql`'{}'::jsonb`),
    skillCount: integer().notNull().default(0),
    /** How many skills in each category: {"Plumbing": 3, ...} (the specialisation score). */
    categoryCounts: jsonb()
      .notNull()
      .default(sql`'{}'::jsonb`),
    /** [{type, expires_on}]: the score names those valid on the job date. */
    certifications: jsonb()
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** Ratings of the jobs this contractor was selected for. */
    ratingCount: integer().notNull().default(0),
    ratingTotal: integer().notNull().default(0),
    completed: integer().notNull().default(0),
    contractorCancellations: integer().notNull().default(0),
    noShows: integer().notNull().default(0),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check(
      'contractor_facts_counts_chk',
      sql`${t.ratingCount} >= 0 and ${t.completed} >= 0 and ${t.contractorCancellations} >= 0 and ${t.noShows} >= 0`,
    ),
  ],
);

/**
 * A ranking a hold picked from, stored once when it is computed (and reused for a few seconds)
 * rather than sent with every hold: each claim copies its candidate records from here (for
 * job_matching_history at checkout). Only read while the ranking is reused; the expired-hold
 * sweeper deletes rows older than 10 minutes.
 */
export const matchingRankings = pgTable(
  'matching_rankings',
  {
    id: uuid().primaryKey().defaultRandom(),
    candidates: jsonb().notNull(),
    /**
     * The candidates' contractor ids and match scores in rank order, as arrays: handy_hold reads
     * them from here (binary, one row) instead of each hold sending and parsing them.
     */
    contractorIds: uuid()
      .array()
      .notNull()
      .default(sql`'{}'`),
    scores: integer()
      .array()
      .notNull()
      .default(sql`'{}'`),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('matching_rankings_created_idx').on(t.createdAt)],
);
