import { index, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const outboxChannel = pgEnum('outbox_channel', ['email', 'sms', 'whatsapp', 'telegram', 'staff']);

/**
 * Messages to send, written in the same transaction as the change that caused them. The
 * notifications worker (a later issue) delivers them with retries; nothing is lost meanwhile.
 */
export const outboxMessages = pgTable(
  'outbox_messages',
  {
    id: uuid().primaryKey().defaultRandom(),
    channel: outboxChannel().notNull(),
    recipient: text().notNull(),
    template: text().notNull(),
    payload: jsonb().notNull(),
    /** What caused it, e.g. quote:<id>. */
    subject: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('outbox_unsent_idx').on(t.createdAt), index('outbox_subject_idx').on(t.subject)],
);

/** Domain events, one per state change, written with it: the feed side effects react to. */
export const domainEvents = pgTable(
  'domain_events',
  {
    id: uuid().primaryKey().defaultRandom(),
    type: text().notNull(),
    aggregateId: uuid().notNull(),
    payload: jsonb().notNull(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('domain_events_aggregate_idx').on(t.aggregateId)],
);
