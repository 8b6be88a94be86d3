import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pruneStoredRankings } from '../../src/modules/matching/index.js';
import { auth, DAY, makeContractor, makeJob, startHarness, type Harness, type JobHandle } from '../helpers/harness.js';

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

const hold = (job: JobHandle, sessionId: string, date = DAY, slot = 'am') =>
  h.app.inject({ method: 'POST', url: `/api/customer/jobs/${job.token}/holds`, payload: { sessionId, date, slot } });
const checkout = (job: JobHandle, sessionId: string, held?: { date: string; slot: string }) =>
  h.app.inject({ method: 'POST', url: `/api/customer/jobs/${job.token}/checkout`, payload: { sessionId, ...held } });
const rows = async (sql: string, params: unknown[] = []) => (await h.db.pool.query(sql, params)).rows;
/** A booking's matching history, best score first: [contractor, was it the one selected]. */
const historyOf = async (bookingId: string) =>
  (
    await rows('select contractor_id, was_selected from job_matching_history where booking_id = $1 order by match_score desc', [bookingId])
  ).map((r) => [r.contractor_id, r.was_selected]);
const staffBook = (payload: object) => h.app.inject({ method: 'POST', url: '/api/bookings', headers: admin, payload });
const transition = (id: string, payload: object) =>
  h.app.inject({ method: 'POST', url: `/api/bookings/${id}/transitions`, headers: admin, payload });

describe('checkout', () => {
  it('a hold refers to its stored ranking, which the sweeper keeps while the hold lives; checkout writes the history from it', async () => {
    const chosen = await makeContractor(h, { postcode: 'SW11 1AA' });
    const other = await makeContractor(h, { postcode: 'SW8 1AA' });
    const job = await makeJob(h);
    expect((await hold(job, 'session-ranked')).statusCode).toBe(201);
    const [claim] = await rows(`select ranking_id, candidates from slot_claims where session_id = 'session-ranked'`);
    expect(claim.candidates).toBeNull();
    expect(claim.ranking_id).toEqual(expect.any(String));
    // Old enough to go, but a live hold refers to it: kept. An old one nobody refers to goes.
    await rows(`update matching_rankings set created_at = now() - interval '1 hour'`);
    const { id: orphan } = (
      await rows(`insert into matching_rankings (candidates, created_at) values ('[]', now() - interval '1 hour') returning id`)
    )[0];
    await pruneStoredRankings(h.db.db);
    expect((await rows('select id from matching_rankings')).map((r) => r.id)).toEqual([claim.ranking_id]);
    expect(orphan).not.toBe(claim.ranking_id);
    const booking = (await checkout(job, 'session-ranked')).json().booking;
    expect(await historyOf(booking.id)).toEqual([
      [chosen, true],
      [other, false],
    ]);
    // Booked: no hold refers to the ranking any more.
    await pruneStoredRankings(h.db.db);
    expect(await rows('select id from matching_rankings')).toEqual([]);
  });

  it('turns a live hold into a pending booking with matching history, and replays', async () => {
    const chosen = await makeContractor(h, { postcode: 'SW11 1AA' });
    const other = await makeContractor(h, { postcode: 'SW8 1AA' });
    const job = await makeJob(h);
    await hold(job, 'session-aaa');
    const res = await checkout(job, 'session-aaa');
    expect(res.statusCode).toBe(201);
    const booking = res.json().booking;
    expect(booking).toMatchObject({
      date: DAY,
      slot: 'am',
      status: 'pending_confirmation',
      paymentStatus: 'pending',
      startsAt: '2026-11-24T08:00:00.000Z',
    });
    const again = await checkout(job, 'session-aaa');
    expect(again.statusCode).toBe(200);
    expect(again.json().booking.id).toBe(booking.id);
    expect(await rows('select contractor_id, kind, expires_at from slot_claims')).toEqual([
      { contractor_id: chosen, kind: 'booking', expires_at: null },
    ]);
    expect(await historyOf(booking.id)).toEqual([
      [chosen, true],
      [other, false],
    ]);
    const view = (await h.app.inject({ url: `/api/bookings/${booking.id}`, headers: admin })).json();
    expect(view.booking.contractorId).toBe(chosen);
    expect(view.events).toMatchObject([{ fromStatus: null, toStatus: 'pending_confirmation', actor: 'customer' }]);
    expect(view.matching[0].reasons).toContain('Expert in General odd jobs');
  });

  it('re-holds when its own expired hold is still there', async () => {
    const only = await makeContractor(h);
    const job = await makeJob(h);
    await hold(job, 'session-aaa');
    h.clock.advance(3600);
    const res = await checkout(job, 'session-aaa');
    expect(res.statusCode).toBe(201);
    expect((await rows('select contractor_id from bookings'))[0].contractor_id).toBe(only);
  });

  it('needs a hold', async () => {
    await makeContractor(h);
    const res = await checkout(await makeJob(h), 'session-aaa');
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('NO_HOLD');
  });

  it('re-holds the same slot with another free contractor when the hold expired', async () => {
    const first = await makeContractor(h, { postcode: 'SW11 1AA' });
    const second = await makeContractor(h, { postcode: 'SW8 1AA' });
    const job = await makeJob(h);
    const other = await makeJob(h);
    await hold(job, 'session-aaa');
    h.clock.advance(301);
    expect((await hold(other, 'session-bbb')).statusCode).toBe(201); // takes `first`, the best, over the expired hold
    const res = await checkout(job, 'session-aaa', { date: DAY, slot: 'am' });
    expect(res.statusCode).toBe(201);
    const [b] = await rows('select contractor_id from bookings where id = $1', [res.json().booking.id]);
    expect(b.contractor_id).toBe(second);
    expect(first).not.toBe(second);
  });

  it('answers 409 and writes nothing when the hold expired and nobody is free', async () => {
    await makeContractor(h);
    const job = await makeJob(h);
    const other = await makeJob(h);
    await hold(job, 'session-aaa');
    h.clock.advance(301);
    await hold(other, 'session-bbb');
    const res = await checkout(job, 'session-aaa', { date: DAY, slot: 'am' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('SLOT_UNAVAILABLE');
    expect(await rows('select id from bookings')).toEqual([]);
    expect((await rows('select session_id from slot_claims')).map((r) => r.session_id)).toEqual(['session-bbb']);
  });
});

describe('staff bookings', () => {
  it('books a named contractor and records every candidate', async () => {
    const named = await makeContractor(h, { postcode: 'M1 1AE', radiusMiles: 200 });
    const best = await makeContractor(h);
    const job = await makeJob(h);
    const res = await staffBook({ jobId: job.jobId, contractorId: named, date: DAY, slot: 'pm' });
    expect(res.statusCode).toBe(201);
    expect(res.json().booking).toMatchObject({ contractorId: named, status: 'confirmed', source: 'staff' });
    const history = await rows('select contractor_id, was_selected from job_matching_history order by was_selected desc');
    expect(history).toEqual([
      { contractor_id: named, was_selected: true },
      { contractor_id: best, was_selected: false },
    ]);
  });

  it('answers 409 naming the booking in the way', async () => {
    const c = await makeContractor(h);
    const first = await staffBook({ jobId: (await makeJob(h)).jobId, contractorId: c, date: DAY, slot: 'am' });
    const res = await staffBook({ jobId: (await makeJob(h)).jobId, contractorId: c, date: DAY, slot: 'am' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'SLOT_CONFLICT', details: { kind: 'booking', bookingId: first.json().booking.id } });
  });

  it("answers 409 naming a customer's live hold in the way", async () => {
    const c = await makeContractor(h);
    const job = await makeJob(h);
    const held = await hold(job, 'session-aaa');
    const res = await staffBook({ jobId: (await makeJob(h)).jobId, contractorId: c, date: DAY, slot: 'am' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'SLOT_CONFLICT', details: { kind: 'hold', holdId: held.json().hold.holdId } });
  });

  it('refuses past slots, inactive contractors and a second booking for a job', async () => {
    const c = await makeContractor(h);
    const job = await makeJob(h);
    expect((await staffBook({ jobId: job.jobId, contractorId: c, date: '2026-11-22', slot: 'am' })).statusCode).toBe(422);
    await staffBook({ jobId: job.jobId, contractorId: c, date: DAY, slot: 'am' });
    const twice = await staffBook({ jobId: job.jobId, contractorId: c, date: DAY, slot: 'pm' });
    expect(twice.json().error.code).toBe('JOB_ALREADY_BOOKED');
    await h.app.inject({ method: 'POST', url: `/api/contractors/${c}/deactivate`, headers: admin });
    const inactive = await staffBook({ jobId: (await makeJob(h)).jobId, contractorId: c, date: '2026-11-25', slot: 'am' });
    expect(inactive.json().error.code).toBe('CONTRACTOR_INACTIVE');
  });
  it('refuses a closure day (422 BUSINESS_CLOSED, nothing written) but books beyond the 28-day window', async () => {
    const c = await makeContractor(h);
    await h.app.inject({ method: 'PUT', url: `/api/closures/${DAY}`, headers: admin, payload: { reason: 'Staff training' } });
    const closed = await staffBook({ jobId: (await makeJob(h)).jobId, contractorId: c, date: DAY, slot: 'am' });
    expect(closed.statusCode).toBe(422);
    expect(closed.json().error).toMatchObject({ code: 'BUSINESS_CLOSED', details: { date: DAY } });
    expect(closed.json().error.message).toContain('Staff training');
    expect(await rows('select id from slot_claims')).toEqual([]);
    expect(await rows('select id from bookings')).toEqual([]);
    const later = await staffBook({ jobId: (await makeJob(h)).jobId, contractorId: c, date: '2027-01-11', slot: 'am' });
    expect(later.statusCode, later.body).toBe(201);
  });
});

describe('booking status', () => {
  it('runs pending -> confirmed -> in_progress -> completed, updating skill counters and history', async () => {
    const c = await makeContractor(h);
    const job = await makeJob(h);
    await hold(job, 'session-aaa');
    const id = (await checkout(job, 'session-aaa')).json().booking.id;
    for (const to of ['confirmed', 'in_progress', 'completed']) {
      const res = await transition(id, { to });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().booking.status).toBe(to);
    }
    const [skill] = await rows(`select completed_count, last_performed_at from contractor_skills where contractor_id = $1`, [c]);
    expect(skill.completed_count).toBe(1);
    expect(skill.last_performed_at.toISOString()).toBe(h.clock.now.toISOString());
    const [hist] = await rows('select job_completed from job_matching_history where booking_id = $1 and was_selected', [id]);
    expect(hist.job_completed).toBe(true);
    expect(await rows('select id from slot_claims')).toEqual([]);

    const rated = await h.app.inject({ method: 'POST', url: `/api/bookings/${id}/rating`, headers: admin, payload: { rating: 5 } });
    expect(rated.statusCode).toBe(200);
    const rank = await h.app.inject({
      method: 'POST',
      url: '/api/matching/rank',
      headers: admin,
      payload: { jobId: (await makeJob(h)).jobId, date: '2026-11-25', slot: 'am' },
    });
    expect(rank.json().candidates[0].reasons).toContain('Rated 5.0 from 1 job');
    expect(rank.json().candidates[0].breakdown.recency).toBe(5);
  });

  it('rejects transitions the machine does not allow, changing nothing', async () => {
    const c = await makeContractor(h);
    const id = (await staffBook({ jobId: (await makeJob(h)).jobId, contractorId: c, date: DAY, slot: 'am' })).json().booking.id;
    const res = await transition(id, { to: 'completed' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'INVALID_TRANSITION', details: { from: 'confirmed', to: 'completed' } });
    expect((await rows('select status from bookings where id = $1', [id]))[0].status).toBe('confirmed');
  });

  it('needs a reason and cause to cancel; cancelling frees the slot', async () => {
    const c = await makeContractor(h);
    const job = await makeJob(h);
    const id = (await staffBook({ jobId: job.jobId, contractorId: c, date: DAY, slot: 'am' })).json().booking.id;
    expect((await transition(id, { to: 'cancelled' })).json().error.code).toBe('REASON_REQUIRED');
    const res = await transition(id, { to: 'cancelled', reason: 'Customer found someone else', cause: 'customer' });
    expect(res.json().booking).toMatchObject({
      status: 'cancelled',
      statusReason: 'Customer found someone else',
      cancellationCause: 'customer',
    });
    const again = await staffBook({ jobId: (await makeJob(h)).jobId, contractorId: c, date: DAY, slot: 'am' });
    expect(again.statusCode).toBe(201);
  });

  it('lets a contractor confirm or decline only their own bookings', async () => {
    const mine = await makeContractor(h);
    const theirs = await makeContractor(h);
    const booking = (
      await staffBook({ jobId: (await makeJob(h)).jobId, contractorId: mine, date: DAY, slot: 'am', status: 'pending_confirmation' })
    ).json().booking;
    const wrong = await h.app.inject({
      method: 'POST',
      url: `/api/me/bookings/${booking.id}/transitions`,
      headers: auth(await h.tokenFor('contractor', theirs)),
      payload: { to: 'confirmed' },
    });
    expect(wrong.statusCode).toBe(404);
    const me = auth(await h.tokenFor('contractor', mine));
    const declined = await h.app.inject({
      method: 'POST',
      url: `/api/me/bookings/${booking.id}/transitions`,
      headers: me,
      payload: { to: 'declined', reason: 'Van broke down' },
    });
    expect(declined.json().booking).toMatchObject({ status: 'declined', statusReason: 'Van broke down' });
    const list = await h.app.inject({ url: '/api/me/bookings', headers: me });
    expect(list.json().bookings).toHaveLength(1);
  });
});
