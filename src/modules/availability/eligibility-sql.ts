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
  return sql`
    with req as (
      select * from jsonb_to_recordset(${JSON.stringify(primaries)}::jsonb)
        as r(task_id text, required_confidence text, certs text[])
    ),
    wanted as (
      select s.date, s.slot, s.start_t, s.end_t
      from jsonb_to_recordset(${JSON.stringify(slots.map((s) => ({ date: s.date, slot: s.slot, start_t: s.start, end_t: s.end })))}::jsonb)
        as s(date date, slot slot_name, start_t time, end_t time)
      where not exists (select 1 from business_closures bc where bc.date = s.date)
    ),
    qualified as materialized (
      select c.id, c.max_concurrent_jobs, ${miles(lat, lng)} as distance_miles
      from contractors c
      where c.is_active
        and c.profile_completion_score >= 80
        and c.latitude is not null
        and ${miles(lat, lng)} <= c.radius_miles
        ${opts.urgent ? sql`and c.on_shift and c.reactive_mode` : sql``}
        and not exists (
          select 1 from req r where not exists (
            select 1 from contractor_skills sk
            where sk.contractor_id = c.id and sk.task_id = r.task_id
              and (r.required_confidence = 'capable' or sk.confidence = 'expert')))
    ),
    -- Only the qualified contractors' bookings (the active-slot partial index), not the whole diary.
    open_jobs as (
      select b.contractor_id, b.date, count(*)::int as n from bookings b
      where b.status in ${ACTIVE_BOOKING_STATUSES} and b.date in (select date from wanted)
        and b.contractor_id in (select id from qualified)
      group by b.contractor_id, b.date
    )
    select q.id as contractor_id, q.distance_miles, coalesce(oj.n, 0) as open_jobs, q.max_concurrent_jobs, w.date, w.slot
    from wanted w
    cross join qualified q
    left join open_jobs oj on oj.contractor_id = q.id and oj.date = w.date
    left join contractor_availability_dates o on o.contractor_id = q.id and o.date = w.date
    left join contractor_weekly_availability t on t.contractor_id = q.id and t.weekday = extract(isodow from w.date)::int
    where coalesce(oj.n, 0) < q.max_concurrent_jobs
      and (${opts.urgent || opts.ignoreSchedule ? sql`true` : sql`false`} or case when o.contractor_id is not null
                then o.is_available and o.start_time <= w.start_t and o.end_time >= w.end_t
                else t.start_time <= w.start_t and t.end_time >= w.end_t end)
      and not exists (
        select 1 from req r where r.certs is not null and not exists (
          select 1 from contractor_certifications k
          where k.contractor_id = q.id and k.type::text = any(r.certs)
            and (k.expires_on is null or k.expires_on >= w.date)))
      and not exists (
        select 1 from slot_claims sc
        where sc.contractor_id = q.id and sc.date = w.date and sc.slot = w.slot
          and (sc.kind = 'booking'
               or (sc.expires_at > ${now.toISOString()}::timestamptz
                   and not (sc.job_id is not distinct from ${viewer.jobId}::uuid
                            and sc.session_id is not distinct from ${viewer.sessionId}::text))))`;
}
