/**
 * The matching score (SPEC "Matching"): seven components from real data, raw max 115,
 * match_score = round(100 x raw / 115). Pure: every input is passed in. The points are
 * configuration (`MATCH_WEIGHTS`); the defaults are SPEC's numbers.
 */

export type Confidence = 'expert' | 'capable';

export type JobTask = {
  taskId: string;
  taskName: string;
  category: string;
  requiredConfidence: Confidence;
  isPrimary: boolean;
};

export type CandidateFacts = {
  contractorId: string;
  name: string;
  distanceMiles: number;
  openJobs: number;
  maxConcurrentJobs: number;
  /**
   * Every skill the contractor has, with its task's category; or only those of the job's tasks
   * when `skillCount` and `categoryCounts` summarise the rest (what ranking loads).
   */
  skills: { taskId: string; category: string; confidence: Confidence; lastPerformedAt: Date | null }[];
  /** How many skills the contractor has in all (default: skills.length). */
  skillCount?: number;
  /** How many of them per category (default: counted from skills). */
  categoryCounts?: Record<string, number>;
  ratings: { count: number; sum: number };
  outcomes: { completed: number; contractorCancellations: number; noShows: number };
  /** Unexpired certifications, as display names ("Gas Safe"). */
  certifications: string[];
};

export type Breakdown = {
  skill: number;
  proximity: number;
  performance: number;
  reliability: number;
  workload: number;
  recency: number;
  specialization: number;
};

export type ScoredCandidate = {
  contractorId: string;
  name: string;
  matchScore: number;
  raw: number;
  breakdown: Breakdown;
  reasons: string[];
  distanceMiles: number;
  openJobs: number;
};

/** Points per component. SPEC_WEIGHTS are SPEC's numbers; `MATCH_WEIGHTS` overrides some of them. */
export type ScoreWeights = {
  /** Meeting the required level in every primary task. */
  skillQualified: number;
  /** Expert in every primary task, and a primary task asks for expert. */
  skillExpertAsked: number;
  /** Expert in every primary task, and the job asks for capable throughout. */
  skillExpertUnasked: number;
  /** Per required task the contractor has, up to skillTasksCap. */
  skillPerTask: number;
  skillTasksCap: number;
  /** Proximity: `proximity - proximityPerMile x miles`, not below 0. */
  proximity: number;
  proximityPerMile: number;
  performance: number;
  reliability: number;
  workload: number;
  recency: number;
  specialization: number;
};

export const SPEC_WEIGHTS: ScoreWeights = {
  skillQualified: 20,
  skillExpertAsked: 15,
  skillExpertUnasked: 5,
  skillPerTask: 5,
  skillTasksCap: 15,
  proximity: 20,
  proximityPerMile: 2,
  performance: 15,
  reliability: 10,
  workload: 10,
  recency: 5,
  specialization: 5,
};

/** The most raw points a candidate can get under these weights (115 under SPEC's). */
export function maxRaw(w: ScoreWeights = SPEC_WEIGHTS): number {
  const skill = w.skillQualified + Math.max(w.skillExpertAsked, w.skillExpertUnasked) + w.skillTasksCap;
  return skill + w.proximity + w.performance + w.reliability + w.workload + w.recency + w.specialization;
}

export const MAX_RAW = maxRaw(SPEC_WEIGHTS);
const RATING_PRIOR = { mean: 4.0, weight: 3 };
const RELIABILITY_PRIOR = { ratio: 0.9, weight: 3 };
const DAY_MS = 86_400_000;

/** The job's main category: the most common among its primary tasks (first wins a tie). */
export function mainCategory(tasks: JobTask[]): string | null {
  const pool = tasks.some((t) => t.isPrimary) ? tasks.filter((t) => t.isPrimary) : tasks;
  const counts = new Map<string, number>();
  for (const t of pool) counts.set(t.category, (counts.get(t.category) ?? 0) + 1);
  let best: string | null = null;
  for (const [category, n] of counts) if (best === null || n > counts.get(best)!) best = category;
  return best;
}

export function bayesianRating(ratings: CandidateFacts['ratings']): number {
  return (RATING_PRIOR.mean * RATING_PRIOR.weight + ratings.sum) / (RATING_PRIOR.weight + ratings.count);
}

export function reliabilityRatio(o: CandidateFacts['outcomes']): number {
  const failures = o.contractorCancellations + o.noShows;
  return (o.completed + RELIABILITY_PRIOR.ratio * RELIABILITY_PRIOR.weight) / (o.completed + failures + RELIABILITY_PRIOR.weight);
}

/**
 * SPEC skill (max 50): 20 for meeting the required level in every primary task; +15 when expert
 * in every primary task and the job asks for expert somewhere, but only +5 when it asks for
 * "capable" throughout (over-qualification must not outweigh miles); +5 per required task held, up to 15.
 */
export function skillPoints(job: JobTask[], skillByTask: Map<string, { confidence: Confidence }>, w: ScoreWeights = SPEC_WEIGHTS): number {
  const primaries = job.filter((t) => t.isPrimary);
  const meets = (t: JobTask) => {
    const held = skillByTask.get(t.taskId)?.confidence;
    return held === 'expert' || (held === 'capable' && t.requiredConfidence === 'capable');
  };
  const qualified = primaries.length > 0 && primaries.every(meets) ? w.skillQualified : 0;
  const expertInAll = primaries.length > 0 && primaries.every((t) => skillByTask.get(t.taskId)?.confidence === 'expert');
  const expertAsked = primaries.some((t) => t.requiredConfidence === 'expert');
  const expertise = expertInAll ? (expertAsked ? w.skillExpertAsked : w.skillExpertUnasked) : 0;
  const held = Math.min(w.skillTasksCap, w.skillPerTask * job.filter((t) => skillByTask.has(t.taskId)).length);
  return qualified + expertise + held;
}

export function scoreCandidate(job: JobTask[], c: CandidateFacts, now: Date, w: ScoreWeights = SPEC_WEIGHTS): ScoredCandidate {
  const skillByTask = new Map(c.skills.map((s) => [s.taskId, s]));
  const primaries = job.filter((t) => t.isPrimary);
  const reasons: string[] = [];

  const skill = skillPoints(job, skillByTask, w);
  for (const t of primaries) {
    const s = skillByTask.get(t.taskId);
    if (s) reasons.push(`${s.confidence === 'expert' ? 'Expert' : 'Capable'} in ${t.taskName}`);
  }

  const proximity = Math.max(0, w.proximity - w.proximityPerMile * c.distanceMiles);
  reasons.push(`${c.distanceMiles.toFixed(1)} miles away`);
  for (const cert of c.certifications) reasons.push(`Professionally certified (${cert})`);

  const performance = (w.performance * (bayesianRating(c.ratings) - 1)) / 4;
  reasons.push(
    c.ratings.count > 0
      ? `Rated ${(c.ratings.sum / c.ratings.count).toFixed(1)} from ${c.ratings.count} job${c.ratings.count === 1 ? '' : 's'}`
      : 'No ratings yet',
  );

  const reliability = w.reliability * reliabilityRatio(c.outcomes);
  const workload = Math.max(0, w.workload * (1 - c.openJobs / c.maxConcurrentJobs));
  reasons.push(`${c.openJobs} of ${c.maxConcurrentJobs} job slots in use that day`);

  const jobTaskIds = new Set(job.map((t) => t.taskId));
  const lastPerformed = c.skills
    .filter((s) => jobTaskIds.has(s.taskId) && s.lastPerformedAt)
    .reduce<Date | null>((latest, s) => (!latest || s.lastPerformedAt! > latest ? s.lastPerformedAt : latest), null);
  let recency = 0;
  if (lastPerformed) {
    const days = Math.max(0, (now.getTime() - lastPerformed.getTime()) / DAY_MS);
    recency = w.recency * Math.max(0, 1 - days / 365);
    reasons.push(`Did this kind of job ${Math.floor(days)} day${Math.floor(days) === 1 ? '' : 's'} ago`);
  }

  const category = mainCategory(job);
  const inCategory = c.categoryCounts
    ? category === null
      ? 0
      : (c.categoryCounts[category] ?? 0)
    : c.skills.filter((s) => s.category === category).length;
  const skillCount = c.skillCount ?? c.skills.length;
  const specialization = skillCount > 0 ? (w.specialization * inCategory) / skillCount : 0;

  const breakdown = { skill, proximity, performance, reliability, workload, recency, specialization };
  const raw = Object.values(breakdown).reduce((a, b) => a + b, 0);
  return {
    contractorId: c.contractorId,
    name: c.name,
    matchScore: Math.round((100 * raw) / maxRaw(w)),
    raw,
    breakdown,
    reasons,
    distanceMiles: c.distanceMiles,
    openJobs: c.openJobs,
  };
}

const COMPONENT_WORDS: Record<keyof Breakdown, string> = {
  skill: 'skills',
  proximity: 'distance',
  performance: 'ratings',
  reliability: 'reliability',
  workload: 'a lighter day',
  recency: 'recent experience',
  specialization: 'specialisation',
};

/**
 * Why `picked` outranks `other`: the component where it gains the most over them. With the
 * ranking's tie-breaks (equal rounded scores) the answer can be `proximity` or a tie.
 */
export function decidingComponent(picked: ScoredCandidate, other: ScoredCandidate): keyof Breakdown {
  let best: keyof Breakdown = 'proximity';
  let gain = -Infinity;
  for (const k of Object.keys(picked.breakdown) as (keyof Breakdown)[]) {
    const d = picked.breakdown[k] - other.breakdown[k];
    if (d > gain) [best, gain] = [k, d];
  }
  return best;
}

/** Ties: higher score, then shorter distance, then fewer open jobs, then contractor id. */
export function compareCandidates(a: ScoredCandidate, b: ScoredCandidate): number {
  return (
    b.matchScore - a.matchScore ||
    a.distanceMiles - b.distanceMiles ||
    a.openJobs - b.openJobs ||
    (a.contractorId < b.contractorId ? -1 : a.contractorId > b.contractorId ? 1 : 0)
  );
}

/**
 * Scores and orders candidates. When the top one is not the nearest, its reasons say what
 * outweighed the miles, so every pick explains itself.
 */
export function rankCandidates(job: JobTask[], candidates: CandidateFacts[], now: Date, w: ScoreWeights = SPEC_WEIGHTS): ScoredCandidate[] {
  const ranked = candidates.map((c) => scoreCandidate(job, c, now, w)).sort(compareCandidates);
  const top = ranked[0];
  const nearest = ranked.reduce<ScoredCandidate | undefined>((n, c) => (!n || c.distanceMiles < n.distanceMiles ? c : n), undefined);
  if (top && nearest && nearest.distanceMiles < top.distanceMiles) {
    const k = decidingComponent(top, nearest);
    const gain = top.breakdown[k] - nearest.breakdown[k];
    top.reasons.push(
      `Chosen over a contractor ${nearest.distanceMiles.toFixed(1)} miles away for ${COMPONENT_WORDS[k]} (+${gain.toFixed(1)} points)`,
    );
  }
  return ranked;
}
