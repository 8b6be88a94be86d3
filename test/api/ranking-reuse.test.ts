import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/modules/availability/slot-time.js';
import { DAY, makeContractor, makeJob, startHarness, type Harness } from '../helpers/harness.js';

/**
 * HOLD_RANKING_REUSE_MS on (a minute, so every hold below reuses the first ranking): the reused
 * list is filtered by the claims of the moment and the UNIQUE claim still decides, so a reused
 * ranking never yields two holds on one contractor slot nor a hold on a taken one.
 */
const RACERS = 30;
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ poolMax: RACERS + 10, env: { HOLD_RANKING_REUSE_MS: '60000' } });
});
afterAll(async () => {
  await h.close();
});

const post = (path: string, body: object) =>
  fetch(`${h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('holds reusing one ranking', () => {
  it(`${RACERS} customers, 3 contractors: exactly 3 holds, each on its own contractor, then 409s naming no one`, async () => {
    const contractors = [await makeContractor(h), await makeContractor(h), await makeContractor(h)];
    const date = addDays(DAY, 3);
    const jobs = await Promise.all(Array.from({ length: RACERS }, () => makeJob(h)));
    // One hold first: it ranks and the ranking is kept.
    expect((await post(`/api/customer/jobs/${jobs[0]!.token}/holds`, { sessionId: 'reuse-session-0', date, slot: 'am' })).status).toBe(201);
    const rest = await Promise.all(
      jobs.slice(1).map((j, i) => post(`/api/customer/jobs/${j.token}/holds`, { sessionId: `reuse-session-${i + 1}`, date, slot: 'am' })),
    );
    const statuses = rest.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(2);
    expect(statuses.filter((s) => s === 409)).toHaveLength(RACERS - 3);
    const { rows } = await h.db.pool.query(`select contractor_id from slot_claims where date = $1 and slot = 'am' order by contractor_id`, [
      date,
    ]);
    expect(rows.map((r) => r.contractor_id)).toEqual([...contractors].sort());

    // A hold released frees its contractor for the next customer, through the same reused ranking.
    expect((await fetch(`${h.url}/api/customer/jobs/${jobs[0]!.token}/holds/reuse-session-0`, { method: 'DELETE' })).status).toBe(204);
    const again = await post(`/api/customer/jobs/${jobs[RACERS - 1]!.token}/holds`, { sessionId: 'late-session', date, slot: 'am' });
    expect(again.status).toBe(201);
    const { rows: dup } = await h.db.pool.query(
      `select count(*)::int as n from (select 1 from slot_claims group by contractor_id, date, slot having count(*) > 1) d`,
    );
    expect(dup[0].n).toBe(0);
  });

  it('a reused ranking never holds a contractor who became inactive or reached max jobs that day since', async () => {
    await h.reset();
    const best = await makeContractor(h, { postcode: 'SW11 1AA', maxConcurrentJobs: 1 });
    const second = await makeContractor(h, { postcode: 'SW8 1AA' });
    const third = await makeContractor(h, { postcode: 'SW4 1AA' });
    const date = addDays(DAY, 5);
    const [a, b, c] = [await makeJob(h), await makeJob(h), await makeJob(h)];
    // The ranking is made (and kept) with all three free; the first hold takes the best.
    expect((await post(`/api/customer/jobs/${a.token}/holds`, { sessionId: 'capacity-session-a', date, slot: 'am' })).status).toBe(201);
    expect(
      (await h.db.pool.query(`select contractor_id from slot_claims where session_id = 'capacity-session-a'`)).rows[0].contractor_id,
    ).toBe(best);
    // Then, behind the kept ranking's back: the best is booked for the afternoon too (max 1 a day)
    // once its hold is released, and the second is deactivated.
    expect((await fetch(`${h.url}/api/customer/jobs/${a.token}/holds/capacity-session-a`, { method: 'DELETE' })).status).toBe(204);
    await h.db.pool.query(`update contractors set is_active = false where id = $1`, [second]);
    const staff = await h.app.inject({
      method: 'POST',
      url: '/api/bookings',
      headers: { authorization: `Bearer ${await h.tokenFor('admin')}` },
      payload: { jobId: c.jobId, contractorId: best, date, slot: 'pm' },
    });
    expect(staff.statusCode, staff.body).toBe(201);
    // The reused ranking still lists both first; the hold goes to the third.
    expect((await post(`/api/customer/jobs/${b.token}/holds`, { sessionId: 'capacity-session-b', date, slot: 'am' })).status).toBe(201);
    expect(
      (await h.db.pool.query(`select contractor_id from slot_claims where session_id = 'capacity-session-b'`)).rows[0].contractor_id,
    ).toBe(third);
  });

  it('a contractor released after the kept ranking was made is still found: a refusal is answered from a fresh ranking', async () => {
    await h.reset();
    const near = await makeContractor(h, { postcode: 'SW11 1AA' });
    const far = await makeContractor(h, { postcode: 'SW4 1AA' });
    const date = addDays(DAY, 6);
    const odd = [{ taskId: 'general-odd-jobs' }];
    // Another spec (an extra secondary task: its own ranking) holds the nearest contractor first.
    const other = await makeJob(h, { postcode: 'SW11 1AA', requirements: [...odd, { taskId: 'patch-drywall-holes', isPrimary: false }] });
    expect((await post(`/api/customer/jobs/${other.token}/holds`, { sessionId: 'stale-session-other', date, slot: 'am' })).status).toBe(
      201,
    );
    const holder = async (session: string) =>
      (await h.db.pool.query(`select contractor_id from slot_claims where session_id = $1`, [session])).rows[0]?.contractor_id;
    expect(await holder('stale-session-other')).toBe(near);
    // This spec's ranking is made (and kept) while the nearest is held: it lists only the far one.
    const [a, b] = [
      await makeJob(h, { postcode: 'SW11 1AA', requirements: odd }),
      await makeJob(h, { postcode: 'SW11 1AA', requirements: odd }),
    ];
    expect((await post(`/api/customer/jobs/${a.token}/holds`, { sessionId: 'stale-session-a', date, slot: 'am' })).status).toBe(201);
    expect(await holder('stale-session-a')).toBe(far);
    // The nearest is released; the kept ranking does not know. The next customer still gets them.
    expect((await fetch(`${h.url}/api/customer/jobs/${other.token}/holds/stale-session-other`, { method: 'DELETE' })).status).toBe(204);
    const res = await post(`/api/customer/jobs/${b.token}/holds`, { sessionId: 'stale-session-b', date, slot: 'am' });
    expect(res.status, await res.text()).toBe(201);
    expect(await holder('stale-session-b')).toBe(near);
  });
});
