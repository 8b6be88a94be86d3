import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auth, DAY, makeContractor, makeJob, startHarness, type Harness, type JobHandle } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
// Each test builds its own contractors; a clean slate keeps counts exact.
beforeEach(() => h.reset());

type Days = { date: string; closed: boolean; slots: { slot: string; bookable: boolean; contractorCount: number }[] }[];

async function counts(job: JobHandle, query = `from=${DAY}&to=${DAY}`): Promise<Record<string, number>> {
  const res = await h.app.inject(`/api/customer/jobs/${job.token}/availability?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  const out: Record<string, number> = {};
  for (const d of res.json().days as Days) for (const s of d.slots) out[`${d.date}/${s.slot}`] = s.contractorCount;
  return out;
}
const am = (c: Record<string, number>) => c[`${DAY}/am`];

describe('availability rules', () => {
  it('counts every eligible contractor per slot', async () => {
    await makeContractor(h);
    await makeContractor(h);
    const job = await makeJob(h);
    expect(await counts(job)).toEqual({ [`${DAY}/am`]: 2, [`${DAY}/pm`]: 2 });
  });

  it('returns the whole bookable window by default: tomorrow to 28 days ahead', async () => {
    const job = await makeJob(h);
    const body = (await h.app.inject(`/api/customer/jobs/${job.token}/availability`)).json();
    expect(body.from).toBe('2026-11-24');
    expect(body.to).toBe('2026-12-21');
    expect(body.days).toHaveLength(28);
    expect(body.days[0].slots.map((s: { slot: string }) => s.slot)).toEqual(['am', 'pm']);
  });

  it('rejects dates outside the window with 422', async () => {
    const job = await makeJob(h);
    for (const q of ['from=2026-11-23&to=2026-11-24', 'from=2026-12-01&to=2026-12-22', 'from=2026-12-05&to=2026-12-01']) {
      const res = await h.app.inject(`/api/customer/jobs/${job.token}/availability?${q}`);
      expect(res.statusCode).toBe(422);
    }
    const res = await h.app.inject(`/api/customer/jobs/${job.token}/availability?from=2026-13-01`);
    expect(res.statusCode).toBe(400);
  });

  it('offers nothing on a business closure date', async () => {
    await makeContractor(h);
    await h.app.inject({
      method: 'PUT',
      url: `/api/closures/${DAY}`,
      headers: auth(await h.tokenFor('admin')),
      payload: { reason: 'Staff training' },
    });
    const job = await makeJob(h);
    const body = (await h.app.inject(`/api/customer/jobs/${job.token}/availability?from=${DAY}&to=${DAY}`)).json();
    expect(body.days[0]).toMatchObject({ closed: true, closureReason: 'Staff training' });
    expect(body.days[0].slots.every((s: { bookable: boolean; contractorCount: number }) => !s.bookable && s.contractorCount === 0)).toBe(
      true,
    );
  });

  it('follows the weekly template, and a date override wins over it', async () => {
    // Tuesday mornings only.
    const id = await makeContractor(h, { weeklySchedule: [{ weekday: 2, start: '08:00', end: '12:00' }] });
    const job = await makeJob(h);
    expect(await counts(job)).toEqual({ [`${DAY}/am`]: 1, [`${DAY}/pm`]: 0 });
    expect(await counts(job, 'from=2026-11-25&to=2026-11-25')).toEqual({ '2026-11-25/am': 0, '2026-11-25/pm': 0 });
    const me = auth(await h.tokenFor('contractor', id));
    await h.app.inject({
      method: 'PUT',
      url: `/api/me/availability-dates/${DAY}`,
      headers: me,
      payload: { isAvailable: true, start: '12:30', end: '17:00' },
    });
    expect(await counts(job)).toEqual({ [`${DAY}/am`]: 0, [`${DAY}/pm`]: 1 });
    await h.app.inject({ method: 'PUT', url: `/api/me/availability-dates/${DAY}`, headers: me, payload: { isAvailable: false } });
    expect(await counts(job)).toEqual({ [`${DAY}/am`]: 0, [`${DAY}/pm`]: 0 });
  });

  it('needs the window to cover the whole slot', async () => {
    await makeContractor(h, { weeklySchedule: [{ weekday: 2, start: '08:30', end: '16:59' }] });
    expect(await counts(await makeJob(h))).toEqual({ [`${DAY}/am`]: 0, [`${DAY}/pm`]: 0 });
  });

  it('needs the required confidence in every primary task; secondary tasks do not filter', async () => {
    await makeContractor(h, { skills: [{ taskId: 'mount-tvs', confidence: 'capable', yearsExperience: 1 }] });
    await makeContractor(h, { skills: [{ taskId: 'mount-tvs', confidence: 'expert', yearsExperience: 1 }] });
    expect(am(await counts(await makeJob(h, { requirements: [{ taskId: 'mount-tvs', requiredConfidence: 'capable' }] })))).toBe(2);
    expect(am(await counts(await makeJob(h, { requirements: [{ taskId: 'mount-tvs', requiredConfidence: 'expert' }] })))).toBe(1);
    const both = await makeJob(h, { requirements: [{ taskId: 'mount-tvs' }, { taskId: 'patch-drywall-holes' }] });
    expect(am(await counts(both))).toBe(0);
    const secondary = await makeJob(h, { requirements: [{ taskId: 'mount-tvs' }, { taskId: 'patch-drywall-holes', isPrimary: false }] });
    expect(am(await counts(secondary))).toBe(2);
  });

  it('needs a valid certification for certified tasks', async () => {
    const skills = [{ taskId: 'relocate-radiators', confidence: 'expert' as const, yearsExperience: 10 }];
    await makeContractor(h, { skills });
    await makeContractor(h, {
      skills,
      certifications: [{ type: 'gas_safe', number: 'GS1', authority: null, region: null, expiresOn: '2026-11-30' }],
    });
    await makeContractor(h, {
      skills,
      certifications: [{ type: 'gas_safe', number: 'GS2', authority: null, region: null, expiresOn: null }],
    });
    const job = await makeJob(h, { requirements: [{ taskId: 'relocate-radiators' }] });
    expect(am(await counts(job))).toBe(2);
    // After the first certificate expires only one contractor remains.
    expect((await counts(job, 'from=2026-12-01&to=2026-12-01'))['2026-12-01/am']).toBe(1);
  });

  it('only counts contractors within their radius of the customer', async () => {
    await makeContractor(h, { postcode: 'M1 1AE', radiusMiles: 50 });
    await makeContractor(h, { postcode: 'SW11 1AA', radiusMiles: 1 });
    expect(am(await counts(await makeJob(h, { postcode: 'SW11 2BB' })))).toBe(1);
    expect(am(await counts(await makeJob(h, { postcode: 'E1 6AN' })))).toBe(0);
  });

  it('skips inactive contractors and profiles below 80', async () => {
    const inactive = await makeContractor(h);
    await h.app.inject({ method: 'POST', url: `/api/contractors/${inactive}/deactivate`, headers: auth(await h.tokenFor('admin')) });
    await makeContractor(h, { phone: null, bio: null }); // 100 - phone 15 - bio 10 - certificates 5 = 70
    expect(am(await counts(await makeJob(h)))).toBe(0);
  });

  it('skips contractors at max_concurrent_jobs on that date (other dates do not count)', async () => {
    const id = await makeContractor(h, { maxConcurrentJobs: 1 });
    const other = await makeJob(h);
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/bookings',
      headers: auth(await h.tokenFor('admin')),
      payload: { jobId: other.jobId, contractorId: id, date: '2026-12-10', slot: 'pm' },
    });
    expect(res.statusCode).toBe(201);
    const job = await makeJob(h);
    expect(await counts(job, 'from=2026-12-10&to=2026-12-10')).toEqual({ '2026-12-10/am': 0, '2026-12-10/pm': 0 });
    expect(await counts(job)).toEqual({ [`${DAY}/am`]: 1, [`${DAY}/pm`]: 1 });
  });

  it("hides a booked slot, and another session's live hold, but not the viewer's own hold or an expired one", async () => {
    await makeContractor(h);
    const job = await makeJob(h);
    const hold = await h.app.inject({
      method: 'POST',
      url: `/api/customer/jobs/${job.token}/holds`,
      payload: { sessionId: 'session-one', date: DAY, slot: 'am' },
    });
    expect(hold.statusCode).toBe(201);
    expect(am(await counts(job, `from=${DAY}&to=${DAY}&sessionId=session-two`))).toBe(0);
    expect(am(await counts(job, `from=${DAY}&to=${DAY}&sessionId=session-one`))).toBe(1);
    expect(am(await counts(await makeJob(h)))).toBe(0);
    h.clock.advance(301);
    try {
      expect(am(await counts(job, `from=${DAY}&to=${DAY}&sessionId=session-two`))).toBe(1);
    } finally {
      h.clock.advance(-301);
    }
  });

  it('gives staff the same counts for an inline job spec', async () => {
    await makeContractor(h);
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/availability/search',
      headers: auth(await h.tokenFor('estimator')),
      payload: { job: { postcode: 'SW11 2BB', requirements: [{ taskId: 'general-odd-jobs' }] }, from: DAY, to: DAY },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().days[0].slots[0].contractorCount).toBe(1);
  });
});
