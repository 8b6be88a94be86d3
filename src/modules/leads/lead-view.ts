import { asc, desc, eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { notFound } from '../../shared/errors.js';
import { pick } from '../../shared/present.js';
import { tasks } from '../catalog/schema.js';
import { estimatorQueue } from '../estimator/schema.js';
import { leadSkuDetections, leadVideos, videoScores } from '../intake/schema.js';
import { jobTaskRequirements } from '../jobs/schema.js';
import { presentQuote } from '../quotes/index.js';
import { quotes } from '../quotes/schema.js';
import { leadHistory, leads } from './schema.js';

/** The lead's columns staff see (not its coordinates or the video link's token hash). */
export const LEAD_FIELDS = [
  'id',
  'source',
  'customerName',
  'phone',
  'email',
  'postcode',
  'outcode',
  'address',
  'customerType',
  'description',
  'state',
  'stateChangedAt',
  'jobId',
  'createdAt',
] as const satisfies readonly (keyof typeof leads.$inferSelect)[];

export const VIDEO_SCORE_FIELDS = [
  'videoId',
  'transcript',
  'extractedFrames',
  'durationSeconds',
  'complexityScore',
  'quotableScore',
  'detectedSkus',
  'detectedTasks',
  'recommendedAction',
  'provider',
  'scoredAt',
] as const satisfies readonly (keyof typeof videoScores.$inferSelect)[];

export const presentLead = (lead: typeof leads.$inferSelect) => pick(lead, LEAD_FIELDS);
export const presentVideoScore = (s: typeof videoScores.$inferSelect) => pick(s, VIDEO_SCORE_FIELDS);

/** A lead with everything staff need to act on it. */
export async function loadLeadView(db: Queryable, id: string, now: Date, baseUrl: string) {
  const [lead] = await db.select().from(leads).where(eq(leads.id, id));
  if (!lead) throw notFound('Lead', { id });
  const history = await db.select().from(leadHistory).where(eq(leadHistory.leadId, id)).orderBy(asc(leadHistory.seq));
  const requirements = await db
    .select({
      taskId: jobTaskRequirements.taskId,
      taskName: tasks.name,
      requiredConfidence: jobTaskRequirements.requiredConfidence,
      isPrimary: jobTaskRequirements.isPrimary,
      aiConfidence: jobTaskRequirements.aiConfidence,
      manuallyVerified: jobTaskRequirements.manuallyVerified,
      verifiedBy: jobTaskRequirements.verifiedBy,
    })
    .from(jobTaskRequirements)
    .innerJoin(tasks, eq(tasks.id, jobTaskRequirements.taskId))
    .where(eq(jobTaskRequirements.jobId, lead.jobId))
    .orderBy(asc(tasks.displayOrder));
  const detections = await db
    .select()
    .from(leadSkuDetections)
    .where(eq(leadSkuDetections.leadId, id))
    .orderBy(desc(leadSkuDetections.confidence));
  const quoteRows = await db.select().from(quotes).where(eq(quotes.leadId, id)).orderBy(desc(quotes.version));
  const videos = await db.select().from(leadVideos).where(eq(leadVideos.leadId, id)).orderBy(asc(leadVideos.createdAt));
  const scores = await db.select().from(videoScores).where(eq(videoScores.leadId, id)).orderBy(asc(videoScores.scoredAt));
  const queue = await db.select().from(estimatorQueue).where(eq(estimatorQueue.leadId, id)).orderBy(desc(estimatorQueue.createdAt));
  return {
    lead: presentLead(lead),
    history: history.map(({ fromState, toState, actor, reason, at }) => ({ from: fromState, to: toState, actor, reason, at })),
    requirements,
    detections: detections.map(({ skuCode, confidence, quantity, source, matched }) => ({
      skuCode,
      confidence,
      quantity,
      source,
      matched,
    })),
    quotes: quoteRows.map((q) => presentQuote(q, now, baseUrl)),
    videos: videos.map(({ id: videoId, status, sizeBytes, mimeType, createdAt, error }) => ({
      id: videoId,
      status,
      sizeBytes,
      mimeType,
      createdAt,
      error,
    })),
    videoScores: scores.map(presentVideoScore),
    estimator: queue.map(({ id: itemId, status, priority, assignedTo, claimedAt, completedAt }) => ({
      id: itemId,
      status,
      priority,
      assignedTo,
      claimedAt,
      completedAt,
    })),
  };
}
