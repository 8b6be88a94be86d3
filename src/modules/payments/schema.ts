import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../auth/schema.js';
import { bookings, slotName } from '../bookings/schema.js';
import { jobs } from '../jobs/schema.js';
import { quotes } from '../quotes/schema.js';

export const paymentKind = pgEnum('payment_kind', ['card', 'manual']);
export const paymentState = pgEnum('payment_state', [
  'requires_payment',
  'awaiting_receipt',
  'pending_review',
  'succeeded',
  'failed',
  'cancelled',
  'rejected',
  'refunded',
]);

/** Every deposit attempt, card or bank transfer: the ledger staff read per booking. */
export const payments = pgTable(
  'payments',
  {
    id: uuid().primaryKey().defaultRandom(),
    kind: paymentKind().notNull(),
    status: paymentState().notNull(),
    amountPence: integer().notNull(),
    currency: text().notNull().default('gbp'),
    jobId: uuid()
      .notNull()
      .references(() => jobs.id),
    quoteId: uuid().references(() => quotes.id),
    bookingId: uuid().references(() => bookings.id),
    /** The checkout session and the slot it held, so a late success can re-hold the same slot. */
    sessionId: text().notNull(),
    date: date({ mode: 'string' }).notNull(),
    slot: slotName().notNull(),
    providerRef: text(),
    clientSecret: text(),
    receiptPath: text(),
    receiptMime: text(),
    reviewedBy: uuid().references(() => users.id),
    reviewedAt: timestamp({ withTimezone: true }),
    rejectReason: text(),
    escalatedAt: timestamp({ withTimezone: true }),
    /** Why staff must look (e.g. paid after the slot was gone). */
    flag: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('payments_amount_chk', sql`${t.amountPence} > 0`),
    uniqueIndex('payments_provider_ref_uq').on(t.providerRef),
    // One open card attempt per checkout session: concurrent checkouts share it.
    uniqueIndex('payments_one_open_card_uq')
      .on(t.jobId, t.sessionId)
      .where(sql`${t.kind} = 'card' and ${t.status} = 'requires_payment'`),
    index('payments_booking_idx').on(t.bookingId),
    index('payments_review_idx').on(t.status, t.createdAt),
  ],
);

export const refunds = pgTable(
  'refunds',
  {
    id: uuid().primaryKey().defaultRandom(),
    paymentId: uuid()
      .notNull()
      .references(() => payments.id),
    amountPence: integer().notNull(),
    reason: text().notNull(),
    status: text().notNull(),
    providerRef: text(),
    error: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('refunds_amount_chk', sql`${t.amountPence} > 0`), uniqueIndex('refunds_one_per_payment_uq').on(t.paymentId)],
);

/** Provider webhook events, recorded once each: a replay finds its id here and changes nothing. */
export const webhookEvents = pgTable('webhook_events', {
  id: text().primaryKey(),
  type: text().notNull(),
  paymentId: uuid().references(() => payments.id),
  payload: jsonb().notNull(),
  outcome: text(),
  receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** Idempotency-Key records: the first response to a key is replayed to every retry. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    scope: text().notNull(),
    key: text().notNull(),
    requestHash: text().notNull(),
    statusCode: integer(),
    response: jsonb(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index('idempotency_created_idx').on(t.createdAt)],
);
