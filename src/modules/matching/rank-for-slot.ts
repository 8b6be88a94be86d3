import { sql, type SQL } from 'drizzle-orm';
import { executePrepared } from '../../db/prepared.js';
import type { Queryable } from '../../db/client.js';
import { CERTIFICATION_NAMES, type CertificationType } from '../catalog/index.js';
import { eligibleContractorSlots, type Viewer } from '../availability/index.js';
import type { BookingRules, Slot } from '../availability/index.js';
import type { JobSpec } from '../jobs/index.js';
import { rankCandidates, type CandidateFacts, type ScoredCandidate } from './score.js';

type EligibleRow = { contractor_id: string; distance_miles: number; open_jobs: number; max_concurrent_jobs: number };

type Skill = { category: string; confidence: 'expert' | 'capable'; last_performed_at: string | null };
type FactsRow = {
  id: string;
  name: string;
  /** The contractor's skills in the job's tasks only, by task id. */
  skills: Record<string, Skill> | null;
  skill_count: number;
  category_counts: Record<string, number>;
  rating_n: number;
  rating_total: number;
  completed: number;
  cancelled: number;
  no_shows: number;
  certs: CertificationType[];
};

/** One contractor's scoring facts (contractor_facts columns), as the score takes them. */
function toCandidate(r: EligibleRow, f: FactsRow | undefined): CandidateFacts {
  return {
    contractorId: r.contractor_id,
    name: f?.name ?? '',
    distanceMiles: r.distance_miles,
    openJobs: r.open_jobs,
    maxConcurrentJobs: r.max_concurrent_jobs,
    skills: Object.entries(f?.skills ?? {}).map(([taskId, s]) => ({
      taskId,
      category: s.category,
      confidence: s.confidence,
      lastPerformedAt: s.last_performed_at ? new Date(s.last_performed_at) : null,
    })),
    skillCount: f?.skill_count ?? 0,
    categoryCounts: f?.category_counts ?? {},
    ratings: { count: f?.rating_n ?? 0, sum: f?.rating_total ?? 0 },
    outcomes: {
      completed: f?.completed ?? 0,
      contractorCancellations: f?.cancelled ?? 0,
      noShows: f?.no_shows ?? 0,
    },
    certifications: (f?.certs ?? []).map((c) => CERTIFICATION_NAMES[c]),
  };
}

/**
 * The score's inputs from contractor_facts (kept current by triggers): only the skills of the
 * job's tasks travel (with the counts the specialisation needs), and the certifications valid on
 * the job date. `f` is the facts row (may be missing: nothing yet).
 */
const factColumns = (taskIds: string[] | undefined, jobDate: SQL) => sql`
  ${taskIds ? sql`(select jsonb_object_agg(t, f.skills -> t) from unnest(${`{${taskIds.join(',')}}`}::text[]) t where f.skills ? t)` : sql`f.skills`} as skills,
  coalesce(f.skill_count, 0) as skill_count, coalesce(f.category_counts, '{}'::jsonb) as category_counts,
  coalesce(f.rating_count, 0) as rating_n, coalesce(f.rating_total, 0) as rating_total,
  coalesce(f.completed, 0) as completed, coalesce(f.contractor_cancellations, 0) as cancelled, coalesce(f.no_shows, 0) as no_shows,
  case when f.certifications is null or f.certifications = '[]'::jsonb then '[]'::jsonb
       else (select coalesce(jsonb_agg(distinct x ->> 'type'), '[]'::jsonb) from jsonb_array_elements(f.certifications) x
             where x ->> 'expires_on' is null or (x ->> 'expires_on')::date >= ${jobDate}) end as certs`;

/** Loads the scoring facts of a set of contractors in one statement (`taskIds`: only those skills travel). */
export async function loadCandidateFacts(
  db: Queryable,
  rows: EligibleRow[],
  jobDate: string,
  taskIds?: string[],
): Promise<CandidateFacts[]> {
  if (rows.length === 0) return [];
  const ids = `{${rows.map((r) => r.contractor_id).join(',')}}`;
  const facts = await executePrepared<FactsRow>(
    db,
    sql`
    select c.id, c.name, ${factColumns(taskIds, sql`${jobDate}::date`)}
    from contractors c left join contractor_facts f on f.contractor_id = c.id
    where c.id = any(${ids}::uuid[])`,
  );
  const byId = new Map(facts.rows.map((f) => [f.id, f]));
  return rows.map((r) => toCandidate(r, byId.get(r.contractor_id)));
}

/** Every contractor eligible for this job in this slot, scored and in rank order: one statement. */
export async function rankForSlot(
  db: Queryable,
  spec: JobSpec,
  date: string,
  slot: Slot,
  viewer: Viewer,
  rules: BookingRules,
  now: Date,
  opts: { urgent?: boolean; ignoreSchedule?: boolean } = {},
): Promise<ScoredCandidate[]> {
  const w = rules.windows[slot];
  const eligible = eligibleContractorSlots(spec, [{ date, slot, start: w.start, end: w.end }], viewer, now, opts);
  const res = await executePrepared<EligibleRow & FactsRow>(
    db,
    sql`
    select e.contractor_id, e.contractor_id as id, e.name, e.distance_miles, e.open_jobs, e.max_concurrent_jobs,
      ${factColumns(
        spec.tasks.map((t) => t.taskId),
        sql`e.date`,
      )}
    from (${eligible}) e left join contractor_facts f on f.contractor_id = e.contractor_id`,
  );
  return rankCandidates(
    spec.tasks,
    res.rows.map((r) => toCandidate(r, r)),
    now,
    rules.scoreWeights,
  );
}
