import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auth, DAY, type Harness, type JobHandle, makeContractor, makeJob, startHarness } from '../helpers/harness.js';

/**
 * SPEC (issue 17): open jobs count per date (max_concurrent_jobs active bookings ON THAT DATE;
 * bookings on other dates never count), and the skill component's expertise bonus is +15 only
 * when a primary task asks for expert, +5 when the job asks for capable throughout.
 */
let h: Harness;
let admin: Record<string, string>;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.reset();
  admin = auth(await h.tokenFor('admin'));
});

const OTHER_DAY = '2026-12-10';
const staffBook = async (contractorId: string, date: string, slot: 'am' | 'pm') =>
  h.app.inject({
    method: 'POST',
    url: '/api/bookings',
    headers: admin,
    payload: { jobId: (await makeJob(h)).jobId, contractorId, date, slot },
  });
const hold = (job: JobHandle, sessionId: string, date = DAY, slot = 'am') =>
  h.app.inject({ method: 'POST', url: `/api/customer/jobs/${job.token}/holds`, payload: { sessionId, date, slot } });
const checkout = (job: JobHandle, sessionId: string) =>
  h.app.inject({ method: 'POST', url: `/api/customer/jobs/${job.token}/checkout`, payload: { sessionId } });
async function counts(job: JobHandle, date: string) {
  const res = await h.app.inject(`/api/customer/jobs/${job.token}/availability?from=${date}&to=${date}`);
  expect(res.statusCode, res.body).toBe(200);
  const [day] = res.json().days as { slots: { slot: string; contractorCount: number }[] }[];
  return Object.fromEntries(day!.slots.map((s) => [s.slot, s.contractorCount]));
}
async function rank(date: string, slot: 'am' | 'pm', requirements: object[] = [{ taskId: 'general-odd-jobs' }]) {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/matching/rank',
    headers: admin,
    payload: { job: { postcode: 'SW11 2BB', requirements }, date, slot },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().candidates as { contractorId: string; openJobs: number; breakdown: Record<string, number>; reasons: string[] }[];
}

describe('open jobs count per date', () => {
  it('availability: at max_concurrent_jobs on a date a contractor takes nothing more that date, other dates stay open', async () => {
    const id = await makeContractor(h, { maxConcurrentJobs: 1 });
    expect((await staffBook(id, OTHER_DAY, 'pm')).statusCode).toBe(201);
    const job = await makeJob(h);
    expect(await counts(job, DAY)).toEqual({ am: 1, pm: 1 });
    expect(await counts(job, OTHER_DAY)).toEqual({ am: 0, pm: 0 });
  });

  it('availability: a contractor can fill the whole diary, one job a day', async () => {
    const id = await makeContractor(h, { maxConcurrentJobs: 1 });
    const dates = ['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30'];
    for (const d of dates) expect((await staffBook(id, d, 'am')).statusCode).toBe(201);
    const job = await makeJob(h);
    for (const d of dates) expect(await counts(job, d)).toEqual({ am: 0, pm: 0 });
    expect(await counts(job, '2026-12-01')).toEqual({ am: 1, pm: 1 });
  });

  it('ranking: workload and open jobs are those of the slot date', async () => {
    const id = await makeContractor(h, { maxConcurrentJobs: 2 });
    expect((await staffBook(id, DAY, 'am')).statusCode).toBe(201);
    const [onDay] = await rank(DAY, 'pm');
    expect(onDay).toMatchObject({ contractorId: id, openJobs: 1 });
    expect(onDay!.breakdown.workload).toBe(5);
    expect(onDay!.reasons).toContain('1 of 2 job slots in use that day');
    const [elsewhere] = await rank(OTHER_DAY, 'pm');
    expect(elsewhere).toMatchObject({ contractorId: id, openJobs: 0 });
    expect(elsewhere!.breakdown.workload).toBe(10);
  });

  it('staff bookings: a 409 at capacity on that date naming it; another date books', async () => {
    const id = await makeContractor(h, { maxConcurrentJobs: 1 });
    expect((await staffBook(id, DAY, 'am')).statusCode).toBe(201);
    const full = await staffBook(id, DAY, 'pm');
    expect(full.statusCode).toBe(409);
    expect(full.json().error).toMatchObject({ code: 'CONTRACTOR_AT_CAPACITY', details: { date: DAY, openJobs: 1, maxConcurrentJobs: 1 } });
    expect((await staffBook(id, OTHER_DAY, 'pm')).statusCode).toBe(201);
  });

  it('checkout: a second booking the same day is refused (nobody else free), a hold on another date books', async () => {
    await makeContractor(h, { maxConcurrentJobs: 1 });
    const a = await makeJob(h);
    const b = await makeJob(h);
    const c = await makeJob(h);
    // Holds are not open jobs: the same contractor is held for both slots of DAY.
    expect((await hold(a, 'session-aaa', DAY, 'am')).statusCode).toBe(201);
    expect((await hold(b, 'session-bbb', DAY, 'pm')).statusCode).toBe(201);
    expect((await hold(c, 'session-ccc', OTHER_DAY, 'am')).statusCode).toBe(201);
    expect((await checkout(a, 'session-aaa')).statusCode).toBe(201);
    const second = await checkout(b, 'session-bbb');
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('SLOT_UNAVAILABLE');
    expect((await checkout(c, 'session-ccc')).statusCode).toBe(201);
    const booked = (
      await h.db.pool.query(`select date::text as date, slot from bookings where status = 'pending_confirmation' order by date`)
    ).rows;
    expect(booked).toEqual([
      { date: DAY, slot: 'am' },
      { date: OTHER_DAY, slot: 'am' },
    ]);
  });

  it('urgent dispatch: bookings on other dates do not count; a full day refuses the offer and the accept', async () => {
    h.clock.now = new Date('2026-11-23T10:00:00Z'); // Monday morning, the am slot under way
    const skills = [{ taskId: 'emergency-leak-repair', confidence: 'expert' as const, yearsExperience: 5 }];
    const busyElsewhere = await makeContractor(h, { reactiveMode: true, skills, maxConcurrentJobs: 1 });
    const fullToday = await makeContractor(h, { reactiveMode: true, skills, maxConcurrentJobs: 1 });
    for (const id of [busyElsewhere, fullToday]) {
      await h.app.inject({ method: 'POST', url: '/api/me/clock-in', headers: auth(await h.tokenFor('contractor', id)) });
    }
    expect((await staffBook(busyElsewhere, OTHER_DAY, 'am')).statusCode).toBe(201);
    expect((await staffBook(fullToday, '2026-11-23', 'pm')).statusCode).toBe(201);
    const job = await makeJob(h, { requirements: [{ taskId: 'emergency-leak-repair' }] });
    const res = await h.app.inject({ method: 'POST', url: `/api/jobs/${job.jobId}/dispatch`, headers: admin });
    expect(res.statusCode, res.body).toBe(201);
    const offers = res.json().dispatch.offers as { id: string; contractorId: string }[];
    expect(offers.map((o) => o.contractorId)).toEqual([busyElsewhere]);

    // The offered contractor gets a booking today before answering: the accept is refused.
    expect((await staffBook(busyElsewhere, '2026-11-23', 'pm')).statusCode).toBe(201);
    const accept = await h.app.inject({
      method: 'POST',
      url: `/api/me/offers/${offers[0]!.id}/accept`,
      headers: auth(await h.tokenFor('contractor', busyElsewhere)),
    });
    expect(accept.statusCode).toBe(409);
    expect(accept.json().error).toMatchObject({ code: 'CONTRACTOR_AT_CAPACITY', details: { date: '2026-11-23' } });
  });
});

/** One on-shift contractor (set up by `before`), an urgent job, and the offer it gets. */
async function oneOfferToOneContractor(before: (contractorId: string) => Promise<void> = async () => {}) {
  const skills = [{ taskId: 'emergency-leak-repair', confidence: 'expert' as const, yearsExperience: 5 }];
  const id = await makeContractor(h, { reactiveMode: true, skills });
  const me = auth(await h.tokenFor('contractor', id));
  await h.app.inject({ method: 'POST', url: '/api/me/clock-in', headers: me });
  await before(id);
  const job = await makeJob(h, { requirements: [{ taskId: 'emergency-leak-repair' }] });
  const res = await h.app.inject({ method: 'POST', url: `/api/jobs/${job.jobId}/dispatch`, headers: admin });
  const [offer] = res.json().dispatch.offers as { id: string }[];
  return { id, me, offer };
}

describe('urgent accept times', () => {
  it("a late-morning accept whose two-hour minimum runs into the contractor's afternoon job is a 409, not a 500", async () => {
    h.clock.now = new Date('2026-11-23T11:30:00Z');
    const { me, offer } = await oneOfferToOneContractor(async (c) => expect((await staffBook(c, '2026-11-23', 'pm')).statusCode).toBe(201));
    const accept = await h.app.inject({ method: 'POST', url: `/api/me/offers/${offer!.id}/accept`, headers: me });
    expect(accept.statusCode, accept.body).toBe(409);
    expect(accept.json().error.code).toBe('SLOT_CONFLICT');
    expect((await h.db.pool.query(`select count(*)::int as n from bookings where source = 'dispatch'`)).rows[0].n).toBe(0);
  });

  it('an accept after the dispatched slot ended books that slot, not the next one', async () => {
    h.clock.now = new Date('2026-11-23T11:59:00Z');
    const { me, offer } = await oneOfferToOneContractor();
    h.clock.advance(90); // 12:00:30: the morning window is over
    const accept = await h.app.inject({ method: 'POST', url: `/api/me/offers/${offer!.id}/accept`, headers: me });
    expect(accept.statusCode, accept.body).toBe(200);
    const [b] = (await h.db.pool.query(`select slot, starts_at, ends_at from bookings where source = 'dispatch'`)).rows;
    expect(b.slot).toBe('am');
    expect(b.ends_at.toISOString()).toBe('2026-11-23T12:00:00.000Z');
  });
});

describe('skill component', () => {
  it('on a job asking for capable, expertise is worth +5 and a nearer capable contractor wins', async () => {
    const expert = await makeContractor(h, {
      postcode: 'SE11 1AA',
      skills: [{ taskId: 'general-odd-jobs', confidence: 'expert', yearsExperience: 9 }],
    }); // 2.9 miles
    const capable = await makeContractor(h, {
      postcode: 'SW11 1AA',
      skills: [{ taskId: 'general-odd-jobs', confidence: 'capable', yearsExperience: 2 }],
    }); // 0 miles
    const ranked = await rank(DAY, 'am');
    expect(ranked.map((c) => c.contractorId)).toEqual([capable, expert]);
    expect(ranked[0]!.breakdown.skill).toBe(25);
    expect(ranked[1]!.breakdown.skill).toBe(30);
    // The hold uses the same ranking.
    const job = await makeJob(h);
    expect((await hold(job, 'session-aaa')).statusCode).toBe(201);
    const [claim] = (await h.db.pool.query('select contractor_id from slot_claims')).rows;
    expect(claim.contractor_id).toBe(capable);
  });

  it('on a job asking for expert, an expert in every primary task gets +15', async () => {
    const expert = await makeContractor(h, {
      postcode: 'SE11 1AA',
      skills: [{ taskId: 'general-odd-jobs', confidence: 'expert', yearsExperience: 9 }],
    });
    await makeContractor(h, { postcode: 'SW11 1AA', skills: [{ taskId: 'general-odd-jobs', confidence: 'capable', yearsExperience: 2 }] });
    const ranked = await rank(DAY, 'am', [{ taskId: 'general-odd-jobs', requiredConfidence: 'expert' }]);
    expect(ranked.map((c) => c.contractorId)).toEqual([expert]);
    expect(ranked[0]!.breakdown.skill).toBe(40);
  });
});
