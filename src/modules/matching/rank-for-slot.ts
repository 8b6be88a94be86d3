import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { CERTIFICATION_NAMES, type CertificationType } from '../catalog/index.js';
import { eligibleContractorSlots, type Viewer } from '../availability/index.js';
import type { BookingRules, Slot } from '../availability/index.js';
import type { JobSpec } from '../jobs/index.js';
import { rankCandidates, type CandidateFacts, type ScoredCandidate } from './score.js';

type EligibleRow = { contractor_id: string; distance_miles: number; open_jobs: number; max_concurrent_jobs: number };

type FactsRow = {
  id: string;
  name: string;
  skills: { task_id: string; category: string; confidence: 'expert' | 'capable'; last_performed_at: string | null }[];
  rating_n: number;
  rating_total: number;
  completed: number;
  cancelled: number;
  no_shows: number;
  certs: CertificationType[];
};

/**
 * Loads the scoring facts for a set of contractors in one statement (one round trip, inside hold
 * and checkout transactions too): skills with categories, ratings and outcomes from history, and
 * certifications valid on the job date, each looked up per contractor through its index.
 */
export async function loadCandidateFacts(db: Queryable, rows: EligibleRow[], jobDate: string): Promise<CandidateFacts[]> {
  if (rows.length === 0) return [];
  const ids = JSON.stringify(rows.map((r) => r.contractor_id));
  const facts = await db.execute<FactsRow>(sql`
    select c.id, c.name,
      coalesce((select json_agg(json_build_object('task_id', s.task_id, 'category', t.category, 'confidence', s.confidence, 'last_performed_at', s.last_performed_at))
                from contractor_skills s join contractor_tasks t on t.id = s.task_id where s.contractor_id = c.id), '[]') as skills,
      h.n as rating_n, h.total as rating_total, o.completed, o.cancelled, o.no_shows,
      coalesce((select json_agg(distinct k.type) from contractor_certifications k
                where k.contractor_id = c.id and (k.expires_on is null or k.expires_on >= ${jobDate}::date)), '[]') as certs
    from contractors c
    cross join lateral (
      select count(*)::int as n, coalesce(sum(customer_rating), 0)::int as total from job_matching_history
      where contractor_id = c.id and was_selected and customer_rating is not null) h
    cross join lateral (
      select count(*) filter (where status = 'completed')::int as completed,
             count(*) filter (where status = 'cancelled' and cancellation_cause = 'contractor')::int as cancelled,
             count(*) filter (where status = 'cancelled' and cancellation_cause = 'no_show')::int as no_shows
      from bookings where contractor_id = c.id) o
    where c.id in (select jsonb_array_elements_text(${ids}::jsonb)::uuid)`);
  const byId = new Map(facts.rows.map((f) => [f.id, f]));

  return rows.map((r) => {
    const f = byId.get(r.contractor_id);
    return {
      contractorId: r.contractor_id,
      name: f?.name ?? '',
      distanceMiles: r.distance_miles,
      openJobs: r.open_jobs,
      maxConcurrentJobs: r.max_concurrent_jobs,
      skills: (f?.skills ?? []).map((s) => ({
        taskId: s.task_id,
        category: s.category,
        confidence: s.confidence,
        lastPerformedAt: s.last_performed_at ? new Date(s.last_performed_at) : null,
      })),
      ratings: { count: f?.rating_n ?? 0, sum: f?.rating_total ?? 0 },
      outcomes: {
        completed: f?.completed ?? 0,
        contractorCancellations: f?.cancelled ?? 0,
        noShows: f?.no_shows ?? 0,
      },
      certifications: (f?.certs ?? []).map((c) => CERTIFICATION_NAMES[c]),
    };
  });
}

/** Every contractor eligible for this job in this slot, scored and in rank order. */
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
  const eligible = await db.execute<EligibleRow>(eligibleContractorSlots(spec, [{ date, slot, start: w.start, end: w.end }], viewer, now, opts));
  const facts = await loadCandidateFacts(db, eligible.rows, date);
  return rankCandidates(spec.tasks, facts, now, rules.scoreWeights);
}
