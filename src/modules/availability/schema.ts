import { date, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Days the business takes no bookings at all (bank holidays, shutdowns). */
export const businessClosures = pgTable('business_closures', {
  date: date({ mode: 'string' }).primaryKey(),
  reason: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
