import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { contractors } from '../contractors/schema.js';
import { ROLES } from './principal.js';

export const userRole = pgEnum('user_role', ROLES);

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
    passwordChangedAt: timestamp({ withTimezone: true }),
    /** TOTP secret, AES-256-GCM encrypted with a key derived from APP_SECRET; set at enrolment. */
    totpSecretEnc: text(),
    /** Set when the user proved a code from the enrolled secret: from then on sign-in asks for one. */
    totpEnabledAt: timestamp({ withTimezone: true }),
    /** The last TOTP time step accepted: a code is good once. */
    totpLastStep: bigint({ mode: 'number' }),
  },
  (t) => [
    check('users_totp_enabled_has_secret_chk', sql`${t.totpEnabledAt} is null or ${t.totpSecretEnc} is not null`),
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
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Absolute end of the session. */
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Idle timeout: the session ends SESSION_IDLE_MINUTES after this. */
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** An admin without two-factor: the session may only enrol it (and sign out). */
    mfaEnrolmentOnly: boolean().notNull().default(false),
  },
  (t) => [index('user_sessions_user_idx').on(t.userId), index('user_sessions_expiry_idx').on(t.expiresAt)],
);

/** One-time recovery codes for staff two-factor (SHA-256 only); each works once. */
export const mfaRecoveryCodes = pgTable(
  'mfa_recovery_codes',
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text().notNull(),
    usedAt: timestamp({ withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.codeHash] })],
);

/** Password accepted, second factor outstanding: a short-lived ticket for the code step. */
export const mfaChallenges = pgTable(
  'mfa_challenges',
  {
    tokenHash: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    attempts: integer().notNull().default(0),
    /** How the first step was passed ('password' or 'code'), for the sign-in audit record. */
    firstFactor: text().notNull().default('password'),
  },
  (t) => [index('mfa_challenges_user_idx').on(t.userId)],
);

/**
 * rate-limiter-flexible's RateLimiterPostgres table (its own layout): login throttling and other
 * limits shared by every process. `expire` is epoch milliseconds.
 */
export const rateLimits = pgTable('rate_limits', {
  key: varchar({ length: 255 }).primaryKey(),
  points: integer().notNull().default(0),
  expire: bigint({ mode: 'number' }),
});

/**
 * Customer one-time codes (6 digits, sent through the outbox) that confirm a cancel or reschedule
 * made through a customer link. Only an HMAC of the code is kept; wrong tries are counted per code.
 */
export const customerCodes = pgTable(
  'customer_codes',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** What the code unlocks, e.g. quote:<id> or job:<id>. */
    subject: text().notNull(),
    purpose: text().notNull(),
    codeHash: text().notNull(),
    attempts: integer().notNull().default(0),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    index('customer_codes_subject_idx').on(t.subject, t.purpose, t.createdAt),
    check('customer_codes_purpose_chk', sql`${t.purpose} in ('cancel', 'reschedule')`),
    check('customer_codes_attempts_chk', sql`${t.attempts} >= 0`),
  ],
);
