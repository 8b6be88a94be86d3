import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../auth/schema.js';
import { customerType, leads } from '../leads/schema.js';
import type { LineItem, Selection, Tier } from './pricing.js';

export const quoteStyle = pgEnum('quote_style', ['fixed', 'fixed_optionals', 'hhh']);

export const quotes = pgTable(
  'quotes',
  {
    id: uuid().primaryKey().defaultRandom(),
    leadId: uuid()
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    version: integer().notNull(),
    style: quoteStyle().notNull(),
    lineItems: jsonb().$type<LineItem[]>().notNull(),
    optionalItems: jsonb().$type<LineItem[]>().notNull(),
    tiers: jsonb().$type<Tier[]>().notNull(),
    /** Snapshot of the lead's customer type when priced. */
    customerType: customerType().notNull(),
    depositPercent: integer().notNull().default(20),
    /** The customer's current choice (tier, optional items) and its server-computed price. */
    selection: jsonb().$type<Selection>().notNull(),
    totalPence: integer().notNull(),
    depositPence: integer().notNull(),
    /**
     * SHA-256 (hex) of the short link's token (144 bits, derived from APP_SECRET and the quote id):
     * links are looked up by it; the token itself is never stored.
     */
    tokenHash: text().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    supersededAt: timestamp({ withTimezone: true }),
    sentAt: timestamp({ withTimezone: true }),
    viewedAt: timestamp({ withTimezone: true }),
    acceptedAt: timestamp({ withTimezone: true }),
    createdBy: text().notNull(),
    createdByUserId: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('quotes_token_hash_uq').on(t.tokenHash),
    uniqueIndex('quotes_lead_version_uq').on(t.leadId, t.version),
    index('quotes_lead_idx').on(t.leadId),
    check('quotes_money_chk', sql`${t.totalPence} >= 0 and ${t.depositPence} >= 0 and ${t.depositPence} <= ${t.totalPence}`),
    check('quotes_deposit_pct_chk', sql`${t.depositPercent} between 0 and 100`),
    check('quotes_created_by_chk', sql`${t.createdBy} in ('system','va','estimator','admin')`),
  ],
);
