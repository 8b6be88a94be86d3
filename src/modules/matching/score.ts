/**
 * The matching score (SPEC "Matching"): seven components from real data, raw max 115,
 * match_score = round(100 x raw / 115). Pure: every input is passed in.
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
  /** Every skill the contractor has, with its task's category. */
  skills: { taskId: string; category: string; confidence: Confidence; lastPerformedAt: Date | null }[];
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

export const MAX_RAW = 115;
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
export function skillPoints(job: JobTask[], skillByTask: Map<string, { confidence: Confidence }>): number {
  const primaries = job.filter((t) => t.isPrimary);
  const meets = (t: JobTask) => {
    const held = skillByTask.get(t.taskId)?.confidence;
    return held === 'expert' || (held === 'capable' && t.requiredConfidence === 'capable');
  };
  const qualified = primaries.length > 0 && primaries.every(meets) ? 20 : 0;
  const expertInAll = primaries.length > 0 && primaries.every((t) => skillByTask.get(t.taskId)?.confidence === 'expert');
  const expertAsked = primaries.some((t) => t.requiredConfidence === 'expert');
  const expertise = expertInAll ? (expertAsked ? 15 : 5) : 0;
  const held = Math.min(15, 5 * job.filter((t) => skillByTask.has(t.taskId)).length);
  return qualified + expertise + held;
}

export function scoreCandidate(job: JobTask[], c: CandidateFacts, now: Date): ScoredCandidate {
  const skillByTask = new Map(c.skills.map((s) => [s.taskId, s]));
  const primaries = job.filter((t) => t.isPrimary);
  const reasons: string[] = [];

  const skill = skillPoints(job, skillByTask);
  for (const t of primaries) {
    const s = skillByTask.get(t.taskId);
    if (s) reasons.push(`${s.confidence === 'expert' ? 'Expert' : 'Capable'} in ${t.taskName}`);
  }

  const proximity = Math.max(0, 20 - 2 * c.distanceMiles);
  reasons.push(`${c.distanceMiles.toFixed(1)} miles away`);
  for (const cert of c.certifications) reasons.push(`Professionally certified (${cert})`);

  const performance = (15 * (bayesianRating(c.ratings) - 1)) / 4;
  reasons.push(
    c.ratings.count > 0
      ? `Rated ${(c.ratings.sum / c.ratings.count).toFixed(1)} from ${c.ratings.count} job${c.ratings.count === 1 ? '' : 's'}`
      : 'No ratings yet',
  );

  const reliability = 10 * reliabilityRatio(c.outcomes);
  const workload = Math.max(0, 10 * (1 - c.openJobs / c.maxConcurrentJobs));
  reasons.push(`${c.openJobs} of ${c.maxConcurrentJobs} job slots in use`);

  const jobTaskIds = new Set(job.map((t) => t.taskId));
  const lastPerformed = c.skills
    .filter((s) => jobTaskIds.has(s.taskId) && s.lastPerformedAt)
    .reduce<Date | null>((latest, s) => (!latest || s.lastPerformedAt! > latest ? s.lastPerformedAt : latest), null);
  let recency = 0;
  if (lastPerformed) {
    const days = Math.max(0, (now.getTime() - lastPerformed.getTime()) / DAY_MS);
    recency = 5 * Math.max(0, 1 - days / 365);
    reasons.push(`Did this kind of job ${Math.floor(days)} day${Math.floor(days) === 1 ? '' : 's'} ago`);
  }

  const category = mainCategory(job);
  const inCategory = c.skills.filter((s) => s.category === category).length;
  const specialization = c.skills.length > 0 ? (5 * inCategory) / c.skills.length : 0;

  const breakdown = { skill, proximity, performance, reliability, workload, recency, specialization };
  const raw = Object.values(breakdown).reduce((a, b) => a + b, 0);
  return {
    contractorId: c.contractorId,
    name: c.name,
    matchScore: Math.round((100 * raw) / MAX_RAW),
    raw,
    breakdown,
    reasons,
    distanceMiles: c.distanceMiles,
    openJobs: c.openJobs,
  };
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

export function rankCandidates(job: JobTask[], candidates: CandidateFacts[], now: Date): ScoredCandidate[] {
  return candidates.map((c) => scoreCandidate(job, c, now)).sort(compareCandidates);
}
