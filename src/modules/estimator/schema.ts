import { sql } from 'drizzle-orm';
import { index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../auth/schema.js';
import { leads } from '../leads/schema.js';

export const estimatorItemStatus = pgEnum('estimator_item_status', ['queued', 'claimed', 'completed', 'cancelled']);

export const estimatorQueue = pgTable(
  'estimator_queue',
  {
    id: uuid().primaryKey().defaultRandom(),
    leadId: uuid()
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    priority: integer().notNull().default(0),
    reason: text(),
    status: estimatorItemStatus().notNull().default('queued'),
    assignedTo: uuid().references(() => users.id),
    claimedAt: timestamp({ withTimezone: true }),
    /** Last time the estimator did something with it; reminders key off this. */
    touchedAt: timestamp({ withTimezone: true }),
    lastReminderAt: timestamp({ withTimezone: true }),
    escalatedAt: timestamp({ withTimezone: true }),
    completedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One open item per lead.
    uniqueIndex('estimator_one_open_per_lead_uq')
      .on(t.leadId)
      .where(sql`${t.status} in ('queued','claimed')`),
    index('estimator_queue_order_idx').on(t.status, t.priority, t.createdAt),
  ],
);
