import { existsSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runPlaceTimers } from '../../src/modules/crew/crew-actions.js';
import { CREW_DAY, crewContractor, crewViolations, makeCrewJob, multipartReceipt, PNG } from '../helpers/crew.js';
import { auth, type Harness, startHarness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { RECEIPT_MAX_BYTES: '4096' } });
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.reset();
  await h.db.pool.query('truncate crew_jobs cascade');
});

const va = async () => auth(await h.tokenFor('va'));
const reserve = (token: string, jobId: string, key?: string) =>
  h.app.inject({
    method: 'POST',
    url: `/api/me/crew-jobs/${jobId}/reserve`,
    headers: { ...auth(token), ...(key ? { 'idempotency-key': key } : {}) },
  });
const job = async (id: string) => (await h.app.inject({ url: `/api/crew-jobs/${id}`, headers: await va() })).json();
const timers = () => runPlaceTimers({ db: h.db.db, config: h.config, now: () => h.clock.now, announcer: null, log: { error: () => {} } });
const outbox = async (template: string) =>
  (await h.db.pool.query('select channel, recipient, payload from outbox_messages where template = $1', [template])).rows;

describe('staff create and post crew jobs', () => {
  it('creates a draft, posts it open, lists it; the site is geocoded and the slot resolved', async () => {
    const draft = await makeCrewJob(h, { post: false });
    expect(draft).toMatchObject({ status: 'draft', reservedCount: 0, confirmedCount: 0, placesLeft: 3 });
    const c = await crewContractor(h);
    expect((await reserve(c.token, draft.id)).json().error.code).toBe('CREW_JOB_NOT_OPEN');
    const posted = await h.app.inject({ method: 'POST', url: `/api/crew-jobs/${draft.id}/post`, headers: await va() });
    expect(posted.json().job).toMatchObject({
      status: 'open',
      outcode: 'SW11',
      postcode: 'SW11 2BB',
      taskIds: ['general-odd-jobs'],
      startsAt: '2026-12-01T08:00:00.000Z',
      postedToChannel: false,
    });
    const list = await h.app.inject({ url: '/api/crew-jobs?status=open', headers: await va() });
    expect(list.json().jobs.map((j: { id: string }) => j.id)).toEqual([draft.id]);
  });

  it('takes custom times, and refuses bad input with a 4xx that writes nothing', async () => {
    const custom = await makeCrewJob(h, { slot: null, startTime: '07:30', endTime: '15:00' });
    expect((await job(custom.id)).job).toMatchObject({
      slot: null,
      startsAt: '2026-12-01T07:30:00.000Z',
      endsAt: '2026-12-01T15:00:00.000Z',
    });
    const bad = async (over: Record<string, unknown>, status: number, code: string) => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/crew-jobs',
        headers: await va(),
        payload: { title: 'Move', postcode: 'SW11 2BB', date: CREW_DAY, slot: 'am', placeFeePence: 100, requiredWorkers: 2, ...over },
      });
      expect(res.statusCode, JSON.stringify(over)).toBe(status);
      expect(res.json().error.code).toBe(code);
    };
    await bad({ postcode: 'ZZ99 9ZZ' }, 422, 'UNKNOWN_POSTCODE');
    await bad({ taskIds: ['no-such-task'] }, 422, 'UNKNOWN_TASK');
    await bad({ startTime: '09:00', endTime: '10:00' }, 422, 'TIME_AMBIGUOUS');
    await bad({ slot: null }, 422, 'TIME_REQUIRED');
    await bad({ slot: null, startTime: '10:00', endTime: '09:00' }, 422, 'INVALID_TIME');
    await bad({ date: '2026-11-01' }, 422, 'DATE_IN_PAST');
    await bad({ requiredWorkers: 0 }, 400, 'VALIDATION_FAILED');
    await bad({ placeFeePence: -1 }, 400, 'VALIDATION_FAILED');
    const { rows } = await h.db.pool.query('select count(*)::int as n from crew_jobs');
    expect(rows[0].n).toBe(1);
  });

  it('the database refuses more places than workers, whoever writes', async () => {
    const j = await makeCrewJob(h, { requiredWorkers: 2 });
    await expect(h.db.pool.query('update crew_jobs set reserved_count = 2, confirmed_count = 1 where id = $1', [j.id])).rejects.toThrow(
      /crew_jobs_places_chk/,
    );
    await expect(h.db.pool.query('update crew_jobs set reserved_count = -1 where id = $1', [j.id])).rejects.toThrow(/crew_jobs_counts_chk/);
  });
});

describe('contractors reserve places', () => {
  it('reserves; a retry with the same key returns the same place; the job fills and says so', async () => {
    const j = await makeCrewJob(h);
    const cs = await Promise.all([0, 1, 2, 3].map(() => crewContractor(h)));
    const first = await reserve(cs[0]!.token, j.id, 'tap-1');
    expect(first.statusCode).toBe(201);
    const place = first.json().place;
    expect(place).toMatchObject({
      status: 'reserved',
      feePence: 2500,
      expiresAt: new Date(h.clock.now.getTime() + 30 * 60_000).toISOString(),
    });
    const again = await reserve(cs[0]!.token, j.id, 'tap-1');
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().place.id).toBe(place.id);
    expect((await reserve(cs[0]!.token, j.id)).json().error).toMatchObject({ code: 'ALREADY_RESERVED', details: { placeId: place.id } });
    expect((await reserve(cs[1]!.token, j.id)).statusCode).toBe(201);
    expect((await reserve(cs[2]!.token, j.id)).statusCode).toBe(201);
    const full = await reserve(cs[3]!.token, j.id, 'tap-9');
    expect(full.statusCode).toBe(409);
    expect(full.json().error.code).toBe('CREW_FULL');
    expect((await job(j.id)).job).toMatchObject({ status: 'full', reservedCount: 3, confirmedCount: 0, placesLeft: 0 });
    const mine = await h.app.inject({ url: '/api/me/crew-jobs', headers: auth(cs[0]!.token) });
    expect(mine.json().jobs[0]).toMatchObject({ id: j.id, qualified: true, myPlace: { id: place.id, status: 'reserved' } });
    expect(await crewViolations(h.db.pool)).toEqual([]);
  });

  it('the same key on another job is a 422; only active contractors with the skills may reserve', async () => {
    const a = await makeCrewJob(h);
    const b = await makeCrewJob(h);
    const c = await crewContractor(h);
    expect((await reserve(c.token, a.id, 'k')).statusCode).toBe(201);
    expect((await reserve(c.token, b.id, 'k')).json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const painter = await crewContractor(h, { skills: [{ taskId: 'mount-tvs', confidence: 'expert', yearsExperience: 3 }] });
    const refused = await reserve(painter.token, a.id);
    expect(refused.json().error).toMatchObject({ code: 'NOT_QUALIFIED', details: { missingTaskIds: ['general-odd-jobs'] } });
    const idle = await crewContractor(h);
    await h.db.pool.query('update contractors set is_active = false where id = $1', [idle.id]);
    expect((await reserve(idle.token, a.id)).json().error.code).toBe('CONTRACTOR_INACTIVE');
    expect((await job(a.id)).job.reservedCount).toBe(1);
  });
});

describe('paying, approving, rejecting, cancelling', () => {
  it('a receipt is checked by its bytes and size, stored, and waits for staff, who approve it', async () => {
    const j = await makeCrewJob(h);
    const c = await crewContractor(h);
    const other = await crewContractor(h);
    const place = (await reserve(c.token, j.id)).json().place;
    const upload = (token: string, file: Buffer) =>
      h.app.inject({ method: 'POST', url: `/api/me/crew-places/${place.id}/receipt`, ...multipartReceipt(file, auth(token)) });
    expect((await upload(c.token, Buffer.from('definitely a receipt'))).statusCode).toBe(415);
    expect((await upload(c.token, Buffer.concat([PNG, Buffer.alloc(5000)]))).statusCode).toBe(413);
    expect((await upload(other.token, PNG)).statusCode).toBe(404);
    const ok = await upload(c.token, PNG);
    expect(ok.statusCode).toBe(201);
    expect(ok.json().place).toMatchObject({ status: 'receipt_submitted', hasReceipt: true });
    const { rows } = await h.db.pool.query('select receipt_path, receipt_mime from crew_places where id = $1', [place.id]);
    expect(rows[0].receipt_path.startsWith(h.config.uploadDir)).toBe(true);
    expect(existsSync(rows[0].receipt_path)).toBe(true);
    expect(rows[0].receipt_mime).toBe('image/png');
    const file = await h.app.inject({ url: `/api/crew-places/${place.id}/receipt`, headers: await va() });
    expect(file.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(file.rawPayload, PNG)).toBe(0);

    const pending = await h.app.inject({ url: '/api/crew-places?status=receipt_submitted', headers: await va() });
    expect(pending.json().places.map((p: { id: string }) => p.id)).toEqual([place.id]);
    const approved = await h.app.inject({ method: 'POST', url: `/api/crew-places/${place.id}/approve`, headers: await va() });
    expect(approved.json().place.status).toBe('confirmed');
    expect((await job(j.id)).job).toMatchObject({ reservedCount: 0, confirmedCount: 1, placesLeft: 2, status: 'open' });
    const twice = await h.app.inject({ method: 'POST', url: `/api/crew-places/${place.id}/approve`, headers: await va() });
    expect(twice.json().error).toMatchObject({ code: 'INVALID_TRANSITION', details: { status: 'confirmed' } });
    expect(
      (await h.app.inject({ method: 'POST', url: `/api/me/crew-places/${place.id}/cancel`, headers: auth(c.token) })).json().error.code,
    ).toBe('INVALID_TRANSITION');
    expect(await outbox('crew_place_confirmed')).toHaveLength(1);
    expect(await outbox('crew_receipt_submitted')).toHaveLength(1);
  });

  it('reject needs a reason and releases the place; a contractor cancels before confirmation; full turns open again', async () => {
    const j = await makeCrewJob(h, { requiredWorkers: 2 });
    const [a, b, c] = await Promise.all([crewContractor(h), crewContractor(h), crewContractor(h)]);
    const pa = (await reserve(a.token, j.id)).json().place;
    const pb = (await reserve(b.token, j.id)).json().place;
    expect((await job(j.id)).job.status).toBe('full');
    expect(
      (await h.app.inject({ method: 'POST', url: `/api/crew-places/${pa.id}/reject`, headers: await va(), payload: {} })).statusCode,
    ).toBe(400);
    const rejected = await h.app.inject({
      method: 'POST',
      url: `/api/crew-places/${pa.id}/reject`,
      headers: await va(),
      payload: { reason: 'Receipt shows the wrong amount' },
    });
    expect(rejected.json().place).toMatchObject({ status: 'rejected', rejectReason: 'Receipt shows the wrong amount' });
    expect((await job(j.id)).job).toMatchObject({ status: 'open', reservedCount: 1 });
    expect((await h.app.inject({ method: 'POST', url: `/api/me/crew-places/${pb.id}/cancel`, headers: auth(a.token) })).statusCode).toBe(
      404,
    );
    const cancelled = await h.app.inject({ method: 'POST', url: `/api/me/crew-places/${pb.id}/cancel`, headers: auth(b.token) });
    expect(cancelled.json().place.status).toBe('cancelled');
    expect((await job(j.id)).job).toMatchObject({ status: 'open', reservedCount: 0, placesLeft: 2 });
    // A released contractor may come back.
    expect((await reserve(a.token, j.id)).statusCode).toBe(201);
    expect((await reserve(c.token, j.id)).statusCode).toBe(201);
    const mine = await h.app.inject({ url: '/api/me/crew-places', headers: auth(a.token) });
    expect(
      mine
        .json()
        .places.map((p: { status: string }) => p.status)
        .sort(),
    ).toEqual(['rejected', 'reserved']);
    expect(await outbox('crew_place_rejected')).toHaveLength(1);
    expect(await crewViolations(h.db.pool)).toEqual([]);
  });

  it('cancelling the job releases every live place and tells each contractor', async () => {
    const j = await makeCrewJob(h);
    const [a, b] = await Promise.all([crewContractor(h), crewContractor(h)]);
    const pa = (await reserve(a.token, j.id)).json().place;
    await reserve(b.token, j.id);
    await h.app.inject({ method: 'POST', url: `/api/crew-places/${pa.id}/approve`, headers: await va() });
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/crew-jobs/${j.id}/cancel`,
      headers: await va(),
      payload: { reason: 'Client postponed' },
    });
    expect(res.json().job).toMatchObject({ status: 'cancelled', reservedCount: 0, confirmedCount: 0, cancelReason: 'Client postponed' });
    expect(res.json().releasedPlaceIds).toHaveLength(2);
    expect(await outbox('crew_job_cancelled')).toHaveLength(2);
    expect((await reserve(a.token, j.id)).json().error.code).toBe('CREW_JOB_NOT_OPEN');
    expect((await h.app.inject({ method: 'POST', url: `/api/crew-jobs/${j.id}/start`, headers: await va() })).json().error.code).toBe(
      'INVALID_TRANSITION',
    );
    expect(await crewViolations(h.db.pool)).toEqual([]);
  });

  it('start closes reservations; complete ends it', async () => {
    const j = await makeCrewJob(h);
    const c = await crewContractor(h);
    expect((await h.app.inject({ method: 'POST', url: `/api/crew-jobs/${j.id}/start`, headers: await va() })).json().job.status).toBe(
      'in_progress',
    );
    expect((await reserve(c.token, j.id)).json().error.code).toBe('CREW_JOB_NOT_OPEN');
    expect((await h.app.inject({ method: 'POST', url: `/api/crew-jobs/${j.id}/complete`, headers: await va() })).json().job.status).toBe(
      'completed',
    );
  });
});

describe('unpaid reservations expire', () => {
  it('reminds once 10 minutes before, then releases the place at 30 minutes, not before', async () => {
    const j = await makeCrewJob(h, { requiredWorkers: 1 });
    const c = await crewContractor(h);
    await h.db.pool.query(`update contractors set telegram_chat_id = '4242' where id = $1`, [c.id]);
    const place = (await reserve(c.token, j.id)).json().place;
    h.clock.advance(19 * 60);
    expect(await timers()).toEqual({ reminded: 0, expired: 0 });
    h.clock.advance(60);
    expect(await timers()).toEqual({ reminded: 1, expired: 0 });
    expect(await timers()).toEqual({ reminded: 0, expired: 0 });
    expect(await outbox('crew_reservation_expiring')).toEqual([
      { channel: 'telegram', recipient: '4242', payload: expect.objectContaining({ placeId: place.id, minutesLeft: 10, feePence: 2500 }) },
    ]);
    h.clock.advance(10 * 60 - 1);
    expect(await timers()).toEqual({ reminded: 0, expired: 0 });
    h.clock.advance(1);
    expect(await timers()).toEqual({ reminded: 0, expired: 1 });
    expect((await job(j.id)).job).toMatchObject({ status: 'open', reservedCount: 0, placesLeft: 1 });
    expect((await job(j.id)).places[0]).toMatchObject({ id: place.id, status: 'expired' });
    expect(await outbox('crew_place_expired')).toHaveLength(1);
  });

  it('a receipt stops the clock', async () => {
    const j = await makeCrewJob(h);
    const c = await crewContractor(h);
    const place = (await reserve(c.token, j.id)).json().place;
    await h.app.inject({ method: 'POST', url: `/api/me/crew-places/${place.id}/receipt`, ...multipartReceipt(PNG, auth(c.token)) });
    h.clock.advance(3600);
    expect(await timers()).toEqual({ reminded: 0, expired: 0 });
    expect((await job(j.id)).places[0].status).toBe('receipt_submitted');
  });
});

describe('telegram linking and the API document', () => {
  it('gives every signed-in role a one-time link code', async () => {
    const c = await crewContractor(h);
    const res = await h.app.inject({ method: 'POST', url: '/api/telegram/link-code', headers: auth(c.token) });
    expect(res.statusCode).toBe(201);
    expect(res.json().code).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
    expect(res.json().deepLink).toBeNull();
  });

  it('answers the webhook with 409 when the bot is not configured', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/webhooks/telegram', payload: { update_id: 1 } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('CHANNEL_NOT_CONFIGURED');
  });

  it('documents the crew routes with their roles', async () => {
    const doc = (await h.app.inject('/openapi.json')).json();
    expect(doc.paths['/api/me/crew-jobs/{id}/reserve'].post.description).toContain('Roles: contractor.');
    expect(doc.paths['/api/crew-places/{id}/approve'].post.description).toContain('Roles: admin, va.');
    expect(doc.paths['/api/crew-jobs'].post).toBeDefined();
  });
});
