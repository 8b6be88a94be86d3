CREATE TYPE "public"."crew_job_status" AS ENUM('draft', 'open', 'full', 'in_progress', 'completed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."crew_place_status" AS ENUM('reserved', 'receipt_submitted', 'confirmed', 'rejected', 'cancelled', 'expired');--> statement-breakpoint
CREATE TABLE "crew_job_tasks" (
	"crew_job_id" uuid NOT NULL,
	"task_id" text NOT NULL,
	CONSTRAINT "crew_job_tasks_crew_job_id_task_id_pk" PRIMARY KEY("crew_job_id","task_id")
);
--> statement-breakpoint
CREATE TABLE "crew_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"postcode" text NOT NULL,
	"outcode" text NOT NULL,
	"latitude" double precision NOT NULL,
	"longitude" double precision NOT NULL,
	"date" date NOT NULL,
	"slot" "slot_name",
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"place_fee_pence" integer NOT NULL,
	"required_workers" integer NOT NULL,
	"reserved_count" integer DEFAULT 0 NOT NULL,
	"confirmed_count" integer DEFAULT 0 NOT NULL,
	"status" "crew_job_status" DEFAULT 'draft' NOT NULL,
	"channel_chat_id" text,
	"channel_message_id" bigint,
	"channel_places_left" integer,
	"cancel_reason" text,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "crew_jobs_places_chk" CHECK ("crew_jobs"."reserved_count" + "crew_jobs"."confirmed_count" <= "crew_jobs"."required_workers"),
	CONSTRAINT "crew_jobs_counts_chk" CHECK ("crew_jobs"."reserved_count" >= 0 and "crew_jobs"."confirmed_count" >= 0),
	CONSTRAINT "crew_jobs_workers_chk" CHECK ("crew_jobs"."required_workers" between 1 and 100),
	CONSTRAINT "crew_jobs_fee_chk" CHECK ("crew_jobs"."place_fee_pence" >= 0),
	CONSTRAINT "crew_jobs_time_chk" CHECK ("crew_jobs"."starts_at" < "crew_jobs"."ends_at")
);
--> statement-breakpoint
CREATE TABLE "crew_places" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"crew_job_id" uuid NOT NULL,
	"contractor_id" uuid NOT NULL,
	"status" "crew_place_status" DEFAULT 'reserved' NOT NULL,
	"fee_pence" integer NOT NULL,
	"idempotency_key" text,
	"expires_at" timestamp with time zone NOT NULL,
	"reminder_sent_at" timestamp with time zone,
	"receipt_path" text,
	"receipt_mime" text,
	"receipt_submitted_at" timestamp with time zone,
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone,
	"reject_reason" text,
	"ended_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "crew_places_reject_reason_chk" CHECK ("crew_places"."status" <> 'rejected' or "crew_places"."reject_reason" is not null),
	CONSTRAINT "crew_places_receipt_chk" CHECK ("crew_places"."status" <> 'receipt_submitted' or "crew_places"."receipt_path" is not null)
);
--> statement-breakpoint
CREATE TABLE "telegram_link_codes" (
	"code_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "contractors" ADD COLUMN "telegram_chat_id" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "telegram_chat_id" text;--> statement-breakpoint
ALTER TABLE "crew_job_tasks" ADD CONSTRAINT "crew_job_tasks_crew_job_id_crew_jobs_id_fk" FOREIGN KEY ("crew_job_id") REFERENCES "public"."crew_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crew_job_tasks" ADD CONSTRAINT "crew_job_tasks_task_id_contractor_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."contractor_tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crew_jobs" ADD CONSTRAINT "crew_jobs_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crew_places" ADD CONSTRAINT "crew_places_crew_job_id_crew_jobs_id_fk" FOREIGN KEY ("crew_job_id") REFERENCES "public"."crew_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crew_places" ADD CONSTRAINT "crew_places_contractor_id_contractors_id_fk" FOREIGN KEY ("contractor_id") REFERENCES "public"."contractors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crew_places" ADD CONSTRAINT "crew_places_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "telegram_link_codes" ADD CONSTRAINT "telegram_link_codes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "crew_jobs_status_idx" ON "crew_jobs" USING btree ("status","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "crew_places_one_live_uq" ON "crew_places" USING btree ("crew_job_id","contractor_id") WHERE "crew_places"."status" in ('reserved', 'receipt_submitted', 'confirmed');--> statement-breakpoint
CREATE UNIQUE INDEX "crew_places_idempotency_uq" ON "crew_places" USING btree ("contractor_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "crew_places_expiry_idx" ON "crew_places" USING btree ("expires_at") WHERE "crew_places"."status" = 'reserved';--> statement-breakpoint
CREATE INDEX "crew_places_job_idx" ON "crew_places" USING btree ("crew_job_id","status");--> statement-breakpoint
CREATE INDEX "crew_places_review_idx" ON "crew_places" USING btree ("status","receipt_submitted_at");--> statement-breakpoint
CREATE INDEX "telegram_link_codes_user_idx" ON "telegram_link_codes" USING btree ("user_id");--> statement-breakpoint
ALTER TABLE "contractors" ADD CONSTRAINT "contractors_telegramChatId_unique" UNIQUE("telegram_chat_id");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_telegramChatId_unique" UNIQUE("telegram_chat_id");