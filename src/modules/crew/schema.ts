import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  doublePrecision,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../auth/schema.js';
import { slotName } from '../bookings/schema.js';
import { tasks } from '../catalog/schema.js';
import { contractors } from '../contractors/schema.js';
import { sqlList } from '../../db/sql-list.js';
import { JOB_STATUSES, LIVE, PLACE_STATUSES } from './crew-states.js';

export const crewJobStatus = pgEnum('crew_job_status', JOB_STATUSES);
export const crewPlaceStatus = pgEnum('crew_place_status', PLACE_STATUSES);

/**
 * A job that needs several contractors at once. The counters are the race guard: a place is
 * taken by one conditional UPDATE on them, and the CHECK below is the backstop no writer can pass.
 */
export const crewJobs = pgTable(
  'crew_jobs',
  {
    id: uuid().primaryKey().defaultRandom(),
    title: text().notNull(),
    description: text(),
    postcode: text().notNull(),
    outcode: text().notNull(),
    latitude: doublePrecision().notNull(),
    longitude: doublePrecision().notNull(),
    date: date({ mode: 'string' }).notNull(),
    /** Set when the job takes a standard slot; null for custom start/end times. */
    slot: slotName(),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    placeFeePence: integer().notNull(),
    requiredWorkers: integer().notNull(),
    /** Places held but not confirmed (reserved or receipt_submitted). */
    reservedCount: integer().notNull().default(0),
    confirmedCount: integer().notNull().default(0),
    status: crewJobStatus().notNull().default('draft'),
    /** The channel post, edited as places fill; channelPlacesLeft is what it last showed. */
    channelChatId: text(),
    channelMessageId: bigint({ mode: 'number' }),
    channelPlacesLeft: integer(),
    cancelReason: text(),
    createdByUserId: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('crew_jobs_places_chk', sql`${t.reservedCount} + ${t.confirmedCount} <= ${t.requiredWorkers}`),
    check('crew_jobs_counts_chk', sql`${t.reservedCount} >= 0 and ${t.confirmedCount} >= 0`),
    check('crew_jobs_workers_chk', sql`${t.requiredWorkers} between 1 and 100`),
    check('crew_jobs_fee_chk', sql`${t.placeFeePence} >= 0`),
    check('crew_jobs_time_chk', sql`${t.startsAt} < ${t.endsAt}`),
    index('crew_jobs_status_idx').on(t.status, t.startsAt),
  ],
);

/** The tasks every contractor on the crew must have among their skills. */
export const crewJobTasks = pgTable(
  'crew_job_tasks',
  {
    crewJobId: uuid()
      .notNull()
      .references(() => crewJobs.id, { onDelete: 'cascade' }),
    taskId: text()
      .notNull()
      .references(() => tasks.id),
  },
  (t) => [primaryKey({ columns: [t.crewJobId, t.taskId] })],
);

/** A contractor's place on a crew job: reserved -> receipt_submitted -> confirmed, or released. */
export const crewPlaces = pgTable(
  'crew_places',
  {
    id: uuid().primaryKey().defaultRandom(),
    crewJobId: uuid()
      .notNull()
      .references(() => crewJobs.id, { onDelete: 'cascade' }),
    contractorId: uuid()
      .notNull()
      .references(() => contractors.id, { onDelete: 'cascade' }),
    status: crewPlaceStatus().notNull().default('reserved'),
    feePence: integer().notNull(),
    /** A retried reserve with the same key returns this place. */
    idempotencyKey: text(),
    /** An unpaid reservation lapses here. */
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    reminderSentAt: timestamp({ withTimezone: true }),
    receiptPath: text(),
    receiptMime: text(),
    receiptSubmittedAt: timestamp({ withTimezone: true }),
    reviewedBy: uuid().references(() => users.id),
    reviewedAt: timestamp({ withTimezone: true }),
    rejectReason: text(),
    endedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One live place per contractor per crew job.
    uniqueIndex('crew_places_one_live_uq')
      .on(t.crewJobId, t.contractorId)
      .where(sql`${t.status} in ${sqlList(LIVE, ', ')}`),
    uniqueIndex('crew_places_idempotency_uq').on(t.contractorId, t.idempotencyKey),
    index('crew_places_expiry_idx')
      .on(t.expiresAt)
      .where(sql`${t.status} = 'reserved'`),
    index('crew_places_job_idx').on(t.crewJobId, t.status),
    index('crew_places_review_idx').on(t.status, t.receiptSubmittedAt),
    check('crew_places_reject_reason_chk', sql`${t.status} <> 'rejected' or ${t.rejectReason} is not null`),
    check('crew_places_receipt_chk', sql`${t.status} <> 'receipt_submitted' or ${t.receiptPath} is not null`),
  ],
);

/** One-time codes that link a Telegram chat to a user (contractor or staff); only a hash is kept. */
export const telegramLinkCodes = pgTable(
  'telegram_link_codes',
  {
    codeHash: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('telegram_link_codes_user_idx').on(t.userId)],
);
