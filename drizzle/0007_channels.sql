CREATE TYPE "public"."outbox_status" AS ENUM('pending', 'sending', 'sent', 'delivered', 'read', 'failed', 'cancelled');--> statement-breakpoint
CREATE TABLE "message_preferences" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lead_id" uuid,
	"contractor_id" uuid,
	"channel" "outbox_channel" NOT NULL,
	"telegram_chat_id" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "message_preferences_leadId_unique" UNIQUE("lead_id"),
	CONSTRAINT "message_preferences_contractorId_unique" UNIQUE("contractor_id"),
	CONSTRAINT "message_preferences_owner_chk" CHECK (("message_preferences"."lead_id" is null) <> ("message_preferences"."contractor_id" is null))
);
--> statement-breakpoint
CREATE TABLE "captured_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"channel" "outbox_channel" NOT NULL,
	"to" text NOT NULL,
	"from" text,
	"subject" text,
	"text" text,
	"html" text,
	"links" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"provider_id" text NOT NULL,
	"meta" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbound_calls" (
	"call_sid" text PRIMARY KEY NOT NULL,
	"from" text NOT NULL,
	"lead_id" uuid,
	"recording_sid" text,
	"recording_path" text,
	"transcript" text,
	"outcome" text DEFAULT 'answered' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbound_events" (
	"provider" text NOT NULL,
	"event_id" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbound_events_provider_event_id_pk" PRIMARY KEY("provider","event_id")
);
--> statement-breakpoint
CREATE TABLE "inbound_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lead_id" uuid,
	"channel" text NOT NULL,
	"from" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"media" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"provider_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD COLUMN "lead_id" uuid;--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD COLUMN "contractor_id" uuid;--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD COLUMN "status" "outbox_status" DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD COLUMN "next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD COLUMN "last_error" text;--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD COLUMN "provider_id" text;--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD COLUMN "provider_status" text;--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD COLUMN "fallbacks" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD COLUMN "fallback_of" uuid;--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD COLUMN "dedupe_key" text;--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD COLUMN "delivered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD COLUMN "failed_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "captured_provider_uq" ON "captured_messages" USING btree ("channel","provider_id");--> statement-breakpoint
CREATE INDEX "captured_to_idx" ON "captured_messages" USING btree ("to","created_at");--> statement-breakpoint
CREATE INDEX "inbound_calls_from_idx" ON "inbound_calls" USING btree ("from");--> statement-breakpoint
CREATE INDEX "inbound_calls_lead_idx" ON "inbound_calls" USING btree ("lead_id") WHERE "inbound_calls"."lead_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_provider_uq" ON "inbound_messages" USING btree ("channel","provider_id");--> statement-breakpoint
CREATE INDEX "inbound_lead_idx" ON "inbound_messages" USING btree ("lead_id","created_at");--> statement-breakpoint
CREATE INDEX "inbound_from_idx" ON "inbound_messages" USING btree ("from","created_at");--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox_messages" USING btree ("next_attempt_at") WHERE "outbox_messages"."status" in ('pending', 'sending');--> statement-breakpoint
CREATE INDEX "outbox_status_idx" ON "outbox_messages" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "outbox_lead_idx" ON "outbox_messages" USING btree ("lead_id");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_dedupe_uq" ON "outbox_messages" USING btree ("dedupe_key");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_provider_uq" ON "outbox_messages" USING btree ("channel","provider_id");--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD CONSTRAINT "outbox_attempts_chk" CHECK ("outbox_messages"."attempts" >= 0);