import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auth, DAY, enquiry, makeContractor, makeJob, startHarness, type Harness, type JobHandle } from '../helpers/harness.js';

/**
 * Mixed-trade jobs (issue 17): a tap (Plumbing) and a TV mount (General) that nobody does alone
 * are split into two visits in the same slot, each its own contractor, held, booked and paid together.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ poolMax: 40 });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.reset());

const TAPS = { taskId: 'fix-leaking-taps-faucets', confidence: 'expert' as const, yearsExperience: 8 };
const TV = { taskId: 'mount-tvs', confidence: 'capable' as const, yearsExperience: 3 };
const plumber = (postcode = 'SW11 1AA') => makeContractor(h, { postcode, skills: [TAPS] });
const tvMounter = (postcode = 'SW11 1AA') => makeContractor(h, { postcode, skills: [TV] });
const mixedJob = () => makeJob(h, { requirements: [{ taskId: 'fix-leaking-taps-faucets' }, { taskId: 'mount-tvs' }] });
const hold = (job: JobHandle, sessionId: string, date = DAY, slot = 'am') =>
  h.app.inject({ method: 'POST', url: `/api/customer/jobs/${job.token}/holds`, payload: { sessionId, date, slot } });
const checkout = (job: JobHandle, sessionId: string, held?: object) =>
  h.app.inject({ method: 'POST', url: `/api/customer/jobs/${job.token}/checkout`, payload: { sessionId, ...held } });
const rows = async (sql: string, params: unknown[] = []) => (await h.db.pool.query(sql, params)).rows;
async function dayAvailability(job: JobHandle, sessionId?: string) {
  const res = await h.app.inject(
    `/api/customer/jobs/${job.token}/availability?from=${DAY}&to=${DAY}${sessionId ? `&sessionId=${sessionId}` : ''}`,
  );
  expect(res.statusCode, res.body).toBe(200);
  return res.json().days[0].slots as { slot: string; contractorCount: number; visits: number }[];
}

describe('availability', () => {
  it('offers a slot when every trade visit has its own free contractor', async () => {
    const job = await mixedJob();
    await plumber();
    expect((await dayAvailability(job)).map((s) => s.contractorCount)).toEqual([0, 0]);
    await tvMounter();
    expect(await dayAvailability(job)).toMatchObject([
      { slot: 'am', contractorCount: 1, visits: 2 },
      { slot: 'pm', contractorCount: 1, visits: 2 },
    ]);
  });

  it('prefers one contractor who can do everything: then it is one visit', async () => {
    await plumber();
    await tvMounter();
    await makeContractor(h, { skills: [TAPS, TV] });
    expect(await dayAvailability(await mixedJob())).toMatchObject([
      { contractorCount: 1, visits: 1 },
      { contractorCount: 1, visits: 1 },
    ]);
  });

  it('needs distinct people: one contractor cannot be two visits', async () => {
    // Tap + TV + gutters: the all-rounder covers plumbing and general but not garden, the gardener only garden.
    await makeContractor(h, { skills: [TAPS, TV] });
    await makeContractor(h, { skills: [{ taskId: 'gutter-cleaning', confidence: 'expert', yearsExperience: 2 }] });
    const job = await makeJob(h, {
      requirements: [{ taskId: 'fix-leaking-taps-faucets' }, { taskId: 'mount-tvs' }, { taskId: 'gutter-cleaning' }],
    });
    expect((await dayAvailability(job)).map((s) => s.contractorCount)).toEqual([0, 0]);
    await plumber();
    expect(await dayAvailability(job)).toMatchObject([
      { contractorCount: 1, visits: 3 },
      { contractorCount: 1, visits: 3 },
    ]);
  });
});

describe('hold and checkout', () => {
  it('holds one contractor per visit in the same slot and books them together', async () => {
    const p = await plumber();
    const g = await tvMounter();
    const job = await mixedJob();
    const held = await hold(job, 'session-aaa');
    expect(held.statusCode, held.body).toBe(201);
    expect(held.json().hold).toMatchObject({ date: DAY, slot: 'am', ttlSeconds: 300 });
    const claims = await rows(`select contractor_id, visit, kind, date::text as date, slot, expires_at from slot_claims order by visit`);
    expect(claims.map((c) => [c.contractor_id, c.visit, c.kind, c.date, c.slot])).toEqual([
      [p, 0, 'hold', DAY, 'am'],
      [g, 1, 'hold', DAY, 'am'],
    ]);
    expect(claims[0].expires_at).toEqual(claims[1].expires_at);
    // The holder still sees the slot; another customer does not.
    expect((await dayAvailability(job, 'session-aaa'))[0]!.contractorCount).toBe(1);
    expect((await dayAvailability(await mixedJob()))[0]!.contractorCount).toBe(0);
    expect((await hold(job, 'session-aaa')).statusCode).toBe(200);

    const res = await checkout(job, 'session-aaa');
    expect(res.statusCode, res.body).toBe(201);
    const made = await rows(`select id, contractor_id, visit, status from bookings order by visit`);
    expect(made.map((b) => [b.contractor_id, b.visit, b.status])).toEqual([
      [p, 0, 'pending_confirmation'],
      [g, 1, 'pending_confirmation'],
    ]);
    expect(res.json().booking.id).toBe(made[0].id);
    expect((await checkout(job, 'session-aaa')).json().booking.id).toBe(made[0].id);
    const history = await rows(`select booking_id, contractor_id from job_matching_history where was_selected order by contractor_id`);
    expect(history).toHaveLength(2);
  });

  it('releasing the hold releases every visit', async () => {
    await plumber();
    await tvMounter();
    const job = await mixedJob();
    await hold(job, 'session-aaa');
    const res = await h.app.inject({ method: 'DELETE', url: `/api/customer/jobs/${job.token}/holds/session-aaa` });
    expect(res.statusCode).toBe(204);
    expect(await rows('select id from slot_claims')).toEqual([]);
  });

  it('all or nothing: when one trade is gone after the hold expired, checkout books nobody', async () => {
    await plumber();
    await tvMounter();
    const job = await mixedJob();
    await hold(job, 'session-aaa');
    h.clock.advance(301);
    // Someone else takes the only TV mounter for that slot.
    const tvOnly = await makeJob(h, { requirements: [{ taskId: 'mount-tvs' }] });
    expect((await hold(tvOnly, 'session-bbb')).statusCode).toBe(201);
    const res = await checkout(job, 'session-aaa', { date: DAY, slot: 'am' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('SLOT_UNAVAILABLE');
    expect(await rows('select id from bookings')).toEqual([]);
    // Nothing half-held either: session-aaa keeps no live claim (its expired ones never block and are swept).
    const live = await rows('select session_id from slot_claims where kind = $1 and expires_at > $2', ['hold', h.clock.now]);
    expect(live.map((r) => r.session_id)).toEqual(['session-bbb']);
  });

  it('one quote, one checkout, one deposit: a web enquiry for a tap and a TV books two visits', async () => {
    const p = await plumber();
    const g = await tvMounter();
    const created = (await h.app.inject({ method: 'POST', url: '/api/leads/web', payload: enquiry() })).json();
    const token = created.quote.url.split('/q/')[1];
    await h.app.inject(`/api/q/${token}`);
    const held = await h.app.inject({
      method: 'POST',
      url: `/api/q/${token}/holds`,
      payload: { sessionId: 'browser-1', date: DAY, slot: 'pm' },
    });
    expect(held.statusCode, held.body).toBe(201);
    const booked = await h.app.inject({ method: 'POST', url: `/api/q/${token}/checkout`, payload: { sessionId: 'browser-1' } });
    expect(booked.statusCode, booked.body).toBe(201);
    const made = await rows(`select contractor_id, visit, quote_id, deposit_pence from bookings order by visit`);
    expect(made.map((b) => b.visit)).toEqual([0, 1]);
    expect(made.map((b) => b.contractor_id).sort()).toEqual([p, g].sort());
    expect(made[0].deposit_pence).toBeGreaterThan(0);
    expect(made[1].deposit_pence).toBeNull();
    expect(made[1].quote_id).toBe(made[0].quote_id);
    const lead = (await h.app.inject({ url: `/api/leads/${created.lead.id}`, headers: auth(await h.tokenFor('va')) })).json();
    expect(lead.lead.state).toBe('assigned');
  });
});

describe('races', () => {
  it('customers racing for the one TV mounter: exactly one gets the slot, the others hold nothing', async () => {
    const RACERS = 6;
    const ROUNDS = 5;
    const plumbers = [];
    for (let i = 0; i < RACERS; i++) plumbers.push(await plumber());
    const g = await tvMounter();
    for (let round = 0; round < ROUNDS; round++) {
      const date = `2026-11-${24 + round}`;
      const jobs: JobHandle[] = [];
      for (let i = 0; i < RACERS; i++) jobs.push(await mixedJob());
      const results = await Promise.all(
        jobs.map((job, i) =>
          fetch(`${h.url}/api/customer/jobs/${job.token}/holds`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ sessionId: `racer-${round}-${i}`, date, slot: 'am' }),
          }),
        ),
      );
      const codes = results.map((r) => r.status).sort();
      expect(codes, `round ${round}`).toEqual([201, ...Array<number>(RACERS - 1).fill(409)]);
      const claims = await rows(`select job_id, contractor_id, visit from slot_claims where date = $1 order by visit`, [date]);
      expect(claims).toHaveLength(2);
      expect(claims[0].job_id).toBe(claims[1].job_id);
      expect(claims[1].contractor_id).toBe(g);
      expect(plumbers).toContain(claims[0].contractor_id);
      const winner = jobs.findIndex((j) => j.jobId === claims[0].job_id);
      expect((await checkout(jobs[winner]!, `racer-${round}-${winner}`)).statusCode).toBe(201);
    }
    const perSlot = await rows(
      `select contractor_id, date, slot, count(*)::int as n from bookings where status = 'pending_confirmation' group by 1, 2, 3 having count(*) > 1`,
    );
    expect(perSlot).toEqual([]);
    expect((await rows(`select count(*)::int as n from bookings`))[0].n).toBe(2 * ROUNDS);
  });
});

describe('re-dispatching one visit of a team', () => {
  it('is 409 JOB_ALREADY_BOOKED naming the other visit, and changes nothing: urgent work is one contractor for the whole job', async () => {
    await plumber();
    await tvMounter();
    const job = await mixedJob();
    expect((await hold(job, 'session-aaa')).statusCode).toBe(201);
    expect((await checkout(job, 'session-aaa')).statusCode).toBe(201);
    const [first, second] = await rows(`select id, status from bookings order by visit`);
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/bookings/${second.id}/dispatch`,
      headers: auth(await h.tokenFor('admin')),
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'JOB_ALREADY_BOOKED', details: { bookingId: first.id } });
    expect((await rows(`select status from bookings order by visit`)).map((b) => b.status)).toEqual([
      'pending_confirmation',
      'pending_confirmation',
    ]);
    expect(await rows(`select id from urgent_dispatches`)).toEqual([]);
  });
});
