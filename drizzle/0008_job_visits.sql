DROP INDEX "bookings_active_job_uq";--> statement-breakpoint
DROP INDEX "slot_claims_one_hold_per_session_uq";--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "visit" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "slot_claims" ADD COLUMN "visit" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "bookings_active_job_uq" ON "bookings" USING btree ("job_id","visit") WHERE "bookings"."status" in ('pending_confirmation','confirmed','in_progress');--> statement-breakpoint
CREATE UNIQUE INDEX "slot_claims_one_hold_per_session_uq" ON "slot_claims" USING btree ("job_id","session_id","visit") WHERE "slot_claims"."kind" = 'hold';--> statement-breakpoint
ALTER TABLE "slot_claims" ADD CONSTRAINT "slot_claims_visit_chk" CHECK ("slot_claims"."visit" between 0 and 5);