import type pg from 'pg';
import type { SlotWindows } from '../src/modules/availability/slot-time.js';

/**
 * The full-diary scenario: half of every contractor-slot in [first, last] booked (a confirmed
 * customer booking with its own job and claim, as checkout leaves them) and `holds` live holds on
 * free contractor-slots. Which half is decided by a hash, so a run is repeatable.
 */
export async function fillDiary(pool: pg.Pool, o: { first: string; last: string; windows: SlotWindows; zone: string; holds: number }) {
  const c = await pool.connect();
  try {
    await c.query('begin');
    await c.query(
      `create temp table diary on commit drop as
       select gen_random_uuid() as job_id, gen_random_uuid() as claim_id, k.id as contractor_id, d::date as date, s.slot::slot_name as slot
       from contractors k
       cross join generate_series($1::date, $2::date, interval '1 day') d
       cross join (values ('am'), ('pm')) s(slot)
       where abs(hashtext(k.id::text || d::date::text || s.slot)) % 2 = 0
         and not exists (select 1 from slot_claims sc where sc.contractor_id = k.id and sc.date = d::date and sc.slot = s.slot::slot_name)`,
      [o.first, o.last],
    );
    await c.query(
      `insert into jobs (id, postcode, outcode, latitude, longitude, customer_token_hash)
       select d.job_id, k.postcode, k.outcode, k.latitude, k.longitude, md5(d.job_id::text) from diary d join contractors k on k.id = d.contractor_id`,
    );
    await c.query(
      `insert into slot_claims (id, contractor_id, date, slot, kind, job_id) select claim_id, contractor_id, date, slot, 'booking', job_id from diary`,
    );
    const w = o.windows;
    await c.query(
      `insert into bookings (job_id, contractor_id, claim_id, date, slot, starts_at, ends_at, status, payment_status, source, confirmed_at)
       select job_id, contractor_id, claim_id, date, slot,
              (date + case slot when 'am' then $1::time else $3::time end) at time zone $5,
              (date + case slot when 'am' then $2::time else $4::time end) at time zone $5,
              'confirmed', 'paid', 'customer', now()
       from diary`,
      [w.am.start, w.am.end, w.pm.start, w.pm.end, o.zone],
    );
    const booked = (await c.query<{ n: number }>('select count(*)::int as n from diary')).rows[0]!.n;
    // Live holds on free contractor-slots, each by its own customer session.
    const holds = await c.query(
      `with free as (
         select k.id as contractor_id, d::date as date, s.slot::slot_name as slot, gen_random_uuid() as job_id
         from contractors k
         cross join generate_series($1::date, $2::date, interval '1 day') d
         cross join (values ('am'), ('pm')) s(slot)
         where not exists (select 1 from slot_claims sc where sc.contractor_id = k.id and sc.date = d::date and sc.slot = s.slot::slot_name)
         order by md5(k.id::text || d::date::text || s.slot) limit $3),
       j as (insert into jobs (id, postcode, outcode, latitude, longitude, customer_token_hash)
             select f.job_id, k.postcode, k.outcode, k.latitude, k.longitude, md5(f.job_id::text) from free f join contractors k on k.id = f.contractor_id)
       insert into slot_claims (contractor_id, date, slot, kind, job_id, session_id, expires_at)
       select contractor_id, date, slot, 'hold', job_id, 'diary-' || job_id, now() + interval '1 hour' from free`,
      [o.first, o.last, o.holds],
    );
    await c.query('commit');
    // As autovacuum leaves a live database (statistics, visibility map), not as the bulk load left it.
    await c.query('vacuum analyze');
    return { booked, holds: holds.rowCount ?? 0 };
  } catch (err) {
    await c.query('rollback');
    throw err;
  } finally {
    c.release();
  }
}

type Row = Record<string, unknown>;
const iso = (d: unknown) => String(d).slice(0, 10);

/**
 * The seed's availability engine (v1-implementation-guide.md 2.2), on this schema: load the
 * qualified contractors' skills, availability, confirmed bookings and live holds, then for every
 * availability row scan the bookings and holds arrays. Its schema kept one availability row per
 * date; ours has a weekly template with date overrides, so the rows are expanded first.
 */
export async function seedNaiveAvailability(pool: pg.Pool, taskIds: string[], fromDate: string, toDate: string) {
  const qualified = (
    await pool.query<Row>(
      'select s.*, row_to_json(c.*) as handyman from contractor_skills s join contractors c on c.id = s.contractor_id where s.task_id = any($1)',
      [taskIds],
    )
  ).rows;
  const contractorIds = [...new Set(qualified.map((cs) => cs.contractor_id as string))];
  if (contractorIds.length === 0) return [];
  const weekly = (await pool.query<Row>('select * from contractor_weekly_availability where contractor_id = any($1)', [contractorIds]))
    .rows;
  const overrides = (
    await pool.query<Row>('select * from contractor_availability_dates where contractor_id = any($1) and date >= $2 and date <= $3', [
      contractorIds,
      fromDate,
      toDate,
    ])
  ).rows;
  const existingBookings = (
    await pool.query<Row>(`select * from bookings where contractor_id = any($1) and date >= $2 and date <= $3 and status = 'confirmed'`, [
      contractorIds,
      fromDate,
      toDate,
    ])
  ).rows;
  const activeHolds = (
    await pool.query<Row>(`select * from slot_claims where contractor_id = any($1) and kind = 'hold' and expires_at >= now()`, [
      contractorIds,
    ])
  ).rows;

  const availability: { contractorId: string; date: string }[] = [];
  for (let t = Date.parse(`${fromDate}T00:00:00Z`); t <= Date.parse(`${toDate}T00:00:00Z`); t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    const weekday = ((new Date(t).getUTCDay() + 6) % 7) + 1;
    for (const contractorId of contractorIds) {
      const override = overrides.find((o) => o.contractor_id === contractorId && iso(o.date) === date);
      const works = override ? override.is_available : weekly.some((w) => w.contractor_id === contractorId && w.weekday === weekday);
      if (works) availability.push({ contractorId, date });
    }
  }

  const slotMap = new Map<string, { am: number; pm: number }>();
  for (const avail of availability) {
    const dateKey = avail.date;
    const taken = (list: Row[], slot: string) =>
      list.some((b) => b.contractor_id === avail.contractorId && iso(b.date) === dateKey && b.slot === slot);
    const isBookedAM = taken(existingBookings, 'am');
    const isBookedPM = taken(existingBookings, 'pm');
    const isHeldAM = taken(activeHolds, 'am');
    const isHeldPM = taken(activeHolds, 'pm');
    if (!slotMap.has(dateKey)) slotMap.set(dateKey, { am: 0, pm: 0 });
    const slot = slotMap.get(dateKey)!;
    if (!isBookedAM && !isHeldAM) slot.am++;
    if (!isBookedPM && !isHeldPM) slot.pm++;
  }
  return [...slotMap.entries()].map(([date, counts]) => ({ date, ...counts }));
}
