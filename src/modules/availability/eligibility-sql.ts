import { sql, type SQL } from 'drizzle-orm';
import type { JobSpec } from '../jobs/index.js';
import { sqlList } from '../../db/sql-list.js';
import { ACTIVE_STATUSES } from '../bookings/schema.js';
import type { Slot } from './slot-time.js';

export type SlotRequest = { date: string; slot: Slot; start: string; end: string };

export const ACTIVE_BOOKING_STATUSES = sqlList(ACTIVE_STATUSES);

/** Who is asking: their own live hold for this job does not hide a slot from them. */
export type Viewer = { jobId: string | null; sessionId: string | null };

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
  const first = primaries[0];
  // Urgent work and browsing for a later request skip the schedule (true short-circuits it).
  const skipSchedule = opts.urgent || opts.ignoreSchedule ? sql`true` : sql`false`;
  return sql`
    with req as (
      select * from jsonb_to_recordset(${JSON.stringify(primaries)}::jsonb)
        as r(task_id text, required_confidence text, certs text[])
    ),
    wanted as materialized (
      select s.date, s.slot, s.start_t, s.end_t, extract(isodow from s.date)::int as dow
      from jsonb_to_recordset(${JSON.stringify(slots.map((s) => ({ date: s.date, slot: s.slot, start_t: s.start, end_t: s.end })))}::jsonb)
        as s(date date, slot slot_name, start_t time, end_t time)
      where not exists (select 1 from business_closures bc where bc.date = s.date)
    ),
    span as materialized (
      select min(date) as lo, max(date) as hi, array_agg(distinct dow) as days,
             min(start_t) filter (where slot = 'am') as am_start, max(end_t) filter (where slot = 'am') as am_end,
             min(start_t) filter (where slot = 'pm') as pm_start, max(end_t) filter (where slot = 'pm') as pm_end
      from wanted),
    -- Contractors are reached from the skill of the first primary task (its index), not by
    -- scanning everyone; a latitude band (a degree of latitude is at least 69 miles) rules the
    -- far ones out before the trigonometry. The other primaries are checked per contractor.
    qualified as materialized (
      select c.id, c.name, c.max_concurrent_jobs, ${miles(lat, lng)} as distance_miles
      from ${first ? sql`contractor_skills fs cross join lateral (select * from contractors c0 where c0.id = fs.contractor_id) c` : sql`contractors c`}
      where ${first ? sql`fs.task_id = ${first.task_id}::text and (${first.required_confidence}::text = 'capable' or fs.confidence = 'expert') and` : sql``}
        c.is_active
        and c.profile_completion_score >= 80
        and c.latitude is not null
        and abs(c.latitude - ${lat}) * 69.0 <= c.radius_miles
        and ${miles(lat, lng)} <= c.radius_miles
        ${opts.urgent ? sql`and c.on_shift and c.reactive_mode` : sql``}
        and not exists (
          select 1 from req r where ${first ? sql`r.task_id <> ${first.task_id}::text and` : sql``} not exists (
            select 1 from contractor_skills sk
            where sk.contractor_id = c.id and sk.task_id = r.task_id
              and (r.required_confidence = 'capable' or sk.confidence = 'expert')))
    ),
    -- Each qualified contractor's diary over the requested dates, read through its own indexes
    -- (one range scan per contractor and table, never the whole diary) and folded, per slot, into
    -- the few arrays the (slot x contractor) test below needs: the dates that slot is blocked
    -- (claimed, or the date full at max_concurrent_jobs), the dates an override opens or shuts it,
    -- and the weekdays the template covers it (an override decides its date; else the template).
    -- Each pair then costs a few array membership tests, not a walk through the raw diary.
    diary as materialized (
      select q.*, sc.booked,
             sc.full_dates || sc.taken_am as blocked_am, sc.full_dates || sc.taken_pm as blocked_pm,
             o.ov_open_am, o.ov_shut_am, o.ov_open_pm, o.ov_shut_pm, t.wk_am, t.wk_pm
      from qualified q cross join span
      -- An active booking always owns a booking claim on its own contractor, date and slot
      -- (bookings_claim_fk, bookings_active_owns_claim_chk), so the claims carry the open jobs too.
      cross join lateral (select coalesce(array_agg(sc.date) filter (where sc.kind = 'booking'), '{}') as booked,
                                 coalesce(array(select d from unnest(array_agg(sc.date) filter (where sc.kind = 'booking')) d
                                                group by d having count(*) >= q.max_concurrent_jobs), '{}') as full_dates,
                                 coalesce(array_agg(sc.date) filter (where sc.slot = 'am'), '{}') as taken_am,
                                 coalesce(array_agg(sc.date) filter (where sc.slot = 'pm'), '{}') as taken_pm from slot_claims sc
                          where sc.contractor_id = q.id and sc.date between span.lo and span.hi
                            and (sc.kind = 'booking'
                                 or (sc.expires_at > ${now.toISOString()}::timestamptz
                                     and not (sc.job_id is not distinct from ${viewer.jobId}::uuid
                                              and sc.session_id is not distinct from ${viewer.sessionId}::text)))) sc
      cross join lateral (select coalesce(array_agg(o.date) filter (where o.is_available and o.start_time <= span.am_start and o.end_time >= span.am_end), '{}') as ov_open_am,
                                 coalesce(array_agg(o.date) filter (where not coalesce(o.is_available and o.start_time <= span.am_start and o.end_time >= span.am_end, false)), '{}') as ov_shut_am,
                                 coalesce(array_agg(o.date) filter (where o.is_available and o.start_time <= span.pm_start and o.end_time >= span.pm_end), '{}') as ov_open_pm,
                                 coalesce(array_agg(o.date) filter (where not coalesce(o.is_available and o.start_time <= span.pm_start and o.end_time >= span.pm_end, false)), '{}') as ov_shut_pm
                          from contractor_availability_dates o where o.contractor_id = q.id and o.date between span.lo and span.hi) o
      -- The weekday is filtered after the contractor's index range (at most seven rows), not as an
      -- index condition: an "= any(array)" there makes a bitmap scan per contractor.
      cross join lateral (select coalesce(array_agg(t.weekday) filter (where t.start_time <= span.am_start and t.end_time >= span.am_end), '{}') as wk_am,
                                 coalesce(array_agg(t.weekday) filter (where t.start_time <= span.pm_start and t.end_time >= span.pm_end), '{}') as wk_pm
                          from contractor_weekly_availability t where t.contractor_id = q.id and t.weekday + 0 = any(span.days)) t
    )
    select q.id as contractor_id, q.name, q.distance_miles, coalesce(cardinality(array_positions(q.booked, w.date)), 0) as open_jobs,
           q.max_concurrent_jobs, w.date, w.slot
    from wanted w
    cross join diary q
    where case w.slot
            when 'am' then not w.date = any(q.blocked_am)
                           and (${skipSchedule} or w.date = any(q.ov_open_am) or (w.dow = any(q.wk_am) and not w.date = any(q.ov_shut_am)))
            else not w.date = any(q.blocked_pm)
                 and (${skipSchedule} or w.date = any(q.ov_open_pm) or (w.dow = any(q.wk_pm) and not w.date = any(q.ov_shut_pm))) end
      and not exists (
        select 1 from req r where r.certs is not null and not exists (
          select 1 from contractor_certifications k
          where k.contractor_id = q.id and k.type::text = any(r.certs)
            and (k.expires_on is null or k.expires_on >= w.date)))
`;
}
