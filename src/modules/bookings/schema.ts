import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { contractors } from '../contractors/schema.js';
import { jobs } from '../jobs/schema.js';
import { users } from '../auth/schema.js';
import { quotes } from '../quotes/schema.js';
import { sqlList } from '../../db/sql-list.js';
import { SLOTS } from '../../shared/slots.js';
import { ACTIVE_STATUSES, BOOKING_STATUSES } from './booking-status.js';

export const slotName = pgEnum('slot_name', SLOTS);
export const claimKind = pgEnum('claim_kind', ['hold', 'booking']);
export const bookingStatus = pgEnum('booking_status', BOOKING_STATUSES);
const ACTIVE = sqlList(ACTIVE_STATUSES);
export const paymentStatus = pgEnum('payment_status', ['pending', 'paid', 'refunded', 'not_required', 'awaiting_receipt']);
export const cancellationCause = pgEnum('cancellation_cause', ['customer', 'contractor', 'business', 'no_show', 'payment_not_received']);

/**
 * The double-booking guard. One row per (contractor, date, slot) that is taken, either by a
 * customer's hold (expires) or by an active booking. The UNIQUE key makes a second claim of the
 * same contractor slot impossible whatever the application does; expired holds are deleted in the
 * same transaction that claims over them, and by the sweeper.
 */
export const slotClaims = pgTable(
  'slot_claims',
  {
    id: uuid().primaryKey().defaultRandom(),
    contractorId: uuid()
      .notNull()
      .references(() => contractors.id, { onDelete: 'cascade' }),
    date: date({ mode: 'string' }).notNull(),
    slot: slotName().notNull(),
    kind: claimKind().notNull(),
    jobId: uuid()
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    /**
     * Which visit of the job (0 for a job one contractor does). A job whose primary tasks span
     * trades nobody covers alone is split into one visit per trade, each its own contractor, same slot.
     */
    visit: smallint().notNull().default(0),
    /** The customer session holding it (holds only). */
    sessionId: text(),
    expiresAt: timestamp({ withTimezone: true }),
    matchScore: integer(),
    /** Every candidate scored when this contractor was picked, for job_matching_history. */
    candidates: jsonb().$type<unknown[]>(),
    /**
     * Or, for a customer's hold, the stored ranking (matching_rankings) those candidates are in:
     * a hold refers to it rather than copying it, and checkout copies it into the history. No
     * foreign key: every hold of a storm would share-lock the same ranking row. The sweeper keeps
     * a ranking while a hold refers to it.
     */
    rankingId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('slot_claims_contractor_slot_uq').on(t.contractorId, t.date, t.slot),
    // Target of bookings' composite foreign key: a booking can only own a claim of kind 'booking'
    // for its own contractor, date and slot.
    unique('slot_claims_identity_uq').on(t.id, t.contractorId, t.date, t.slot, t.kind),
    uniqueIndex('slot_claims_one_hold_per_session_uq')
      .on(t.jobId, t.sessionId, t.visit)
      .where(sql`${t.kind} = 'hold'`),
    check('slot_claims_visit_chk', sql`${t.visit} between 0 and 5`),
    index('slot_claims_date_idx').on(t.date, t.slot),
    check(
      'slot_claims_kind_chk',
      sql`(${t.kind} = 'hold' and ${t.sessionId} is not null and ${t.expiresAt} is not null)
          or (${t.kind} = 'booking' and ${t.expiresAt} is null)`,
    ),
  ],
);

export const bookings = pgTable(
  'bookings',
  {
    id: uuid().primaryKey().defaultRandom(),
    jobId: uuid()
      .notNull()
      .references(() => jobs.id),
    /** The visit of the job this booking serves (see slot_claims.visit). */
    visit: smallint().notNull().default(0),
    contractorId: uuid()
      .notNull()
      .references(() => contractors.id),
    /** The slot claim an active booking owns; cleared when the booking stops blocking. */
    claimId: uuid(),
    claimKind: claimKind().notNull().default('booking'),
    date: date({ mode: 'string' }).notNull(),
    slot: slotName().notNull(),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    status: bookingStatus().notNull().default('pending_confirmation'),
    paymentStatus: paymentStatus().notNull().default('pending'),
    depositPence: integer(),
    /** 'customer' (checkout of a hold) or 'staff' (booked directly for a named contractor). */
    source: text().notNull(),
    /** The customer session whose hold became this booking. */
    sessionId: text(),
    /** The quote version the customer accepted (customer bookings from a quote link). */
    quoteId: uuid().references(() => quotes.id),
    createdByUserId: uuid().references(() => users.id),
    statusReason: text(),
    cancellationCause: cancellationCause(),
    customerRating: integer(),
    /** The customer's short review with their rating. */
    customerReview: text(),
    /**
     * Bank transfer: the receipt must arrive by then or the booking is cancelled and its slot
     * freed (SPEC). Cleared when a receipt arrives (the clock stops while staff review).
     */
    receiptDueAt: timestamp({ withTimezone: true }),
    receiptReminderSentAt: timestamp({ withTimezone: true }),
    confirmedAt: timestamp({ withTimezone: true }),
    startedAt: timestamp({ withTimezone: true }),
    completedAt: timestamp({ withTimezone: true }),
    cancelledAt: timestamp({ withTimezone: true }),
    declinedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: 'bookings_claim_fk',
      columns: [t.claimId, t.contractorId, t.date, t.slot, t.claimKind],
      foreignColumns: [slotClaims.id, slotClaims.contractorId, slotClaims.date, slotClaims.slot, slotClaims.kind],
    }),
    unique('bookings_claim_uq').on(t.claimId),
    check('bookings_claim_kind_chk', sql`${t.claimKind} = 'booking'`),
    check('bookings_active_owns_claim_chk', sql`(${t.status} in ${ACTIVE}) = (${t.claimId} is not null)`),
    check('bookings_window_chk', sql`${t.startsAt} < ${t.endsAt}`),
    check('bookings_rating_chk', sql`${t.customerRating} is null or ${t.customerRating} between 1 and 5`),
    check('bookings_deposit_chk', sql`${t.depositPence} is null or ${t.depositPence} >= 0`),
    // Second line of defence, independent of claims: no two active bookings per contractor slot.
    uniqueIndex('bookings_active_contractor_slot_uq')
      .on(t.contractorId, t.date, t.slot)
      .where(sql`${t.status} in ${ACTIVE}`),
    uniqueIndex('bookings_active_job_uq')
      .on(t.jobId, t.visit)
      .where(sql`${t.status} in ${ACTIVE}`),
    index('bookings_contractor_status_idx').on(t.contractorId, t.status),
    index('bookings_date_idx').on(t.date),
    index('bookings_receipt_due_idx')
      .on(t.receiptDueAt)
      .where(sql`${t.receiptDueAt} is not null`),
  ],
);

/** Audit trail of booking status changes. */
export const bookingEvents = pgTable(
  'booking_events',
  {
    id: uuid().primaryKey().defaultRandom(),
    bookingId: uuid()
      .notNull()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    fromStatus: bookingStatus(),
    toStatus: bookingStatus().notNull(),
    actor: text().notNull(),
    reason: text(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('booking_events_booking_idx').on(t.bookingId)],
);

export const jobMatchingHistory = pgTable(
  'job_matching_history',
  {
    id: uuid().primaryKey().defaultRandom(),
    bookingId: uuid().references(() => bookings.id, { onDelete: 'cascade' }),
    jobId: uuid()
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    contractorId: uuid()
      .notNull()
      .references(() => contractors.id, { onDelete: 'cascade' }),
    matchScore: integer().notNull(),
    breakdown: jsonb().notNull(),
    reasons: jsonb().$type<string[]>().notNull(),
    wasSelected: boolean().notNull().default(false),
    jobCompleted: boolean(),
    customerRating: integer(),
    notes: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('matching_history_contractor_idx').on(t.contractorId),
    index('matching_history_booking_idx').on(t.bookingId),
    check('matching_history_score_chk', sql`${t.matchScore} between 0 and 100`),
    check('matching_history_rating_chk', sql`${t.customerRating} is null or ${t.customerRating} between 1 and 5`),
  ],
);

// The status vocabulary the tables are built from, for other modules' queries (read at import time,
// so it comes from this leaf file rather than the module's index.ts).
export { ACTIVE_STATUSES, BOOKING_STATUSES } from './booking-status.js';
