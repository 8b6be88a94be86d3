import { sql, type SQL } from 'drizzle-orm';
import type { JobSpec } from '../jobs/index.js';
import { sqlList } from '../../db/sql-list.js';
import { ACTIVE_STATUSES } from '../bookings/schema.js';
import type { Slot } from './slot-time.js';

export type SlotRequest = { date: string; slot: Slot; start: string; end: string };

/** Who is asking: their own live hold for this job does not hide a slot from them. */
export type Viewer = { jobId: string | null; sessionId: string | null };

export const ACTIVE_BOOKING_STATUSES = sqlList(ACTIVE_STATUSES);

const miles = (lat: SQL, lng: SQL) => sql`(2 * 3958.7613 * asin(sqrt(
    power(sin(radians(c.latitude - ${lat}) / 2), 2)
    + cos(radians(${lat})) * cos(radians(c.latitude)) * power(sin(radians(c.longitude - ${lng}) / 2), 2))))`;

/**
 * One set-based statement for every rule of SPEC "Availability": it yields a row per
 * (eligible contractor, slot). Rules, in order: the slot is not a closure day; the contractor is
 * active, profile >= 80, inside their radius of the customer, qualified (confidence) for every
 * primary task; under max_concurrent_jobs active bookings on the slot's date (SPEC: open jobs count
 * per date, other dates never do); their template or date override covers the slot;
 * they hold any required certification valid on that date; no booking and no other session's
 * live hold claims that contractor slot.
 *
 * Parameters travel as JSON so drizzle sends one parameter per list.
 */
export function eligibleContractorSlots(
  spec: JobSpec,
  slots: SlotRequest[],
  viewer: Viewer,
  now: Date,
  /**
   * Urgent work: being on shift and in reactive mode replaces the schedule check (`urgent`).
   * Browsing for a later request drops the schedule check only (`ignoreSchedule`).
   */
  opts: { urgent?: boolean; ignoreSchedule?: boolean } = {},
): SQL {
  const primaries = spec.tasks
    .filter((t) => t.isPrimary)
    .map((t) => ({
      task_id: t.taskId,
      required_confidence: t.requiredConfidence,
      certs: t.acceptedCertifications.length ? t.acceptedCertifications : null,
    }));
  const lat = sql`${spec.latitude}::float8`;
  const lng = sql`${spec.longitude}::float8`;
  // Contractors are found from the skill of the first primary task (its index), not by scanning
  // everyone; the other primaries are checked per contractor.
  const first = primaries[0];
  const viaSkill = first
    ? sql`and c.id in (select sk.contractor_id from contractor_skills sk
                       where sk.task_id = ${first.task_id}::text and (${first.required_confidence}::text = 'capable' or sk.confidence = 'expert'))`
    : sql``;
  return sql`
    with req as (
      select * from jsonb_to_recordset(${JSON.stringify(primaries)}::jsonb)
        as r(task_id text, required_confidence text, certs text[])
    ),
    wanted as materialized (
      select s.date, s.slot, s.start_t, s.end_t
      from jsonb_to_recordset(${JSON.stringify(slots.map((s) => ({ date: s.date, slot: s.slot, start_t: s.start, end_t: s.end })))}::jsonb)
        as s(date date, slot slot_name, start_t time, end_t time)
      where not exists (select 1 from business_closures bc where bc.date = s.date)
    ),
    span as materialized (select min(date) as lo, max(date) as hi, array_agg(distinct extract(isodow from date)::int) as days from wanted),
    qualified as materialized (
      select c.id, c.name, c.max_concurrent_jobs, ${miles(lat, lng)} as distance_miles
      from contractors c
      where c.is_active
        and c.profile_completion_score >= 80
        and c.latitude is not null
        ${viaSkill}
        and ${miles(lat, lng)} <= c.radius_miles
        ${opts.urgent ? sql`and c.on_shift and c.reactive_mode` : sql``}
        and not exists (
          select 1 from req r where ${first ? sql`r.task_id <> ${first.task_id}::text and` : sql``} not exists (
            select 1 from contractor_skills sk
            where sk.contractor_id = c.id and sk.task_id = r.task_id
              and (r.required_confidence = 'capable' or sk.confidence = 'expert')))
    ),
    -- Each qualified contractor's diary over the requested dates, read through its own indexes
    -- (one range scan per contractor and table, never the whole diary) into arrays, so the
    -- (slot x contractor) pairs below are tested by expressions, not by joins whose sizes the
    -- planner cannot know.
    diary as materialized (
      select q.*, b.booked, sc.taken_am, sc.taken_pm, o.ov_date, o.ov_avail, o.ov_start, o.ov_end, t.wk_day, t.wk_start, t.wk_end
      from qualified q cross join span
      cross join lateral (select coalesce(array_agg(b.date), '{}') as booked from bookings b
                          where b.contractor_id = q.id and b.date between span.lo and span.hi and b.status in ${ACTIVE_BOOKING_STATUSES}) b
      cross join lateral (select coalesce(array_agg(sc.date) filter (where sc.slot = 'am'), '{}') as taken_am,
                                 coalesce(array_agg(sc.date) filter (where sc.slot = 'pm'), '{}') as taken_pm from slot_claims sc
                          where sc.contractor_id = q.id and sc.date between span.lo and span.hi
                            and (sc.kind = 'booking'
                                 or (sc.expires_at > ${now.toISOString()}::timestamptz
                                     and not (sc.job_id is not distinct from ${viewer.jobId}::uuid
                                              and sc.session_id is not distinct from ${viewer.sessionId}::text)))) sc
      cross join lateral (select array_agg(o.date) as ov_date, array_agg(o.is_available) as ov_avail,
                                 array_agg(o.start_time) as ov_start, array_agg(o.end_time) as ov_end
                          from contractor_availability_dates o where o.contractor_id = q.id and o.date between span.lo and span.hi) o
      cross join lateral (select array_agg(t.weekday) as wk_day, array_agg(t.start_time) as wk_start, array_agg(t.end_time) as wk_end
                          from contractor_weekly_availability t where t.contractor_id = q.id and t.weekday = any(span.days)) t
    )
    select q.id as contractor_id, q.name, q.distance_miles, x.open_jobs, q.max_concurrent_jobs, w.date, w.slot
    from wanted w
    cross join diary q
    cross join lateral (select coalesce(cardinality(array_positions(q.booked, w.date)), 0) as open_jobs,
                               array_position(q.ov_date, w.date) as oi,
                               array_position(q.wk_day, extract(isodow from w.date)::int) as wi) x
    where x.open_jobs < q.max_concurrent_jobs
      and (${opts.urgent || opts.ignoreSchedule ? sql`true` : sql`false`} or case when x.oi is not null
                then q.ov_avail[x.oi] and q.ov_start[x.oi] <= w.start_t and q.ov_end[x.oi] >= w.end_t
                else q.wk_start[x.wi] <= w.start_t and q.wk_end[x.wi] >= w.end_t end)
      and not exists (
        select 1 from req r where r.certs is not null and not exists (
          select 1 from contractor_certifications k
          where k.contractor_id = q.id and k.type::text = any(r.certs)
            and (k.expires_on is null or k.expires_on >= w.date)))
      and not w.date = any(case w.slot when 'am' then q.taken_am else q.taken_pm end)`;
}
