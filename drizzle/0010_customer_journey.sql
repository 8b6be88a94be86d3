ALTER TYPE "public"."cancellation_cause" ADD VALUE 'payment_not_received';--> statement-breakpoint
ALTER TYPE "public"."payment_status" ADD VALUE 'awaiting_receipt';--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "customer_review" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "receipt_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "receipt_reminder_sent_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "bookings_receipt_due_idx" ON "bookings" USING btree ("receipt_due_at") WHERE "bookings"."receipt_due_at" is not null;