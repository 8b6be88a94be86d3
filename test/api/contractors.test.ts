import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_WEEK, auth, makeContractor, startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let va: Record<string, string>;
beforeAll(async () => {
  h = await startHarness();
  va = auth(await h.tokenFor('va'));
});
afterAll(async () => {
  await h.close();
});

const count = async (table: string) => (await h.db.pool.query(`select count(*)::int as n from ${table}`)).rows[0].n as number;

describe('staff manage contractors', () => {
  it('creates a contractor with skills, schedule and certifications, geocoded and scored', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/contractors',
      headers: va,
      payload: {
        name: 'Priya Patel',
        phone: '07700 900456',
        email: 'priya@example.co.uk',
        postcode: 'sw11 1aa',
        radiusMiles: 12,
        bio: 'Plumber',
        skills: [
          { taskId: 'fix-leaking-taps-faucets', confidence: 'expert', yearsExperience: 9 },
          { taskId: 'relocate-radiators', confidence: 'capable' },
        ],
        weeklySchedule: ALL_WEEK.slice(0, 5),
        certifications: [{ type: 'gas_safe', number: 'GS-123456', expiresOn: '2027-06-30' }],
      },
    });
    expect(res.statusCode).toBe(201);
    const c = res.json().contractor;
    expect(c.postcode).toBe('SW11 1AA');
    expect(c.outcode).toBe('SW11');
    expect(c.maxConcurrentJobs).toBe(3);
    expect(c.profileCompletionScore).toBe(100);
    expect(c.skills.map((s: { taskId: string }) => s.taskId)).toEqual(['fix-leaking-taps-faucets', 'relocate-radiators']);
    expect(c.skills[0]).toMatchObject({ confidence: 'expert', yearsExperience: 9, completedCount: 0, lastPerformedAt: null });
    expect(c.weeklySchedule).toHaveLength(5);
    expect(c.certifications[0]).toMatchObject({ type: 'gas_safe', name: 'Gas Safe', number: 'GS-123456' });
  });

  it('derives the completion score from what is filled', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/contractors', headers: va, payload: { name: 'Bare Minimum' } });
    const c = res.json().contractor;
    expect(c.profileCompletionScore).toBe(10);
    expect(c.missingProfileParts).toEqual(['phone', 'email', 'postcode', 'skills', 'schedule', 'bio', 'certifications']);
    const patched = await h.app.inject({
      method: 'PATCH',
      url: `/api/contractors/${c.id}`,
      headers: va,
      payload: { phone: '07700900000', email: 'b@example.com', postcode: 'M1 1AE' },
    });
    expect(patched.json().contractor.profileCompletionScore).toBe(50);
  });

  it('refuses an unknown postcode with 422 and writes nothing', async () => {
    const before = await count('contractors');
    const res = await h.app.inject({ method: 'POST', url: '/api/contractors', headers: va, payload: { name: 'X', postcode: 'ZZ99 1AA' } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'UNKNOWN_POSTCODE', details: { outcode: 'ZZ99' } });
    expect(await count('contractors')).toBe(before);
  });

  it('refuses unknown task ids with 422 naming them, and rolls the whole create back', async () => {
    const before = await count('contractors');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/contractors',
      headers: va,
      payload: { name: 'Y', skills: [{ taskId: 'juggling', confidence: 'expert' }] },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'UNKNOWN_TASK', details: { unknown: ['juggling'] } });
    expect(await count('contractors')).toBe(before);
  });

  it('deactivates (never offered work; cannot clock in) and reactivates', async () => {
    const id = await makeContractor(h, { reactiveMode: true });
    const token = await h.tokenFor('contractor', id);
    await h.app.inject({ method: 'POST', url: '/api/me/clock-in', headers: auth(token) });
    const off = await h.app.inject({ method: 'POST', url: `/api/contractors/${id}/deactivate`, headers: va });
    expect(off.json().contractor).toMatchObject({ isActive: false });
    await h.app.inject({ method: 'POST', url: '/api/me/clock-out', headers: auth(token) });
    const clockIn = await h.app.inject({ method: 'POST', url: '/api/me/clock-in', headers: auth(token) });
    expect(clockIn.statusCode).toBe(409);
    expect(clockIn.json().error.code).toBe('CONTRACTOR_INACTIVE');
    const on = await h.app.inject({ method: 'POST', url: `/api/contractors/${id}/activate`, headers: va });
    expect(on.json().contractor.isActive).toBe(true);
  });

  it('lists and searches contractors', async () => {
    await makeContractor(h, { name: 'Zebedee Unique' });
    const res = await h.app.inject({ url: '/api/contractors?q=zebedee', headers: va });
    expect(res.json()).toMatchObject({ total: 1, contractors: [{ name: 'Zebedee Unique' }] });
  });
});

describe('a contractor manages their own profile', () => {
  it('replaces the skill set in one call, keeping system counters for kept tasks', async () => {
    const id = await makeContractor(h, {
      skills: [
        { taskId: 'general-odd-jobs', confidence: 'capable', yearsExperience: 2 },
        { taskId: 'mount-tvs', confidence: 'expert', yearsExperience: 4 },
      ],
    });
    await h.db.pool.query(
      `update contractor_skills set completed_count = 7, last_performed_at = now() where contractor_id = $1 and task_id = 'general-odd-jobs'`,
      [id],
    );
    const me = auth(await h.tokenFor('contractor', id));
    const res = await h.app.inject({
      method: 'PUT',
      url: '/api/me/skills',
      headers: me,
      payload: {
        skills: [
          { taskId: 'general-odd-jobs', confidence: 'expert', yearsExperience: 3 },
          { taskId: 'paint-ceilings', confidence: 'capable' },
        ],
      },
    });
    expect(res.statusCode).toBe(200);
    const skills = res.json().contractor.skills;
    expect(skills.map((s: { taskId: string }) => s.taskId).sort()).toEqual(['general-odd-jobs', 'paint-ceilings']);
    expect(skills.find((s: { taskId: string }) => s.taskId === 'general-odd-jobs')).toMatchObject({
      confidence: 'expert',
      yearsExperience: 3,
      completedCount: 7,
    });
  });

  it('cannot type in completed_count', async () => {
    const id = await makeContractor(h);
    const me = auth(await h.tokenFor('contractor', id));
    const res = await h.app.inject({
      method: 'PUT',
      url: '/api/me/skills',
      headers: me,
      payload: { skills: [{ taskId: 'general-odd-jobs', confidence: 'expert', completedCount: 500 }] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().contractor.skills[0].completedCount).toBe(0);
  });

  it('sets a weekly schedule and date overrides; bad windows are 400', async () => {
    const id = await makeContractor(h);
    const me = auth(await h.tokenFor('contractor', id));
    const sched = await h.app.inject({
      method: 'PUT',
      url: '/api/me/schedule',
      headers: me,
      payload: { days: [{ weekday: 1, start: '09:00', end: '17:00' }] },
    });
    expect(sched.json().contractor.weeklySchedule).toEqual([{ weekday: 1, start: '09:00', end: '17:00' }]);
    const off = await h.app.inject({
      method: 'PUT',
      url: '/api/me/availability-dates/2026-12-01',
      headers: me,
      payload: { isAvailable: false },
    });
    expect(off.json().contractor.dateOverrides).toEqual([{ date: '2026-12-01', isAvailable: false, start: null, end: null }]);
    const hours = await h.app.inject({
      method: 'PUT',
      url: '/api/me/availability-dates/2026-12-01',
      headers: me,
      payload: { isAvailable: true, start: '13:00', end: '18:00' },
    });
    expect(hours.json().contractor.dateOverrides[0]).toMatchObject({ isAvailable: true, start: '13:00', end: '18:00' });
    const bad = await h.app.inject({
      method: 'PUT',
      url: '/api/me/schedule',
      headers: me,
      payload: { days: [{ weekday: 8, start: '17:00', end: '09:00' }] },
    });
    expect(bad.statusCode).toBe(400);
    const gone = await h.app.inject({ method: 'DELETE', url: '/api/me/availability-dates/2026-12-01', headers: me });
    expect(gone.json().contractor.dateOverrides).toEqual([]);
  });

  it('clocks in and out (the only writer of on_shift)', async () => {
    const id = await makeContractor(h);
    const me = auth(await h.tokenFor('contractor', id));
    const inRes = await h.app.inject({ method: 'POST', url: '/api/me/clock-in', headers: me });
    expect(inRes.json().onShift).toBe(true);
    const again = await h.app.inject({ method: 'POST', url: '/api/me/clock-in', headers: me });
    expect(again.json().since).toBe(inRes.json().since);
    const outRes = await h.app.inject({ method: 'POST', url: '/api/me/clock-out', headers: me });
    expect(outRes.json().onShift).toBe(false);
    const patch = await h.app.inject({ method: 'PATCH', url: '/api/me', headers: me, payload: { onShift: true } });
    expect(patch.statusCode).toBe(400);
  });

  it('may not edit staff-only fields', async () => {
    const id = await makeContractor(h);
    const me = auth(await h.tokenFor('contractor', id));
    const res = await h.app.inject({ method: 'PATCH', url: '/api/me', headers: me, payload: { maxConcurrentJobs: 40 } });
    expect(res.statusCode).toBe(400);
  });
});
