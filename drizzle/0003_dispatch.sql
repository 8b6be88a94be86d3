CREATE TYPE "public"."dispatch_status" AS ENUM('targeted', 'broadcast', 'assigned', 'unfilled', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."offer_kind" AS ENUM('targeted', 'broadcast', 'request');--> statement-breakpoint
CREATE TYPE "public"."offer_priority" AS ENUM('high', 'normal');--> statement-breakpoint
CREATE TYPE "public"."offer_status" AS ENUM('offered', 'accepted', 'declined', 'expired', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."waitlist_channel" AS ENUM('email', 'sms', 'whatsapp');--> statement-breakpoint
CREATE TABLE "offer_recipients" (
	"offer_id" uuid NOT NULL,
	"contractor_id" uuid NOT NULL,
	"match_score" integer NOT NULL,
	"reasons" jsonb NOT NULL,
	"declined_at" timestamp with time zone,
	"decline_reason" text,
	CONSTRAINT "offer_recipients_offer_id_contractor_id_pk" PRIMARY KEY("offer_id","contractor_id")
);
--> statement-breakpoint
CREATE TABLE "offers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dispatch_id" uuid NOT NULL,
	"kind" "offer_kind" NOT NULL,
	"contractor_id" uuid,
	"priority" "offer_priority" NOT NULL,
	"status" "offer_status" DEFAULT 'offered' NOT NULL,
	"match_score" integer,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"responded_at" timestamp with time zone,
	"decline_reason" text,
	"accepted_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "offers_broadcast_chk" CHECK (("offers"."kind" = 'broadcast') = ("offers"."contractor_id" is null))
);
--> statement-breakpoint
CREATE TABLE "urgent_dispatches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"job_id" uuid NOT NULL,
	"lead_id" uuid,
	"status" "dispatch_status" DEFAULT 'targeted' NOT NULL,
	"date" date NOT NULL,
	"slot" "slot_name" NOT NULL,
	"assigned_contractor_id" uuid,
	"booking_id" uuid,
	"flagged_at" timestamp with time zone,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dispatch_assigned_chk" CHECK (("urgent_dispatches"."status" = 'assigned') = ("urgent_dispatches"."assigned_contractor_id" is not null and "urgent_dispatches"."booking_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "waitlist_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"job_id" uuid NOT NULL,
	"channel" "waitlist_channel" NOT NULL,
	"contact" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"notified_at" timestamp with time zone,
	"notified_contractor_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "offer_recipients" ADD CONSTRAINT "offer_recipients_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_recipients" ADD CONSTRAINT "offer_recipients_contractor_id_contractors_id_fk" FOREIGN KEY ("contractor_id") REFERENCES "public"."contractors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_dispatch_id_urgent_dispatches_id_fk" FOREIGN KEY ("dispatch_id") REFERENCES "public"."urgent_dispatches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_contractor_id_contractors_id_fk" FOREIGN KEY ("contractor_id") REFERENCES "public"."contractors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_accepted_by_contractors_id_fk" FOREIGN KEY ("accepted_by") REFERENCES "public"."contractors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "urgent_dispatches" ADD CONSTRAINT "urgent_dispatches_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "urgent_dispatches" ADD CONSTRAINT "urgent_dispatches_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "urgent_dispatches" ADD CONSTRAINT "urgent_dispatches_assigned_contractor_id_contractors_id_fk" FOREIGN KEY ("assigned_contractor_id") REFERENCES "public"."contractors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "urgent_dispatches" ADD CONSTRAINT "urgent_dispatches_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "urgent_dispatches" ADD CONSTRAINT "urgent_dispatches_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waitlist_entries" ADD CONSTRAINT "waitlist_entries_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waitlist_entries" ADD CONSTRAINT "waitlist_entries_notified_contractor_id_contractors_id_fk" FOREIGN KEY ("notified_contractor_id") REFERENCES "public"."contractors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "offer_recipients_contractor_idx" ON "offer_recipients" USING btree ("contractor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "offers_one_per_contractor_uq" ON "offers" USING btree ("dispatch_id","contractor_id") WHERE "offers"."contractor_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "offers_one_broadcast_uq" ON "offers" USING btree ("dispatch_id") WHERE "offers"."kind" = 'broadcast';--> statement-breakpoint
CREATE INDEX "offers_contractor_open_idx" ON "offers" USING btree ("contractor_id","status");--> statement-breakpoint
CREATE INDEX "offers_expiry_idx" ON "offers" USING btree ("expires_at") WHERE "offers"."status" = 'offered';--> statement-breakpoint
CREATE UNIQUE INDEX "dispatch_one_live_per_job_uq" ON "urgent_dispatches" USING btree ("job_id") WHERE "urgent_dispatches"."status" in ('targeted','broadcast');--> statement-breakpoint
CREATE INDEX "waitlist_waiting_idx" ON "waitlist_entries" USING btree ("expires_at") WHERE "waitlist_entries"."notified_at" is null;