import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  time,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { certificationType, tasks } from '../catalog/schema.js';
import { CONFIDENCES } from '../../shared/confidence.js';

export const skillConfidence = pgEnum('skill_confidence', CONFIDENCES);

export const contractors = pgTable(
  'contractors',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    phone: text(),
    email: text(),
    bio: text(),
    postcode: text(),
    outcode: text(),
    latitude: doublePrecision(),
    longitude: doublePrecision(),
    radiusMiles: integer().notNull().default(10),
    maxConcurrentJobs: integer().notNull().default(3),
    isActive: boolean().notNull().default(true),
    reactiveMode: boolean().notNull().default(false),
    /** The one source of truth for "online": written only by clock-in/out. */
    onShift: boolean().notNull().default(false),
    onShiftChangedAt: timestamp({ withTimezone: true }),
    /** Derived by profileCompletionScore() whenever the profile, skills or schedule change. */
    profileCompletionScore: integer().notNull().default(0),
    /** The contractor's private chat with the bot, linked by a one-time code. */
    telegramChatId: text().unique(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('contractors_radius_chk', sql`${t.radiusMiles} between 1 and 200`),
    check('contractors_max_jobs_chk', sql`${t.maxConcurrentJobs} between 1 and 50`),
    check('contractors_score_chk', sql`${t.profileCompletionScore} between 0 and 100`),
    check('contractors_geo_chk', sql`(${t.postcode} is null) = (${t.latitude} is null)`),
    index('contractors_matchable_idx').on(t.isActive, t.profileCompletionScore),
  ],
);

export const contractorCertifications = pgTable(
  'contractor_certifications',
  {
    id: uuid().primaryKey().defaultRandom(),
    contractorId: uuid()
      .notNull()
      .references(() => contractors.id, { onDelete: 'cascade' }),
    type: certificationType().notNull(),
    number: text().notNull(),
    authority: text(),
    region: text(),
    expiresOn: date({ mode: 'string' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('contractor_certs_contractor_idx').on(t.contractorId)],
);

export const contractorSkills = pgTable(
  'contractor_skills',
  {
    contractorId: uuid()
      .notNull()
      .references(() => contractors.id, { onDelete: 'cascade' }),
    taskId: text()
      .notNull()
      .references(() => tasks.id),
    confidence: skillConfidence().notNull(),
    yearsExperience: integer().notNull().default(0),
    /** Maintained by the system when a booking completes; never typed in. */
    completedCount: integer().notNull().default(0),
    lastPerformedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.contractorId, t.taskId] }),
    index('contractor_skills_task_idx').on(t.taskId, t.confidence),
    check('contractor_skills_years_chk', sql`${t.yearsExperience} between 0 and 70`),
  ],
);

/** Weekly template: one working window per ISO weekday (1 = Monday). */
export const contractorWeeklyAvailability = pgTable(
  'contractor_weekly_availability',
  {
    contractorId: uuid()
      .notNull()
      .references(() => contractors.id, { onDelete: 'cascade' }),
    weekday: integer().notNull(),
    startTime: time().notNull(),
    endTime: time().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.contractorId, t.weekday] }),
    check('weekly_weekday_chk', sql`${t.weekday} between 1 and 7`),
    check('weekly_window_chk', sql`${t.startTime} < ${t.endTime}`),
  ],
);

/** Date overrides: they win over the weekly template for their date. */
export const contractorAvailabilityDates = pgTable(
  'contractor_availability_dates',
  {
    contractorId: uuid()
      .notNull()
      .references(() => contractors.id, { onDelete: 'cascade' }),
    date: date({ mode: 'string' }).notNull(),
    isAvailable: boolean().notNull(),
    startTime: time(),
    endTime: time(),
  },
  (t) => [
    primaryKey({ columns: [t.contractorId, t.date] }),
    check(
      'override_window_chk',
      sql`(not ${t.isAvailable} and ${t.startTime} is null and ${t.endTime} is null)
          or (${t.isAvailable} and ${t.startTime} is not null and ${t.endTime} is not null and ${t.startTime} < ${t.endTime})`,
    ),
  ],
);
