import { bigserial, doublePrecision, index, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { jobs } from '../jobs/schema.js';
import { LEAD_STATES } from './lead-states.js';

export const leadSource = pgEnum('lead_source', ['call', 'whatsapp', 'telegram', 'web', 'manual']);
export const customerType = pgEnum('customer_type', ['homeowner', 'landlord', 'pm', 'commercial']);
export const leadState = pgEnum('lead_state', LEAD_STATES);

export const leads = pgTable(
  'leads',
  {
    id: uuid().primaryKey().defaultRandom(),
    source: leadSource().notNull(),
    customerName: text().notNull(),
    phone: text(),
    email: text(),
    postcode: text().notNull(),
    outcode: text().notNull(),
    latitude: doublePrecision().notNull(),
    longitude: doublePrecision().notNull(),
    address: text(),
    customerType: customerType().notNull().default('homeowner'),
    description: text().notNull(),
    state: leadState().notNull().default('created'),
    stateChangedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** The job spec (location + task requirements) the scheduling engine reads. */
    jobId: uuid()
      .notNull()
      .references(() => jobs.id),
    /** SHA-256 (hex) of the video upload link's token (derived from APP_SECRET, never stored). */
    videoTokenHash: text().unique(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('leads_state_idx').on(t.state, t.stateChangedAt), index('leads_job_idx').on(t.jobId)],
);

export const leadHistory = pgTable(
  'lead_history',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Insertion order: several moves in one transaction share a timestamp. */
    seq: bigserial({ mode: 'number' }).notNull(),
    leadId: uuid()
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    fromState: leadState(),
    toState: leadState().notNull(),
    actor: text().notNull(),
    reason: text(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('lead_history_lead_idx').on(t.leadId, t.seq)],
);
