import { TASKS } from '../catalog/index.js';
import { detectSkus } from './detect-skus.js';
import type { CatalogSku } from './sku-catalog.js';

export type VideoFacts = { transcript: string; frames: string[]; durationSeconds: number | null; catalog: CatalogSku[] };
export type VideoAnalysis = {
  complexityScore: number;
  quotableScore: number;
  skus: { skuCode: string; confidence: number; quantity: number }[];
  tasks: { taskId: string; confidence: number }[];
};

/** Where a video's scores come from. The default runs offline; an external AI service can stand in. */
export interface VideoAnalysisProvider {
  readonly name: string;
  analyse(facts: VideoFacts): Promise<VideoAnalysis>;
}

const clamp = (n: number) => Math.max(0, Math.min(100, Math.round(n)));
const certified = new Set(TASKS.filter((t) => t.requiredCertification).map((t) => t.id));

/**
 * Deterministic and offline: SKUs from the transcript; complexity grows with the number of jobs,
 * trades, certified work, length and a missing transcript; quotable is the weakest SKU
 * confidence discounted by complexity.
 */
export const offlineVideoProvider: VideoAnalysisProvider = {
  name: 'offline-v1',
  async analyse(f) {
    const byCode = new Map(f.catalog.map((s) => [s.code, s]));
    const skus = detectSkus(f.transcript, f.catalog).map((d) => ({ skuCode: d.code, confidence: d.confidence, quantity: d.quantity }));
    const taskConfidence = new Map<string, number>();
    for (const s of skus)
      for (const t of byCode.get(s.skuCode)?.taskIds ?? []) taskConfidence.set(t, Math.max(taskConfidence.get(t) ?? 0, s.confidence));
    const categories = new Set(skus.map((s) => byCode.get(s.skuCode)?.category));
    const complexity = clamp(
      15 +
        15 * Math.max(0, skus.length - 1) +
        10 * Math.max(0, categories.size - 1) +
        ([...taskConfidence.keys()].some((t) => certified.has(t)) ? 20 : 0) +
        Math.min(25, (f.durationSeconds ?? 0) / 4) +
        (f.transcript.trim() ? 0 : 30),
    );
    const weakest = skus.length ? Math.min(...skus.map((s) => s.confidence)) : 0;
    const quotable = skus.length ? clamp(weakest * (1 - complexity / 200)) : 10;
    return {
      complexityScore: complexity,
      quotableScore: quotable,
      skus,
      tasks: [...taskConfidence].map(([taskId, confidence]) => ({ taskId, confidence })),
    };
  },
};

/** auto_quote when the quotable score and every detected SKU's confidence clear the thresholds. */
export function recommendAction(a: VideoAnalysis, t: { quotable: number; skuConfidence: number }): 'auto_quote' | 'estimator' {
  return a.skus.length > 0 && a.quotableScore >= t.quotable && a.skus.every((s) => s.confidence >= t.skuConfidence)
    ? 'auto_quote'
    : 'estimator';
}
