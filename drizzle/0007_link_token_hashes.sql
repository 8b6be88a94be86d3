ALTER TABLE "leads" DROP CONSTRAINT "leads_videoToken_unique";--> statement-breakpoint
DROP INDEX "quotes_token_uq";--> statement-breakpoint
ALTER TABLE "quotes" ALTER COLUMN "token_hash" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "quotes_token_hash_uq" ON "quotes" USING btree ("token_hash");--> statement-breakpoint
ALTER TABLE "leads" DROP COLUMN "video_token";--> statement-breakpoint
ALTER TABLE "quotes" DROP COLUMN "token";