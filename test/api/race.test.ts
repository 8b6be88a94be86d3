import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/modules/availability/slot-time.js';
import { auth, DAY, makeContractor, makeJob, startHarness, type Harness } from '../helpers/harness.js';

/**
 * Races over real sockets: every request is its own HTTP call, served on its own pooled database
 * connection, so the database (not the event loop) decides who wins.
 */
const RACERS = 50;
const ROUNDS = 5;

let h: Harness;
// Every racer comes from 127.0.0.1: lift the per-IP hold limit so only the slot is contended.
beforeAll(async () => {
  h = await startHarness({ poolMax: RACERS + 10, env: { HOLD_RATE_LIMIT: '100000' } });
});
afterAll(async () => {
  await h.close();
});

const post = (path: string, body: object, headers: Record<string, string> = {}) =>
  fetch(`${h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

async function doubleBookings(): Promise<number> {
  const { rows } = await h.db.pool.query(`
    select count(*)::int as n from (
      select contractor_id, date, slot from slot_claims group by 1, 2, 3 having count(*) > 1
      union all
      select contractor_id, date, slot from bookings where status in ('pending_confirmation','confirmed','in_progress')
      group by 1, 2, 3 having count(*) > 1) d`);
  return rows[0].n;
}

describe(`${RACERS} customers race for the last free contractor`, () => {
  it(`exactly one hold wins, ${ROUNDS} rounds in a row, and exactly one checkout books`, { timeout: 120_000 }, async () => {
    // Capacity for every round's booking, so only the slot itself is contended.
    const contractor = await makeContractor(h, { maxConcurrentJobs: ROUNDS });
    for (let round = 0; round < ROUNDS; round++) {
      const date = addDays(DAY, round);
      const jobs = await Promise.all(Array.from({ length: RACERS }, () => makeJob(h)));
      const holds = await Promise.all(
        jobs.map((j, i) => post(`/api/customer/jobs/${j.token}/holds`, { sessionId: `racer-${round}-${i}`, date, slot: 'am' })),
      );
      const statuses = holds.map((r) => r.status);
      expect(
        statuses.filter((s) => s === 201),
        `round ${round}: ${statuses.join(',')}`,
      ).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(RACERS - 1);
      const loser = await holds.find((r) => r.status === 409)!.json();
      expect(loser.error.code).toBe('SLOT_UNAVAILABLE');

      const checkouts = await Promise.all(
        jobs.map((j, i) => post(`/api/customer/jobs/${j.token}/checkout`, { sessionId: `racer-${round}-${i}`, date, slot: 'am' })),
      );
      expect(checkouts.filter((r) => r.status === 201)).toHaveLength(1);
      const { rows } = await h.db.pool.query(`select contractor_id from bookings where date = $1 and slot = 'am'`, [date]);
      expect(rows).toEqual([{ contractor_id: contractor }]);
      expect(await doubleBookings()).toBe(0);
    }
  });

  it('staff racing to book the same contractor slot: exactly one wins, the rest get a 409 naming it', async () => {
    const contractor = await makeContractor(h);
    const date = addDays(DAY, 10);
    const admin = auth(await h.tokenFor('admin'));
    const jobs = await Promise.all(Array.from({ length: RACERS }, () => makeJob(h)));
    const res = await Promise.all(
      jobs.map((j) => post('/api/bookings', { jobId: j.jobId, contractorId: contractor, date, slot: 'pm' }, admin)),
    );
    const created = res.filter((r) => r.status === 201);
    expect(created).toHaveLength(1);
    const winner = (await created[0]!.json()).booking.id;
    const conflicts = await Promise.all(res.filter((r) => r.status === 409).map((r) => r.json()));
    expect(conflicts).toHaveLength(RACERS - 1);
    for (const c of conflicts) expect(c.error).toMatchObject({ code: 'SLOT_CONFLICT', details: { bookingId: winner } });
    expect(await doubleBookings()).toBe(0);
  });
});

describe('the race test can catch a double booking', () => {
  it('a naive check-then-insert with no database guard double-books under the same load', async () => {
    await h.db.pool.query(`create table naive_claims (contractor_id uuid, date date, slot text)`);
    const contractor = '00000000-0000-0000-0000-000000000001';
    const attempt = async () => {
      const client = await h.db.pool.connect();
      try {
        await client.query('begin');
        const { rows } = await client.query(`select 1 from naive_claims where contractor_id = $1 and date = $2 and slot = 'am'`, [
          contractor,
          DAY,
        ]);
        await client.query('select pg_sleep(0.02)'); // the gap every check-then-insert has, made visible
        if (rows.length === 0) await client.query(`insert into naive_claims values ($1, $2, 'am')`, [contractor, DAY]);
        await client.query('commit');
      } finally {
        client.release();
      }
    };
    await Promise.all(Array.from({ length: RACERS }, attempt));
    const { rows } = await h.db.pool.query('select count(*)::int as n from naive_claims');
    expect(rows[0].n).toBeGreaterThan(1);
  });
});
