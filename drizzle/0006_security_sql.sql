-- Link tokens become SHA-256 digests: links already sent keep working (looked up by the digest of
-- the old token); the plain-text columns are dropped by the next migration.
UPDATE "quotes" SET "token_hash" = encode(sha256(convert_to("token", 'UTF8')), 'hex') WHERE "token_hash" IS NULL;--> statement-breakpoint
UPDATE "leads" SET "video_token_hash" = encode(sha256(convert_to("video_token", 'UTF8')), 'hex') WHERE "video_token" IS NOT NULL AND "video_token_hash" IS NULL;
