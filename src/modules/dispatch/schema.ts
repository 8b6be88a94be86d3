import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../auth/schema.js';
import { bookings, slotName } from '../bookings/schema.js';
import { contractors } from '../contractors/schema.js';
import { jobs } from '../jobs/schema.js';
import { leads } from '../leads/schema.js';

export const dispatchStatus = pgEnum('dispatch_status', ['targeted', 'broadcast', 'assigned', 'unfilled', 'cancelled']);
export const offerKind = pgEnum('offer_kind', ['targeted', 'broadcast', 'request']);
export const offerPriority = pgEnum('offer_priority', ['high', 'normal']);
export const offerStatus = pgEnum('offer_status', ['offered', 'accepted', 'declined', 'expired', 'withdrawn']);
export const waitlistChannel = pgEnum('waitlist_channel', ['email', 'sms', 'whatsapp']);

/** An urgent job being offered: targeted offers first, then one broadcast, then flagged for staff. */
export const urgentDispatches = pgTable(
  'urgent_dispatches',
  {
    id: uuid().primaryKey().defaultRandom(),
    jobId: uuid()
      .notNull()
      .references(() => jobs.id),
    leadId: uuid().references(() => leads.id),
    status: dispatchStatus().notNull().default('targeted'),
    /** The slot the work falls in (today, the current or next window). */
    date: date({ mode: 'string' }).notNull(),
    slot: slotName().notNull(),
    assignedContractorId: uuid().references(() => contractors.id),
    bookingId: uuid().references(() => bookings.id),
    flaggedAt: timestamp({ withTimezone: true }),
    createdByUserId: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One live dispatch per job.
    uniqueIndex('dispatch_one_live_per_job_uq')
      .on(t.jobId)
      .where(sql`${t.status} in ('targeted','broadcast')`),
    check(
      'dispatch_assigned_chk',
      sql`(${t.status} = 'assigned') = (${t.assignedContractorId} is not null and ${t.bookingId} is not null)`,
    ),
  ],
);

export const offers = pgTable(
  'offers',
  {
    id: uuid().primaryKey().defaultRandom(),
    dispatchId: uuid()
      .notNull()
      .references(() => urgentDispatches.id, { onDelete: 'cascade' }),
    kind: offerKind().notNull(),
    /** Null for a broadcast: its recipients are in offer_recipients. */
    contractorId: uuid().references(() => contractors.id),
    priority: offerPriority().notNull(),
    status: offerStatus().notNull().default('offered'),
    matchScore: integer(),
    reasons: jsonb().$type<string[]>().notNull().default([]),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    respondedAt: timestamp({ withTimezone: true }),
    declineReason: text(),
    acceptedBy: uuid().references(() => contractors.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('offers_broadcast_chk', sql`(${t.kind} = 'broadcast') = (${t.contractorId} is null)`),
    uniqueIndex('offers_one_per_contractor_uq')
      .on(t.dispatchId, t.contractorId)
      .where(sql`${t.contractorId} is not null`),
    uniqueIndex('offers_one_broadcast_uq')
      .on(t.dispatchId)
      .where(sql`${t.kind} = 'broadcast'`),
    index('offers_contractor_open_idx').on(t.contractorId, t.status),
    index('offers_expiry_idx')
      .on(t.expiresAt)
      .where(sql`${t.status} = 'offered'`),
  ],
);

/** Who a broadcast went to, with their own score and reasons; a decline hides it from them only. */
export const offerRecipients = pgTable(
  'offer_recipients',
  {
    offerId: uuid()
      .notNull()
      .references(() => offers.id, { onDelete: 'cascade' }),
    contractorId: uuid()
      .notNull()
      .references(() => contractors.id, { onDelete: 'cascade' }),
    matchScore: integer().notNull(),
    reasons: jsonb().$type<string[]>().notNull(),
    declinedAt: timestamp({ withTimezone: true }),
    declineReason: text(),
  },
  (t) => [primaryKey({ columns: [t.offerId, t.contractorId] }), index('offer_recipients_contractor_idx').on(t.contractorId)],
);

/** Customers waiting for an urgent contractor to come on shift. */
export const waitlistEntries = pgTable(
  'waitlist_entries',
  {
    id: uuid().primaryKey().defaultRandom(),
    jobId: uuid()
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    channel: waitlistChannel().notNull(),
    contact: text().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    notifiedAt: timestamp({ withTimezone: true }),
    notifiedContractorId: uuid().references(() => contractors.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('waitlist_waiting_idx')
      .on(t.expiresAt)
      .where(sql`${t.notifiedAt} is null`),
  ],
);
