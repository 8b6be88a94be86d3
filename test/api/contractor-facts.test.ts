import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auth, DAY, makeContractor, makeJob, startHarness, type Harness, type JobHandle } from '../helpers/harness.js';

// contractor_facts (skills, certifications, ratings, outcomes per contractor) is kept by triggers
// in the transaction of every change; here it must equal the from-scratch computation
// (contractor_facts_from_scratch) after every kind of change the product makes.
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

const rows = async (sql: string, params: unknown[] = []) => (await h.db.pool.query(sql, params)).rows;
const hold = (job: JobHandle, sessionId: string, date = DAY, slot = 'am') =>
  h.app.inject({ method: 'POST', url: `/api/customer/jobs/${job.token}/holds`, payload: { sessionId, date, slot } });
const checkout = (job: JobHandle, sessionId: string) =>
  h.app.inject({ method: 'POST', url: `/api/customer/jobs/${job.token}/checkout`, payload: { sessionId } });
const transition = (id: string, payload: object) =>
  h.app.inject({ method: 'POST', url: `/api/bookings/${id}/transitions`, headers: admin, payload });
const staffBook = (payload: object) => h.app.inject({ method: 'POST', url: '/api/bookings', headers: admin, payload });

const COLUMNS =
  'contractor_id, skills, skill_count, category_counts, certifications, rating_count, rating_total, completed, contractor_cancellations, no_shows';
const NOTHING = {
  skills: {},
  skill_count: 0,
  category_counts: {},
  certifications: [],
  rating_count: 0,
  rating_total: 0,
  completed: 0,
  contractor_cancellations: 0,
  no_shows: 0,
};

/** The maintained table and the from-scratch view, per contractor (a missing row means nothing yet). */
async function bothWays() {
  const kept = new Map((await rows(`select ${COLUMNS} from contractor_facts`)).map((r) => [r.contractor_id, r]));
  const scratch = await rows(`select ${COLUMNS} from contractor_facts_from_scratch order by contractor_id`);
  return { kept: scratch.map((s) => kept.get(s.contractor_id) ?? { contractor_id: s.contractor_id, ...NOTHING }), scratch };
}

async function book(job: JobHandle, session: string, slot = 'am') {
  expect((await hold(job, session, DAY, slot)).statusCode).toBe(201);
  const res = await checkout(job, session);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().booking.id as string;
}

describe('contractor_facts', () => {
  it('equals the from-scratch facts after bookings, completions, ratings, cancellations and skill changes', async () => {
    const a = await makeContractor(h, {
      maxConcurrentJobs: 5,
      skills: [
        { taskId: 'general-odd-jobs', confidence: 'expert', yearsExperience: 5 },
        { taskId: 'fix-leaking-taps-faucets', confidence: 'capable', yearsExperience: 2 },
      ],
    });
    const b = await makeContractor(h, { postcode: 'SW8 1AA', maxConcurrentJobs: 5 });
    expect((await bothWays()).kept).toEqual((await bothWays()).scratch);

    // Completed and rated.
    const done = await book(await makeJob(h), 'session-1');
    for (const to of ['confirmed', 'in_progress', 'completed']) expect((await transition(done, { to })).statusCode).toBe(200);
    expect(
      (await h.app.inject({ method: 'POST', url: `/api/bookings/${done}/rating`, headers: admin, payload: { rating: 4 } })).statusCode,
    ).toBe(200);
    // Cancelled by the contractor, and a no-show.
    const dropped = await book(await makeJob(h), 'session-2', 'pm');
    const drop = await transition(dropped, { to: 'cancelled', cause: 'contractor', reason: 'van broke down' });
    expect(drop.statusCode, drop.body).toBe(200);
    const staffed = await staffBook({ jobId: (await makeJob(h)).jobId, contractorId: b, date: DAY, slot: 'am' });
    expect(staffed.statusCode, staffed.body).toBe(201);
    const noShow = staffed.json().booking.id;
    expect((await transition(noShow, { to: 'cancelled', cause: 'no_show', reason: 'nobody came' })).statusCode).toBe(200);
    // Cancelled by the customer: counts against nobody.
    const customer = (await staffBook({ jobId: (await makeJob(h)).jobId, contractorId: b, date: DAY, slot: 'pm' })).json().booking.id;
    expect((await transition(customer, { to: 'cancelled', cause: 'customer', reason: 'changed plans' })).statusCode).toBe(200);
    // Skills and certifications edited directly (any path that writes the tables).
    await rows(`update contractor_skills set confidence = 'expert' where contractor_id = $1 and task_id = 'fix-leaking-taps-faucets'`, [a]);
    await rows(
      `insert into contractor_skills (contractor_id, task_id, confidence, years_experience) values ($1, 'fence-panel-replacement', 'capable', 1)`,
      [b],
    );
    await rows(
      `insert into contractor_certifications (contractor_id, type, number, authority, region, expires_on) values ($1, 'gas_safe', 'GS-1', 'Gas Safe Register', 'England', '2027-06-01')`,
      [a],
    );
    await rows(`delete from contractor_skills where contractor_id = $1 and task_id = 'general-odd-jobs'`, [b]);

    const { kept, scratch } = await bothWays();
    expect(kept).toEqual(scratch);
    const facts = new Map(kept.map((k) => [k.contractor_id, k]));
    expect(facts.get(a)).toMatchObject({
      rating_count: 1,
      rating_total: 4,
      completed: 1,
      contractor_cancellations: 1,
      no_shows: 0,
      skill_count: 2,
      category_counts: { General: 1, Plumbing: 1 },
    });
    expect(facts.get(a)!.skills['fix-leaking-taps-faucets']).toMatchObject({ confidence: 'expert', category: 'Plumbing' });
    expect(facts.get(a)!.skills['general-odd-jobs'].last_performed_at).not.toBeNull();
    expect(facts.get(a)!.certifications).toEqual([{ type: 'gas_safe', expires_on: '2027-06-01' }]);
    expect(facts.get(b)).toMatchObject({
      completed: 0,
      contractor_cancellations: 0,
      no_shows: 1,
      skill_count: 1,
      category_counts: { Garden: 1 },
    });
  });

  it('follows a rating moved off a history row and back', async () => {
    const a = await makeContractor(h);
    const done = await book(await makeJob(h), 'session-1');
    for (const to of ['confirmed', 'in_progress', 'completed']) await transition(done, { to });
    await h.app.inject({ method: 'POST', url: `/api/bookings/${done}/rating`, headers: admin, payload: { rating: 5 } });
    await rows(`update job_matching_history set was_selected = false where booking_id = $1`, [done]);
    expect((await bothWays()).kept).toEqual((await bothWays()).scratch);
    await rows(`update job_matching_history set was_selected = true, customer_rating = 2 where booking_id = $1`, [done]);
    const { kept, scratch } = await bothWays();
    expect(kept).toEqual(scratch);
    expect(kept.find((k) => k.contractor_id === a)).toMatchObject({ rating_count: 1, rating_total: 2 });
  });
});
