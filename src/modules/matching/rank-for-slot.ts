import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { CERTIFICATION_NAMES, type CertificationType } from '../catalog/tasks-data.js';
import { eligibleContractorSlots, type Viewer } from '../availability/eligibility-sql.js';
import type { BookingRules, Slot } from '../availability/slot-time.js';
import type { JobSpec } from '../jobs/job-spec.js';
import { rankCandidates, type CandidateFacts, type ScoredCandidate } from './score.js';

type EligibleRow = { contractor_id: string; distance_miles: number; open_jobs: number; max_concurrent_jobs: number };

/**
 * Loads the scoring facts for a set of contractors in five set-based queries: skills (with
 * categories), ratings and outcomes from history, and certifications valid on the job date.
 */
export async function loadCandidateFacts(db: Queryable, rows: EligibleRow[], jobDate: string): Promise<CandidateFacts[]> {
  if (rows.length === 0) return [];
  const ids = JSON.stringify(rows.map((r) => r.contractor_id));
  const idList = sql`(select jsonb_array_elements_text(${ids}::jsonb)::uuid)`;
  // Sequential on purpose: this runs inside hold/checkout transactions (one connection).
  const people = await db.execute<{ id: string; name: string }>(sql`select id, name from contractors where id in ${idList}`);
  const skills = await db.execute<{ contractor_id: string; task_id: string; category: string; confidence: 'expert' | 'capable'; last_performed_at: string | null }>(
    sql`select s.contractor_id, s.task_id, t.category, s.confidence, s.last_performed_at
        from contractor_skills s join contractor_tasks t on t.id = s.task_id
        where s.contractor_id in ${idList}`,
  );
  const ratings = await db.execute<{ contractor_id: string; n: number; total: number }>(
    sql`select contractor_id, count(*)::int as n, sum(customer_rating)::int as total from job_matching_history
        where was_selected and customer_rating is not null and contractor_id in ${idList} group by contractor_id`,
  );
  const outcomes = await db.execute<{ contractor_id: string; completed: number; cancelled: number; no_shows: number }>(
    sql`select contractor_id,
               count(*) filter (where status = 'completed')::int as completed,
               count(*) filter (where status = 'cancelled' and cancellation_cause = 'contractor')::int as cancelled,
               count(*) filter (where status = 'cancelled' and cancellation_cause = 'no_show')::int as no_shows
        from bookings where contractor_id in ${idList} group by contractor_id`,
  );
  const certs = await db.execute<{ contractor_id: string; type: CertificationType }>(
    sql`select distinct contractor_id, type from contractor_certifications
        where contractor_id in ${idList} and (expires_on is null or expires_on >= ${jobDate}::date)`,
  );
  const group = <T extends { contractor_id: string }>(list: T[]) => {
    const m = new Map<string, T[]>();
    for (const x of list) m.set(x.contractor_id, [...(m.get(x.contractor_id) ?? []), x]);
    return m;
  };
  const nameOf = new Map(people.rows.map((p) => [p.id, p.name]));
  const skillsOf = group(skills.rows);
  const ratingOf = new Map(ratings.rows.map((r) => [r.contractor_id, r]));
  const outcomeOf = new Map(outcomes.rows.map((o) => [o.contractor_id, o]));
  const certsOf = group(certs.rows);

  return rows.map((r) => {
    const rating = ratingOf.get(r.contractor_id);
    const outcome = outcomeOf.get(r.contractor_id);
    return {
      contractorId: r.contractor_id,
      name: nameOf.get(r.contractor_id) ?? '',
      distanceMiles: r.distance_miles,
      openJobs: r.open_jobs,
      maxConcurrentJobs: r.max_concurrent_jobs,
      skills: (skillsOf.get(r.contractor_id) ?? []).map((s) => ({
        taskId: s.task_id,
        category: s.category,
        confidence: s.confidence,
        lastPerformedAt: s.last_performed_at ? new Date(s.last_performed_at) : null,
      })),
      ratings: { count: rating?.n ?? 0, sum: rating?.total ?? 0 },
      outcomes: {
        completed: outcome?.completed ?? 0,
        contractorCancellations: outcome?.cancelled ?? 0,
        noShows: outcome?.no_shows ?? 0,
      },
      certifications: (certsOf.get(r.contractor_id) ?? []).map((c) => CERTIFICATION_NAMES[c.type]),
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
