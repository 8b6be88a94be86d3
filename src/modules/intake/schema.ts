import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tasks } from '../catalog/schema.js';
import { leads } from '../leads/schema.js';

/** The price list: what the business sells at a fixed price. */
export const skus = pgTable(
  'skus',
  {
    code: text().primaryKey(),
    name: text().notNull(),
    category: text().notNull(),
    pricePence: integer().notNull(),
    /** Phrases customers use for it; matched after normalisation, with typo tolerance. */
    keywords: text().array().notNull(),
    isActive: boolean().notNull().default(true),
  },
  (t) => [check('skus_price_chk', sql`${t.pricePence} > 0`)],
);

export const skuTasks = pgTable(
  'sku_tasks',
  {
    skuCode: text()
      .notNull()
      .references(() => skus.code, { onDelete: 'cascade' }),
    taskId: text()
      .notNull()
      .references(() => tasks.id),
  },
  (t) => [primaryKey({ columns: [t.skuCode, t.taskId] })],
);

/** What SKU detection found in a lead's words (enquiry text or video transcript). */
export const leadSkuDetections = pgTable(
  'lead_sku_detections',
  {
    leadId: uuid()
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    skuCode: text()
      .notNull()
      .references(() => skus.code),
    confidence: integer().notNull(),
    quantity: integer().notNull().default(1),
    source: text().notNull(),
    matched: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.leadId, t.skuCode, t.source] }), check('detections_conf_chk', sql`${t.confidence} between 0 and 100`)],
);

export const videoStatus = pgEnum('video_status', ['uploaded', 'scored', 'failed']);

export const leadVideos = pgTable(
  'lead_videos',
  {
    id: uuid().primaryKey().defaultRandom(),
    leadId: uuid()
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    path: text().notNull(),
    mimeType: text().notNull(),
    sizeBytes: bigint({ mode: 'number' }).notNull(),
    transcript: text(),
    status: videoStatus().notNull().default('uploaded'),
    attempts: integer().notNull().default(0),
    error: text(),
    uploadedBy: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('lead_videos_pending_idx').on(t.status, t.createdAt)],
);

export const recommendedAction = pgEnum('recommended_action', ['auto_quote', 'estimator']);

export const videoScores = pgTable(
  'video_scores',
  {
    id: uuid().primaryKey().defaultRandom(),
    leadId: uuid()
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    videoId: uuid()
      .notNull()
      .unique()
      .references(() => leadVideos.id, { onDelete: 'cascade' }),
    transcript: text(),
    extractedFrames: jsonb().$type<string[]>().notNull(),
    durationSeconds: integer(),
    complexityScore: integer().notNull(),
    quotableScore: integer().notNull(),
    detectedSkus: jsonb().$type<{ skuCode: string; confidence: number; quantity: number }[]>().notNull(),
    detectedTasks: jsonb().$type<{ taskId: string; confidence: number }[]>().notNull(),
    recommendedAction: recommendedAction().notNull(),
    provider: text().notNull(),
    scoredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('video_scores_lead_idx').on(t.leadId),
    check('video_scores_range_chk', sql`${t.complexityScore} between 0 and 100 and ${t.quotableScore} between 0 and 100`),
  ],
);
