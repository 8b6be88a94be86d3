import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './schema.js';

/**
 * One-time sign-in codes (6 digits, sent by SMS, WhatsApp, Telegram or email). Only an argon2id
 * hash of the code is kept, and the contact and client address only as SHA-256 hashes: a row is
 * written for every request, for unknown contacts too (user_id null), so the rate limits count
 * the same and the answer and its timing say nothing about which accounts exist.
 */
export const loginCodes = pgTable(
  'login_codes',
  {
    id: uuid().primaryKey().defaultRandom(),
    contactHash: text().notNull(),
    ipHash: text().notNull(),
    userId: uuid().references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text().notNull(),
    channel: text().notNull(),
    /** Wrong tries so far; at the limit the code is burnt. */
    attempts: integer().notNull().default(0),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    consumedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('login_codes_contact_idx').on(t.contactHash, t.createdAt),
    index('login_codes_ip_idx').on(t.ipHash, t.createdAt),
    check('login_codes_attempts_chk', sql`${t.attempts} >= 0`),
    check('login_codes_channel_chk', sql`${t.channel} in ('sms','whatsapp','telegram','email')`),
  ],
);
