import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sweepExpiredHolds } from '../../src/modules/bookings/sweep-expired-holds.js';
import { auth, DAY, makeContractor, makeJob, startHarness, type Harness, type JobHandle } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.reset());

const hold = (job: JobHandle, sessionId: string, date = DAY, slot = 'am') =>
  h.app.inject({ method: 'POST', url: `/api/customer/jobs/${job.token}/holds`, payload: { sessionId, date, slot } });
const claims = async () =>
  (
    await h.db.pool.query(
      `select c.id, c.contractor_id, c.date::text, c.slot, c.kind, c.session_id, c.expires_at, coalesce(c.candidates, r.candidates) as candidates
       from slot_claims c left join matching_rankings r on r.id = c.ranking_id order by c.created_at`,
    )
  ).rows;

describe('holding a slot', () => {
  it('holds the best-scoring eligible contractor for 300 seconds and does not reveal who', async () => {
    await makeContractor(h, { postcode: 'M1 1AE', radiusMiles: 200 });
    const near = await makeContractor(h, { postcode: 'SW11 1AA' });
    const job = await makeJob(h);
    const res = await hold(job, 'session-aaa');
    expect(res.statusCode).toBe(201);
    const body = res.json().hold;
    expect(body).toMatchObject({ date: DAY, slot: 'am', ttlSeconds: 300 });
    expect(new Date(body.expiresAt).getTime() - h.clock.now.getTime()).toBe(300_000);
    expect(JSON.stringify(res.json())).not.toContain(near);
    const [claim] = await claims();
    expect(claim).toMatchObject({ contractor_id: near, kind: 'hold', session_id: 'session-aaa' });
    expect(claim.candidates).toHaveLength(2);
  });

  it('gives the same session its existing hold', async () => {
    await makeContractor(h);
    const job = await makeJob(h);
    const first = await hold(job, 'session-aaa');
    h.clock.advance(60);
    const again = await hold(job, 'session-aaa');
    expect(again.statusCode).toBe(200);
    expect(again.json().hold.holdId).toBe(first.json().hold.holdId);
    expect(again.json().hold.ttlSeconds).toBe(240);
    expect(await claims()).toHaveLength(1);
  });

  it('releases the first hold when the session holds another slot', async () => {
    await makeContractor(h);
    const job = await makeJob(h);
    await hold(job, 'session-aaa', DAY, 'am');
    const pm = await hold(job, 'session-aaa', DAY, 'pm');
    expect(pm.statusCode).toBe(201);
    expect((await claims()).map((c) => c.slot)).toEqual(['pm']);
  });

  it('holds the next best contractor when the best is taken, then answers 409 SLOT_UNAVAILABLE', async () => {
    const best = await makeContractor(h, { postcode: 'SW11 1AA' });
    const second = await makeContractor(h, { postcode: 'SW8 1AA' });
    // Three customers on three links (one link holds at most 2 slots: SPEC "Limits per customer link").
    const [a, b, c] = [await makeJob(h), await makeJob(h), await makeJob(h)];
    await hold(a, 'session-aaa');
    await hold(b, 'session-bbb');
    const third = await hold(c, 'session-ccc');
    expect(third.statusCode).toBe(409);
    expect(third.json().error.code).toBe('SLOT_UNAVAILABLE');
    expect((await claims()).map((c) => c.contractor_id)).toEqual([best, second]);
  });

  it('a link the server kept in memory is checked against the job: a changed job is read again', async () => {
    const oddJobs = await makeContractor(h);
    const plumber = await makeContractor(h, {
      skills: [{ taskId: 'fix-leaking-taps-faucets', confidence: 'capable', yearsExperience: 2 }],
    });
    const job = await makeJob(h);
    expect((await hold(job, 'session-one')).statusCode).toBe(201); // the link is now kept
    // The job now needs a plumber. Only a fresh read of the link knows the plumber qualifies
    // (the kept one would look for odd-jobs people, and its only one is held: a false 409).
    await h.db.pool.query(`update job_task_requirements set task_id = 'fix-leaking-taps-faucets' where job_id = $1`, [job.jobId]);
    const res = await hold(job, 'session-two');
    expect(res.statusCode, res.body).toBe(201);
    expect((await claims()).map((c) => [c.session_id, c.contractor_id])).toEqual([
      ['session-one', oddJobs],
      ['session-two', plumber],
    ]);
  });

  it('never lets an expired hold block anyone', async () => {
    const only = await makeContractor(h);
    const job = await makeJob(h);
    await hold(job, 'session-aaa');
    expect((await hold(job, 'session-bbb')).statusCode).toBe(409);
    h.clock.advance(300);
    const res = await hold(job, 'session-bbb');
    expect(res.statusCode).toBe(201);
    expect((await claims()).map((c) => [c.contractor_id, c.session_id])).toEqual([[only, 'session-bbb']]);
  });

  it('sweeps expired holds (the job scheduled every minute)', async () => {
    await makeContractor(h);
    await makeContractor(h);
    const job = await makeJob(h);
    await hold(job, 'session-aaa');
    h.clock.advance(200);
    await hold(job, 'session-bbb');
    expect(await sweepExpiredHolds(h.db.db, new Date(h.clock.now.getTime() + 120_000))).toBe(1);
    expect((await claims()).map((c) => c.session_id)).toEqual(['session-bbb']);
  });

  it('lets the customer release a hold', async () => {
    await makeContractor(h);
    const job = await makeJob(h);
    await hold(job, 'session-aaa');
    const res = await h.app.inject({ method: 'DELETE', url: `/api/customer/jobs/${job.token}/holds/session-aaa` });
    expect(res.statusCode).toBe(204);
    expect(await claims()).toHaveLength(0);
  });

  it('refuses past, out-of-window and closed slots with 422', async () => {
    await makeContractor(h);
    const job = await makeJob(h);
    expect((await hold(job, 'session-aaa', '2026-11-23')).json().error.code).toBe('SLOT_NOT_BOOKABLE');
    expect((await hold(job, 'session-aaa', '2026-12-22')).json().error.code).toBe('SLOT_NOT_BOOKABLE');
    await h.app.inject({
      method: 'PUT',
      url: `/api/closures/${DAY}`,
      headers: auth(await h.tokenFor('va')),
      payload: { reason: 'Christmas party' },
    });
    const closed = await hold(job, 'session-aaa');
    expect(closed.statusCode).toBe(422);
    expect(closed.json().error.code).toBe('BUSINESS_CLOSED');
    expect(await claims()).toHaveLength(0);
  });

  it('answers 404 for an unknown link', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/customer/jobs/${'x'.repeat(43)}/holds`,
      payload: { sessionId: 'session-aaa', date: DAY, slot: 'am' },
    });
    expect(res.statusCode).toBe(404);
  });
});
