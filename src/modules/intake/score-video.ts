import path from 'node:path';
import { rm } from 'node:fs/promises';
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { queueForEstimator } from '../estimator/index.js';
import { moveLead } from '../leads/index.js';
import { leads } from '../leads/schema.js';
import { createQuote } from '../quotes/index.js';
import { sendQuoteTx } from '../quotes/index.js';
import type { TranscriptProvider } from './asr.js';
import { tagAiRequirements } from '../jobs/index.js';
import { extractAudio, extractKeyFrames, hasAudio, mediaLimits, probeDurationSeconds } from './media-tools.js';
import { leadSkuDetections, leadVideos, videoScores } from './schema.js';
import { loadSkuCatalog } from './sku-catalog.js';
import { recommendAction, type VideoAnalysisProvider } from './video-analysis.js';

export type ScoringDeps = { config: Config; provider: VideoAnalysisProvider; asr: TranscriptProvider | null; uploadDir: string };
const MAX_ATTEMPTS = 3;

/**
 * Scores one uploaded video: key frames (ffmpeg), transcript (given, else speech-to-text when
 * configured), the provider's scores, then in one transaction the video_scores row, detections,
 * AI-tagged requirements and the lead's next state: video_scored, then an automatic quote or the
 * estimator queue. Media work happens outside the transaction. A video that keeps failing goes
 * to an estimator, so nothing a customer sent is dropped.
 */
export async function scoreVideo(db: Db, videoId: string, deps: ScoringDeps, now: () => Date) {
  const [video] = await db
    .select()
    .from(leadVideos)
    .where(and(eq(leadVideos.id, videoId), eq(leadVideos.status, 'uploaded')));
  if (!video) return null;
  try {
    const limits = mediaLimits(deps.config);
    const frames = await extractKeyFrames(video.path, path.resolve(deps.uploadDir, 'frames', video.id), 12, limits);
    const durationSeconds = await probeDurationSeconds(video.path, limits);
    let transcript = video.transcript ?? '';
    // A silent video has nothing to transcribe; it is scored on its frames alone.
    if (!transcript && deps.asr && (await hasAudio(video.path, limits))) {
      const wav = path.resolve(deps.uploadDir, 'frames', video.id, 'audio.wav');
      transcript = await deps.asr.transcribe(await extractAudio(video.path, wav, limits)).finally(() => rm(wav, { force: true }));
    }
    const catalog = await loadSkuCatalog(db);
    const analysis = await deps.provider.analyse({ transcript, frames, durationSeconds, catalog });
    const action = recommendAction(analysis, {
      quotable: deps.config.VIDEO_QUOTABLE_THRESHOLD,
      skuConfidence: deps.config.VIDEO_SKU_CONFIDENCE_THRESHOLD,
    });

    return await db.transaction(async (tx) => {
      const [locked] = await tx
        .select()
        .from(leadVideos)
        .where(and(eq(leadVideos.id, videoId), eq(leadVideos.status, 'uploaded')))
        .for('update', { skipLocked: true });
      if (!locked) return null;
      const at = now();
      const [score] = await tx
        .insert(videoScores)
        .values({
          leadId: video.leadId,
          videoId,
          transcript,
          extractedFrames: frames,
          durationSeconds: durationSeconds === null ? null : Math.round(durationSeconds),
          complexityScore: analysis.complexityScore,
          quotableScore: analysis.quotableScore,
          detectedSkus: analysis.skus,
          detectedTasks: analysis.tasks,
          recommendedAction: action,
          provider: deps.provider.name,
          scoredAt: at,
        })
        .returning();
      await tx
        .update(leadVideos)
        .set({ status: 'scored', transcript, attempts: locked.attempts + 1, error: null })
        .where(eq(leadVideos.id, videoId));
      if (analysis.skus.length) {
        await tx
          .insert(leadSkuDetections)
          .values(
            analysis.skus.map((s) => ({
              leadId: video.leadId,
              skuCode: s.skuCode,
              confidence: s.confidence,
              quantity: s.quantity,
              source: 'video',
              matched: 'video transcript',
            })),
          )
          .onConflictDoUpdate({
            target: [leadSkuDetections.leadId, leadSkuDetections.skuCode, leadSkuDetections.source],
            set: { confidence: sql`excluded.confidence`, quantity: sql`excluded.quantity` },
          });
      }
      const [lead] = await tx.select().from(leads).where(eq(leads.id, video.leadId)).for('update');
      await tagAiRequirements(
        tx,
        lead!.jobId,
        analysis.tasks.map((t) => ({ taskId: t.taskId, aiConfidence: t.confidence })),
      );
      await moveLead(tx, lead!.id, {
        to: 'video_scored',
        actor: 'system',
        reason: `quotable ${analysis.quotableScore}, complexity ${analysis.complexityScore}`,
        now: at,
      });
      if (action === 'auto_quote') {
        const quote = await createQuote(
          tx,
          lead!,
          {
            style: deps.config.AUTO_QUOTE_STYLE,
            lineItems: analysis.skus.map((s) => ({ skuCode: s.skuCode, quantity: s.quantity })),
            optionalItems: [],
          },
          { createdBy: 'system', userId: null, actor: 'system' },
          { now: at, ttlHours: deps.config.QUOTE_TTL_HOURS, depositPercent: deps.config.DEFAULT_DEPOSIT_PERCENT },
        );
        if (deps.config.AUTO_SEND_QUOTES)
          await sendQuoteTx(tx, quote.id, 'system', at, deps.config.publicBaseUrl, deps.config.QUOTE_EMAILS_PER_ADDRESS_PER_DAY);
      } else {
        await queueForEstimator(tx, lead!.id, {
          priority: Math.round(analysis.complexityScore / 10),
          reason: 'video needs an estimate',
          actor: 'system',
          now: at,
        });
      }
      return score!;
    });
  } catch (err) {
    const attempts = video.attempts + 1;
    const failed = attempts >= MAX_ATTEMPTS;
    await db.transaction(async (tx) => {
      await tx
        .update(leadVideos)
        .set({ attempts, error: String((err as Error).message ?? err).slice(0, 500), status: failed ? 'failed' : 'uploaded' })
        .where(eq(leadVideos.id, videoId));
      if (failed)
        await queueForEstimator(tx, video.leadId, { priority: 5, reason: 'video could not be scored', actor: 'system', now: now() });
    });
    throw err;
  }
}

/** Scheduled: scores videos still waiting (a missed or failed attempt is retried). */
export async function scorePendingVideos(db: Db, deps: ScoringDeps, now: () => Date, olderThanSeconds = 0) {
  const pending = await db
    .select({ id: leadVideos.id })
    .from(leadVideos)
    .where(and(eq(leadVideos.status, 'uploaded'), lt(leadVideos.createdAt, new Date(now().getTime() - olderThanSeconds * 1000 + 1))))
    .limit(20);
  let scored = 0;
  for (const v of pending) {
    try {
      if (await scoreVideo(db, v.id, deps, now)) scored++;
    } catch {
      // Recorded on the video; retried on the next run.
    }
  }
  return { scored, pending: pending.length };
}
