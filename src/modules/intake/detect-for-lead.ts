import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { tagAiRequirements } from '../jobs/index.js';
import { type Detection, detectWithCoverage } from './detect-skus.js';
import { leadSkuDetections } from './schema.js';
import { loadSkuCatalog, type CatalogSku } from './sku-catalog.js';

export type LeadDetection = Detection & { sku: CatalogSku };

/**
 * Runs SKU detection over a lead's words, records every detection, and tags the job with the
 * tasks of the confident ones. `uncovered`: things the words name that no detection covers.
 */
export async function detectForLead(
  tx: Queryable,
  lead: { id: string; jobId: string },
  text: string,
  source: 'enquiry' | 'video',
  confidentAt: number,
): Promise<{ all: LeadDetection[]; confident: LeadDetection[]; uncovered: string[] }> {
  const catalog = await loadSkuCatalog(tx);
  const byCode = new Map(catalog.map((s) => [s.code, s]));
  const { detections, uncovered } = detectWithCoverage(text, catalog);
  const all = detections.map((d) => ({ ...d, sku: byCode.get(d.code)! }));
  if (all.length) {
    await tx
      .insert(leadSkuDetections)
      .values(
        all.map((d) => ({ leadId: lead.id, skuCode: d.code, confidence: d.confidence, quantity: d.quantity, source, matched: d.matched })),
      )
      .onConflictDoUpdate({
        target: [leadSkuDetections.leadId, leadSkuDetections.skuCode, leadSkuDetections.source],
        set: { confidence: sql`excluded.confidence`, quantity: sql`excluded.quantity`, matched: sql`excluded.matched` },
      });
  }
  const confident = all.filter((d) => d.confidence >= confidentAt);
  await tagAiRequirements(
    tx,
    lead.jobId,
    confident.flatMap((d) => d.sku.taskIds.map((taskId) => ({ taskId, aiConfidence: d.confidence }))),
  );
  return { all, confident, uncovered };
}
