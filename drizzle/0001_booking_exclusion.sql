-- Constraints drizzle's schema language cannot express.
-- Slots are discrete, so the UNIQUE keys on slot_claims and bookings are the primary guard. This
-- EXCLUDE constraint guards the same invariant by time range, so it keeps holding on the day
-- bookings of other lengths arrive: no contractor has two active bookings that overlap in time.
CREATE EXTENSION IF NOT EXISTS btree_gist;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_no_overlap_excl"
  EXCLUDE USING gist ("contractor_id" WITH =, tstzrange("starts_at", "ends_at") WITH &&)
  WHERE ("status" in ('pending_confirmation','confirmed','in_progress'));
