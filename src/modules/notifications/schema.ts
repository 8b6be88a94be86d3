import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const outboxChannel = pgEnum('outbox_channel', ['email', 'sms', 'whatsapp', 'telegram', 'staff']);
export const outboxStatus = pgEnum('outbox_status', ['pending', 'sending', 'sent', 'delivered', 'read', 'failed', 'cancelled']);

/**
 * Messages to send, written in the same transaction as the change that caused them, then
 * delivered by the worker (`deliver-messages.ts`) with retries and backoff. `template` is the
 * message type; `payload` its data; the text is rendered when it is sent.
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
    /** Who it is for, so a lead's conversation and a contractor's messages can be listed. */
    leadId: uuid(),
    contractorId: uuid(),
    status: outboxStatus().notNull().default('pending'),
    attempts: integer().notNull().default(0),
    /** When the next attempt is due (pending) or when a claim lapses (sending). */
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastError: text(),
    /** The provider's id for the sent message (SMTP Message-ID, Twilio SID, Telegram chat:message). */
    providerId: text(),
    /** The provider's own delivery status (Twilio callbacks: delivered, read, undelivered ...). */
    providerStatus: text(),
    /** Channels still to try, in order, if this one fails for good: [{channel, recipient}]. */
    fallbacks: jsonb().$type<{ channel: string; recipient: string }[]>().notNull().default([]),
    /** The message this one replaces after its channel failed for good. */
    fallbackOf: uuid(),
    /** At most one message per key (e.g. one day-before reminder per booking and person). */
    dedupeKey: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp({ withTimezone: true }),
    deliveredAt: timestamp({ withTimezone: true }),
    failedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('outbox_unsent_idx').on(t.createdAt),
    index('outbox_subject_idx').on(t.subject),
    index('outbox_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} in ('pending', 'sending')`),
    index('outbox_status_idx').on(t.status, t.createdAt),
    index('outbox_lead_idx').on(t.leadId),
    uniqueIndex('outbox_dedupe_uq').on(t.dedupeKey),
    uniqueIndex('outbox_provider_uq').on(t.channel, t.providerId),
    check('outbox_attempts_chk', sql`${t.attempts} >= 0`),
  ],
);

/** How a person wants to be reached: one row per lead or contractor that said so (or was inferred). */
export const messagePreferences = pgTable(
  'message_preferences',
  {
    id: uuid().primaryKey().defaultRandom(),
    leadId: uuid().unique(),
    contractorId: uuid().unique(),
    channel: outboxChannel().notNull(),
    /** A lead who wrote to the Telegram bot: the chat to answer in. */
    telegramChatId: text(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('message_preferences_owner_chk', sql`(${t.leadId} is null) <> (${t.contractorId} is null)`)],
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
