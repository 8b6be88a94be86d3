import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bookings } from '../bookings/schema.js';
import { contractors } from '../contractors/schema.js';

/** Photos a contractor takes of a job (before, during, after), checked by their bytes on upload. */
export const bookingPhotos = pgTable(
  'booking_photos',
  {
    id: uuid().primaryKey().defaultRandom(),
    bookingId: uuid()
      .notNull()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    contractorId: uuid()
      .notNull()
      .references(() => contractors.id, { onDelete: 'cascade' }),
    path: text().notNull(),
    mime: text().notNull(),
    bytes: integer().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('booking_photos_booking_idx').on(t.bookingId), check('booking_photos_bytes_chk', sql`${t.bytes} > 0`)],
);

/** The contractor's notes on completing a job: one per booking, written with the completion. */
export const bookingReports = pgTable(
  'booking_reports',
  {
    bookingId: uuid()
      .primaryKey()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    contractorId: uuid()
      .notNull()
      .references(() => contractors.id, { onDelete: 'cascade' }),
    notes: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('booking_reports_notes_chk', sql`length(${t.notes}) between 1 and 4000`)],
);
