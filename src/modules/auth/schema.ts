import { sql } from 'drizzle-orm';
import { boolean, check, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { contractors } from '../contractors/schema.js';

export const userRole = pgEnum('user_role', ['admin', 'va', 'estimator', 'contractor']);

export const users = pgTable(
  'users',
  {
    id: uuid().primaryKey().defaultRandom(),
    email: text().notNull(),
    name: text().notNull(),
    passwordHash: text().notNull(),
    role: userRole().notNull(),
    contractorId: uuid().references(() => contractors.id, { onDelete: 'cascade' }),
    isActive: boolean().notNull().default(true),
    /** A staff member's private chat with the bot, linked by a one-time code. */
    telegramChatId: text().unique(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_email_uq').on(sql`lower(${t.email})`),
    uniqueIndex('users_contractor_uq').on(t.contractorId),
    check('users_contractor_role_chk', sql`(${t.role} = 'contractor') = (${t.contractorId} is not null)`),
  ],
);

/** Server-side sessions; only a SHA-256 of the bearer token is stored. */
export const userSessions = pgTable(
  'user_sessions',
  {
    tokenHash: text().primaryKey(),
    userId: uuid().notNull().references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('user_sessions_user_idx').on(t.userId), index('user_sessions_expiry_idx').on(t.expiresAt)],
);
