CREATE TYPE "public"."outbox_channel" AS ENUM('email', 'sms', 'whatsapp', 'telegram', 'staff');--> statement-breakpoint
CREATE TYPE "public"."customer_type" AS ENUM('homeowner', 'landlord', 'pm', 'commercial');--> statement-breakpoint
CREATE TYPE "public"."lead_source" AS ENUM('call', 'whatsapp', 'telegram', 'web', 'manual');--> statement-breakpoint
CREATE TYPE "public"."lead_state" AS ENUM('created', 'sku_detected', 'video_requested', 'video_received', 'video_scored', 'estimator_queued', 'estimating', 'quote_generated', 'quote_sent', 'quote_viewed', 'slot_held', 'booked', 'dispatching', 'assigned', 'in_progress', 'completed', 'expired', 'lost', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."recommended_action" AS ENUM('auto_quote', 'estimator');--> statement-breakpoint
CREATE TYPE "public"."video_status" AS ENUM('uploaded', 'scored', 'failed');--> statement-breakpoint
CREATE TYPE "public"."estimator_item_status" AS ENUM('queued', 'claimed', 'completed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."quote_style" AS ENUM('fixed', 'fixed_optionals', 'hhh');--> statement-breakpoint
CREATE TABLE "domain_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"type" text NOT NULL,
	"aggregate_id" uuid NOT NULL,
	"payload" jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"channel" "outbox_channel" NOT NULL,
	"recipient" text NOT NULL,
	"template" text NOT NULL,
	"payload" jsonb NOT NULL,
	"subject" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "lead_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"lead_id" uuid NOT NULL,
	"from_state" "lead_state",
	"to_state" "lead_state" NOT NULL,
	"actor" text NOT NULL,
	"reason" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "leads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" "lead_source" NOT NULL,
	"customer_name" text NOT NULL,
	"phone" text,
	"email" text,
	"postcode" text NOT NULL,
	"outcode" text NOT NULL,
	"latitude" double precision NOT NULL,
	"longitude" double precision NOT NULL,
	"address" text,
	"customer_type" "customer_type" DEFAULT 'homeowner' NOT NULL,
	"description" text NOT NULL,
	"state" "lead_state" DEFAULT 'created' NOT NULL,
	"state_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"job_id" uuid NOT NULL,
	"video_token" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "leads_videoToken_unique" UNIQUE("video_token")
);
--> statement-breakpoint
CREATE TABLE "lead_sku_detections" (
	"lead_id" uuid NOT NULL,
	"sku_code" text NOT NULL,
	"confidence" integer NOT NULL,
	"quantity" integer DEFAULT 1 NOT NULL,
	"source" text NOT NULL,
	"matched" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lead_sku_detections_lead_id_sku_code_source_pk" PRIMARY KEY("lead_id","sku_code","source"),
	CONSTRAINT "detections_conf_chk" CHECK ("lead_sku_detections"."confidence" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "lead_videos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lead_id" uuid NOT NULL,
	"path" text NOT NULL,
	"mime_type" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"transcript" text,
	"status" "video_status" DEFAULT 'uploaded' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"error" text,
	"uploaded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sku_tasks" (
	"sku_code" text NOT NULL,
	"task_id" text NOT NULL,
	CONSTRAINT "sku_tasks_sku_code_task_id_pk" PRIMARY KEY("sku_code","task_id")
);
--> statement-breakpoint
CREATE TABLE "skus" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"price_pence" integer NOT NULL,
	"keywords" text[] NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "skus_price_chk" CHECK ("skus"."price_pence" > 0)
);
--> statement-breakpoint
CREATE TABLE "video_scores" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lead_id" uuid NOT NULL,
	"video_id" uuid NOT NULL,
	"transcript" text,
	"extracted_frames" jsonb NOT NULL,
	"duration_seconds" integer,
	"complexity_score" integer NOT NULL,
	"quotable_score" integer NOT NULL,
	"detected_skus" jsonb NOT NULL,
	"detected_tasks" jsonb NOT NULL,
	"recommended_action" "recommended_action" NOT NULL,
	"provider" text NOT NULL,
	"scored_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "video_scores_videoId_unique" UNIQUE("video_id"),
	CONSTRAINT "video_scores_range_chk" CHECK ("video_scores"."complexity_score" between 0 and 100 and "video_scores"."quotable_score" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "estimator_queue" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lead_id" uuid NOT NULL,
	"priority" integer DEFAULT 0 NOT NULL,
	"reason" text,
	"status" "estimator_item_status" DEFAULT 'queued' NOT NULL,
	"assigned_to" uuid,
	"claimed_at" timestamp with time zone,
	"touched_at" timestamp with time zone,
	"last_reminder_at" timestamp with time zone,
	"escalated_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quotes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lead_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"style" "quote_style" NOT NULL,
	"line_items" jsonb NOT NULL,
	"optional_items" jsonb NOT NULL,
	"tiers" jsonb NOT NULL,
	"customer_type" "customer_type" NOT NULL,
	"deposit_percent" integer DEFAULT 20 NOT NULL,
	"selection" jsonb NOT NULL,
	"total_pence" integer NOT NULL,
	"deposit_pence" integer NOT NULL,
	"token" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"superseded_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"viewed_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quotes_money_chk" CHECK ("quotes"."total_pence" >= 0 and "quotes"."deposit_pence" >= 0 and "quotes"."deposit_pence" <= "quotes"."total_pence"),
	CONSTRAINT "quotes_deposit_pct_chk" CHECK ("quotes"."deposit_percent" between 0 and 100),
	CONSTRAINT "quotes_created_by_chk" CHECK ("quotes"."created_by" in ('system','va','estimator','admin'))
);
--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "quote_id" uuid;--> statement-breakpoint
ALTER TABLE "lead_history" ADD CONSTRAINT "lead_history_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_sku_detections" ADD CONSTRAINT "lead_sku_detections_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_sku_detections" ADD CONSTRAINT "lead_sku_detections_sku_code_skus_code_fk" FOREIGN KEY ("sku_code") REFERENCES "public"."skus"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_videos" ADD CONSTRAINT "lead_videos_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sku_tasks" ADD CONSTRAINT "sku_tasks_sku_code_skus_code_fk" FOREIGN KEY ("sku_code") REFERENCES "public"."skus"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sku_tasks" ADD CONSTRAINT "sku_tasks_task_id_contractor_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."contractor_tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "video_scores" ADD CONSTRAINT "video_scores_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "video_scores" ADD CONSTRAINT "video_scores_video_id_lead_videos_id_fk" FOREIGN KEY ("video_id") REFERENCES "public"."lead_videos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estimator_queue" ADD CONSTRAINT "estimator_queue_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estimator_queue" ADD CONSTRAINT "estimator_queue_assigned_to_users_id_fk" FOREIGN KEY ("assigned_to") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "domain_events_aggregate_idx" ON "domain_events" USING btree ("aggregate_id");--> statement-breakpoint
CREATE INDEX "outbox_unsent_idx" ON "outbox_messages" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "outbox_subject_idx" ON "outbox_messages" USING btree ("subject");--> statement-breakpoint
CREATE INDEX "lead_history_lead_idx" ON "lead_history" USING btree ("lead_id","seq");--> statement-breakpoint
CREATE INDEX "leads_state_idx" ON "leads" USING btree ("state","state_changed_at");--> statement-breakpoint
CREATE INDEX "leads_job_idx" ON "leads" USING btree ("job_id");--> statement-breakpoint
CREATE INDEX "lead_videos_pending_idx" ON "lead_videos" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "video_scores_lead_idx" ON "video_scores" USING btree ("lead_id");--> statement-breakpoint
CREATE UNIQUE INDEX "estimator_one_open_per_lead_uq" ON "estimator_queue" USING btree ("lead_id") WHERE "estimator_queue"."status" in ('queued','claimed');--> statement-breakpoint
CREATE INDEX "estimator_queue_order_idx" ON "estimator_queue" USING btree ("status","priority","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "quotes_token_uq" ON "quotes" USING btree ("token");--> statement-breakpoint
CREATE UNIQUE INDEX "quotes_lead_version_uq" ON "quotes" USING btree ("lead_id","version");--> statement-breakpoint
CREATE INDEX "quotes_lead_idx" ON "quotes" USING btree ("lead_id");--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_quote_id_quotes_id_fk" FOREIGN KEY ("quote_id") REFERENCES "public"."quotes"("id") ON DELETE no action ON UPDATE no action;