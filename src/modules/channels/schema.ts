import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { outboxChannel } from '../notifications/schema.js';

export type StoredMedia = { path: string; mime: string; kind: 'photo' | 'video' | 'audio' | 'file'; sizeBytes?: number; videoId?: string };

/**
 * What the embedded providers received (no real provider configured): the local SMTP server, the
 * local Twilio and Telegram stand-ins. Staff read it as the "Messages" mailbox. A provider id seen
 * twice (an SMTP retry with the same Message-ID) is kept once.
 */
export const capturedMessages = pgTable(
  'captured_messages',
  {
    id: uuid().primaryKey().defaultRandom(),
    channel: outboxChannel().notNull(),
    to: text().notNull(),
    from: text(),
    subject: text(),
    text: text(),
    html: text(),
    links: jsonb().$type<string[]>().notNull().default([]),
    providerId: text().notNull(),
    /** WhatsApp template sends: the approved template and its variables. */
    meta: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('captured_provider_uq').on(t.channel, t.providerId), index('captured_to_idx').on(t.to, t.createdAt)],
);

/** Messages people sent us (SMS, WhatsApp, Telegram, voicemail), each in a lead's conversation. */
export const inboundMessages = pgTable(
  'inbound_messages',
  {
    id: uuid().primaryKey().defaultRandom(),
    leadId: uuid(),
    channel: text().notNull(),
    from: text().notNull(),
    body: text().notNull().default(''),
    media: jsonb().$type<StoredMedia[]>().notNull().default([]),
    /** MessageSid, CallSid or Telegram chat:message: a retried webhook finds it and changes nothing. */
    providerId: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('inbound_provider_uq').on(t.channel, t.providerId),
    index('inbound_lead_idx').on(t.leadId, t.createdAt),
    index('inbound_from_idx').on(t.from, t.createdAt),
  ],
);

/** Provider events already applied (Telegram update_id, Twilio status callbacks, call events). */
export const inboundEvents = pgTable(
  'inbound_events',
  {
    provider: text().notNull(),
    eventId: text().notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.eventId] })],
);

/** Phone calls: one row per CallSid; a voicemail becomes a lead, a missed call an invitation. */
export const inboundCalls = pgTable(
  'inbound_calls',
  {
    callSid: text().primaryKey(),
    from: text().notNull(),
    leadId: uuid(),
    recordingSid: text(),
    recordingPath: text(),
    transcript: text(),
    /** answered (voicemail offered), recorded, missed (no message left). */
    outcome: text().notNull().default('answered'),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('inbound_calls_from_idx').on(t.from),
    index('inbound_calls_lead_idx')
      .on(t.leadId)
      .where(sql`${t.leadId} is not null`),
  ],
);
