import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { jobTaskRequirements } from '../jobs/schema.js';
import { detectSkus, type Detection } from './detect-skus.js';
import { leadSkuDetections } from './schema.js';
import { loadSkuCatalog, type CatalogSku } from './sku-catalog.js';

export type LeadDetection = Detection & { sku: CatalogSku };

/** Adds AI-tagged task requirements to a job; a requirement staff verified is never overwritten. */
export async function attachAiRequirements(tx: Queryable, jobId: string, tasks: { taskId: string; aiConfidence: number }[]) {
  if (tasks.length === 0) return;
  const best = new Map<string, number>();
  for (const t of tasks) best.set(t.taskId, Math.max(best.get(t.taskId) ?? 0, t.aiConfidence));
  await tx
    .insert(jobTaskRequirements)
    .values([...best].map(([taskId, aiConfidence]) => ({ jobId, taskId, aiConfidence, requiredConfidence: 'capable' as const, isPrimary: true })))
    .onConflictDoUpdate({
      target: [jobTaskRequirements.jobId, jobTaskRequirements.taskId],
      set: { aiConfidence: sql`greatest(${jobTaskRequirements.aiConfidence}, excluded.ai_confidence)` },
      setWhere: sql`not ${jobTaskRequirements.manuallyVerified}`,
    });
}

/**
 * Runs SKU detection over a lead's words, records every detection, and tags the job with the
 * tasks of the confident ones.
 */
export async function detectForLead(
  tx: Queryable,
  lead: { id: string; jobId: string },
  text: string,
  source: 'enquiry' | 'video',
  confidentAt: number,
): Promise<{ all: LeadDetection[]; confident: LeadDetection[] }> {
  const catalog = await loadSkuCatalog(tx);
  const byCode = new Map(catalog.map((s) => [s.code, s]));
  const all = detectSkus(text, catalog).map((d) => ({ ...d, sku: byCode.get(d.code)! }));
  if (all.length) {
    await tx
      .insert(leadSkuDetections)
      .values(all.map((d) => ({ leadId: lead.id, skuCode: d.code, confidence: d.confidence, quantity: d.quantity, source, matched: d.matched })))
      .onConflictDoUpdate({
        target: [leadSkuDetections.leadId, leadSkuDetections.skuCode, leadSkuDetections.source],
        set: { confidence: sql`excluded.confidence`, quantity: sql`excluded.quantity`, matched: sql`excluded.matched` },
      });
  }
  const confident = all.filter((d) => d.confidence >= confidentAt);
  await attachAiRequirements(tx, lead.jobId, confident.flatMap((d) => d.sku.taskIds.map((taskId) => ({ taskId, aiConfidence: d.confidence }))));
  return { all, confident };
}
