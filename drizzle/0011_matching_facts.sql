CREATE TABLE "contractor_facts" (
	"contractor_id" uuid PRIMARY KEY NOT NULL,
	"skills" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"skill_count" integer DEFAULT 0 NOT NULL,
	"category_counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"certifications" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"rating_count" integer DEFAULT 0 NOT NULL,
	"rating_total" integer DEFAULT 0 NOT NULL,
	"completed" integer DEFAULT 0 NOT NULL,
	"contractor_cancellations" integer DEFAULT 0 NOT NULL,
	"no_shows" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contractor_facts_counts_chk" CHECK ("contractor_facts"."rating_count" >= 0 and "contractor_facts"."completed" >= 0 and "contractor_facts"."contractor_cancellations" >= 0 and "contractor_facts"."no_shows" >= 0)
);
--> statement-breakpoint
CREATE TABLE "matching_rankings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"candidates" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "contractor_facts" ADD CONSTRAINT "contractor_facts_contractor_id_contractors_id_fk" FOREIGN KEY ("contractor_id") REFERENCES "public"."contractors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "matching_rankings_created_idx" ON "matching_rankings" USING btree ("created_at");