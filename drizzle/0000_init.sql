CREATE TYPE "public"."certification_type" AS ENUM('gas_safe', 'part_p', 'niceic', 'other');--> statement-breakpoint
CREATE TYPE "public"."skill_confidence" AS ENUM('expert', 'capable');--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM('admin', 'va', 'estimator', 'contractor');--> statement-breakpoint
CREATE TYPE "public"."booking_status" AS ENUM('pending_confirmation', 'confirmed', 'in_progress', 'completed', 'cancelled', 'declined');--> statement-breakpoint
CREATE TYPE "public"."cancellation_cause" AS ENUM('customer', 'contractor', 'business', 'no_show');--> statement-breakpoint
CREATE TYPE "public"."claim_kind" AS ENUM('hold', 'booking');--> statement-breakpoint
CREATE TYPE "public"."payment_status" AS ENUM('pending', 'paid', 'refunded', 'not_required');--> statement-breakpoint
CREATE TYPE "public"."slot_name" AS ENUM('am', 'pm');--> statement-breakpoint
CREATE TABLE "contractor_tasks" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"description" text,
	"required_certification" "certification_type",
	"is_active" boolean DEFAULT true NOT NULL,
	"display_order" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contractor_tasks_category_chk" CHECK ("contractor_tasks"."category" in ('Plumbing','Electrical','Carpentry','Decorating','General','Garden'))
);
--> statement-breakpoint
CREATE TABLE "contractor_availability_dates" (
	"contractor_id" uuid NOT NULL,
	"date" date NOT NULL,
	"is_available" boolean NOT NULL,
	"start_time" time,
	"end_time" time,
	CONSTRAINT "contractor_availability_dates_contractor_id_date_pk" PRIMARY KEY("contractor_id","date"),
	CONSTRAINT "override_window_chk" CHECK ((not "contractor_availability_dates"."is_available" and "contractor_availability_dates"."start_time" is null and "contractor_availability_dates"."end_time" is null)
          or ("contractor_availability_dates"."is_available" and "contractor_availability_dates"."start_time" is not null and "contractor_availability_dates"."end_time" is not null and "contractor_availability_dates"."start_time" < "contractor_availability_dates"."end_time"))
);
--> statement-breakpoint
CREATE TABLE "contractor_certifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contractor_id" uuid NOT NULL,
	"type" "certification_type" NOT NULL,
	"number" text NOT NULL,
	"authority" text,
	"region" text,
	"expires_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contractor_skills" (
	"contractor_id" uuid NOT NULL,
	"task_id" text NOT NULL,
	"confidence" "skill_confidence" NOT NULL,
	"years_experience" integer DEFAULT 0 NOT NULL,
	"completed_count" integer DEFAULT 0 NOT NULL,
	"last_performed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contractor_skills_contractor_id_task_id_pk" PRIMARY KEY("contractor_id","task_id"),
	CONSTRAINT "contractor_skills_years_chk" CHECK ("contractor_skills"."years_experience" between 0 and 70)
);
--> statement-breakpoint
CREATE TABLE "contractor_weekly_availability" (
	"contractor_id" uuid NOT NULL,
	"weekday" integer NOT NULL,
	"start_time" time NOT NULL,
	"end_time" time NOT NULL,
	CONSTRAINT "contractor_weekly_availability_contractor_id_weekday_pk" PRIMARY KEY("contractor_id","weekday"),
	CONSTRAINT "weekly_weekday_chk" CHECK ("contractor_weekly_availability"."weekday" between 1 and 7),
	CONSTRAINT "weekly_window_chk" CHECK ("contractor_weekly_availability"."start_time" < "contractor_weekly_availability"."end_time")
);
--> statement-breakpoint
CREATE TABLE "contractors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"phone" text,
	"email" text,
	"bio" text,
	"postcode" text,
	"outcode" text,
	"latitude" double precision,
	"longitude" double precision,
	"radius_miles" integer DEFAULT 10 NOT NULL,
	"max_concurrent_jobs" integer DEFAULT 3 NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"reactive_mode" boolean DEFAULT false NOT NULL,
	"on_shift" boolean DEFAULT false NOT NULL,
	"on_shift_changed_at" timestamp with time zone,
	"profile_completion_score" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contractors_radius_chk" CHECK ("contractors"."radius_miles" between 1 and 200),
	CONSTRAINT "contractors_max_jobs_chk" CHECK ("contractors"."max_concurrent_jobs" between 1 and 50),
	CONSTRAINT "contractors_score_chk" CHECK ("contractors"."profile_completion_score" between 0 and 100),
	CONSTRAINT "contractors_geo_chk" CHECK (("contractors"."postcode" is null) = ("contractors"."latitude" is null))
);
--> statement-breakpoint
CREATE TABLE "user_sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" "user_role" NOT NULL,
	"contractor_id" uuid,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_contractor_role_chk" CHECK (("users"."role" = 'contractor') = ("users"."contractor_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "business_closures" (
	"date" date PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_task_requirements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"job_id" uuid NOT NULL,
	"task_id" text NOT NULL,
	"required_confidence" "skill_confidence" NOT NULL,
	"is_primary" boolean DEFAULT true NOT NULL,
	"ai_confidence" integer,
	"manually_verified" boolean DEFAULT false NOT NULL,
	"verified_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "job_requirements_ai_chk" CHECK ("job_task_requirements"."ai_confidence" is null or "job_task_requirements"."ai_confidence" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"postcode" text NOT NULL,
	"outcode" text NOT NULL,
	"latitude" double precision NOT NULL,
	"longitude" double precision NOT NULL,
	"description" text,
	"customer_token_hash" text NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "booking_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"booking_id" uuid NOT NULL,
	"from_status" "booking_status",
	"to_status" "booking_status" NOT NULL,
	"actor" text NOT NULL,
	"reason" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bookings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"job_id" uuid NOT NULL,
	"contractor_id" uuid NOT NULL,
	"claim_id" uuid,
	"claim_kind" "claim_kind" DEFAULT 'booking' NOT NULL,
	"date" date NOT NULL,
	"slot" "slot_name" NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"status" "booking_status" DEFAULT 'pending_confirmation' NOT NULL,
	"payment_status" "payment_status" DEFAULT 'pending' NOT NULL,
	"deposit_pence" integer,
	"source" text NOT NULL,
	"session_id" text,
	"created_by_user_id" uuid,
	"status_reason" text,
	"cancellation_cause" "cancellation_cause",
	"customer_rating" integer,
	"confirmed_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"declined_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bookings_claim_uq" UNIQUE("claim_id"),
	CONSTRAINT "bookings_claim_kind_chk" CHECK ("bookings"."claim_kind" = 'booking'),
	CONSTRAINT "bookings_active_owns_claim_chk" CHECK (("bookings"."status" in ('pending_confirmation','confirmed','in_progress')) = ("bookings"."claim_id" is not null)),
	CONSTRAINT "bookings_window_chk" CHECK ("bookings"."starts_at" < "bookings"."ends_at"),
	CONSTRAINT "bookings_rating_chk" CHECK ("bookings"."customer_rating" is null or "bookings"."customer_rating" between 1 and 5),
	CONSTRAINT "bookings_deposit_chk" CHECK ("bookings"."deposit_pence" is null or "bookings"."deposit_pence" >= 0)
);
--> statement-breakpoint
CREATE TABLE "job_matching_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"booking_id" uuid,
	"job_id" uuid NOT NULL,
	"contractor_id" uuid NOT NULL,
	"match_score" integer NOT NULL,
	"breakdown" jsonb NOT NULL,
	"reasons" jsonb NOT NULL,
	"was_selected" boolean DEFAULT false NOT NULL,
	"job_completed" boolean,
	"customer_rating" integer,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "matching_history_score_chk" CHECK ("job_matching_history"."match_score" between 0 and 100),
	CONSTRAINT "matching_history_rating_chk" CHECK ("job_matching_history"."customer_rating" is null or "job_matching_history"."customer_rating" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "slot_claims" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contractor_id" uuid NOT NULL,
	"date" date NOT NULL,
	"slot" "slot_name" NOT NULL,
	"kind" "claim_kind" NOT NULL,
	"job_id" uuid NOT NULL,
	"session_id" text,
	"expires_at" timestamp with time zone,
	"match_score" integer,
	"candidates" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "slot_claims_contractor_slot_uq" UNIQUE("contractor_id","date","slot"),
	CONSTRAINT "slot_claims_identity_uq" UNIQUE("id","contractor_id","date","slot","kind"),
	CONSTRAINT "slot_claims_kind_chk" CHECK (("slot_claims"."kind" = 'hold' and "slot_claims"."session_id" is not null and "slot_claims"."expires_at" is not null)
          or ("slot_claims"."kind" = 'booking' and "slot_claims"."expires_at" is null))
);
--> statement-breakpoint
ALTER TABLE "contractor_availability_dates" ADD CONSTRAINT "contractor_availability_dates_contractor_id_contractors_id_fk" FOREIGN KEY ("contractor_id") REFERENCES "public"."contractors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contractor_certifications" ADD CONSTRAINT "contractor_certifications_contractor_id_contractors_id_fk" FOREIGN KEY ("contractor_id") REFERENCES "public"."contractors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contractor_skills" ADD CONSTRAINT "contractor_skills_contractor_id_contractors_id_fk" FOREIGN KEY ("contractor_id") REFERENCES "public"."contractors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contractor_skills" ADD CONSTRAINT "contractor_skills_task_id_contractor_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."contractor_tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contractor_weekly_availability" ADD CONSTRAINT "contractor_weekly_availability_contractor_id_contractors_id_fk" FOREIGN KEY ("contractor_id") REFERENCES "public"."contractors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_sessions" ADD CONSTRAINT "user_sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_contractor_id_contractors_id_fk" FOREIGN KEY ("contractor_id") REFERENCES "public"."contractors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_task_requirements" ADD CONSTRAINT "job_task_requirements_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_task_requirements" ADD CONSTRAINT "job_task_requirements_task_id_contractor_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."contractor_tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_task_requirements" ADD CONSTRAINT "job_task_requirements_verified_by_users_id_fk" FOREIGN KEY ("verified_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_events" ADD CONSTRAINT "booking_events_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_contractor_id_contractors_id_fk" FOREIGN KEY ("contractor_id") REFERENCES "public"."contractors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_claim_fk" FOREIGN KEY ("claim_id","contractor_id","date","slot","claim_kind") REFERENCES "public"."slot_claims"("id","contractor_id","date","slot","kind") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_matching_history" ADD CONSTRAINT "job_matching_history_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_matching_history" ADD CONSTRAINT "job_matching_history_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_matching_history" ADD CONSTRAINT "job_matching_history_contractor_id_contractors_id_fk" FOREIGN KEY ("contractor_id") REFERENCES "public"."contractors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slot_claims" ADD CONSTRAINT "slot_claims_contractor_id_contractors_id_fk" FOREIGN KEY ("contractor_id") REFERENCES "public"."contractors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slot_claims" ADD CONSTRAINT "slot_claims_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contractor_certs_contractor_idx" ON "contractor_certifications" USING btree ("contractor_id");--> statement-breakpoint
CREATE INDEX "contractor_skills_task_idx" ON "contractor_skills" USING btree ("task_id","confidence");--> statement-breakpoint
CREATE INDEX "contractors_matchable_idx" ON "contractors" USING btree ("is_active","profile_completion_score");--> statement-breakpoint
CREATE INDEX "user_sessions_user_idx" ON "user_sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "user_sessions_expiry_idx" ON "user_sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_uq" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "users_contractor_uq" ON "users" USING btree ("contractor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "job_requirements_task_uq" ON "job_task_requirements" USING btree ("job_id","task_id");--> statement-breakpoint
CREATE INDEX "job_requirements_job_idx" ON "job_task_requirements" USING btree ("job_id");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_customer_token_uq" ON "jobs" USING btree ("customer_token_hash");--> statement-breakpoint
CREATE INDEX "booking_events_booking_idx" ON "booking_events" USING btree ("booking_id");--> statement-breakpoint
CREATE UNIQUE INDEX "bookings_active_contractor_slot_uq" ON "bookings" USING btree ("contractor_id","date","slot") WHERE "bookings"."status" in ('pending_confirmation','confirmed','in_progress');--> statement-breakpoint
CREATE UNIQUE INDEX "bookings_active_job_uq" ON "bookings" USING btree ("job_id") WHERE "bookings"."status" in ('pending_confirmation','confirmed','in_progress');--> statement-breakpoint
CREATE INDEX "bookings_contractor_status_idx" ON "bookings" USING btree ("contractor_id","status");--> statement-breakpoint
CREATE INDEX "bookings_date_idx" ON "bookings" USING btree ("date");--> statement-breakpoint
CREATE INDEX "matching_history_contractor_idx" ON "job_matching_history" USING btree ("contractor_id");--> statement-breakpoint
CREATE INDEX "matching_history_booking_idx" ON "job_matching_history" USING btree ("booking_id");--> statement-breakpoint
CREATE UNIQUE INDEX "slot_claims_one_hold_per_session_uq" ON "slot_claims" USING btree ("job_id","session_id") WHERE "slot_claims"."kind" = 'hold';--> statement-breakpoint
CREATE INDEX "slot_claims_expiry_idx" ON "slot_claims" USING btree ("expires_at") WHERE "slot_claims"."kind" = 'hold';--> statement-breakpoint
CREATE INDEX "slot_claims_date_idx" ON "slot_claims" USING btree ("date","slot");