import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expireOffers } from '../../src/modules/dispatch/advance-dispatch.js';
import { auth, makeContractor, makeJob, startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ poolMax: 40 });
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.reset();
  // Monday 10:00 London (GMT): the morning slot is under way.
  h.clock.now = new Date('2026-11-23T10:00:00Z');
});

const TAPS = [{ taskId: 'emergency-leak-repair', confidence: 'expert' as const, yearsExperience: 5 }];
async function onShift(over: Parameters<typeof makeContractor>[1] = {}, clockIn = true) {
  const id = await makeContractor(h, { reactiveMode: true, skills: TAPS, ...over });
  const token = await h.tokenFor('contractor', id);
  if (clockIn) await h.app.inject({ method: 'POST', url: '/api/me/clock-in', headers: auth(token) });
  return { id, headers: auth(token), token };
}
async function dispatch(postcode = 'SW11 2BB') {
  const job = await makeJob(h, { postcode, requirements: [{ taskId: 'emergency-leak-repair' }] });
  const res = await h.app.inject({ method: 'POST', url: `/api/jobs/${job.jobId}/dispatch`, headers: auth(await h.tokenFor('va')) });
  expect(res.statusCode, res.body).toBe(201);
  return { job, dispatch: res.json().dispatch };
}
const deps = () => ({ config: h.config, now: h.clock.now });
const accept = (offerId: string, headers: Record<string, string>) =>
  h.app.inject({ method: 'POST', url: `/api/me/offers/${offerId}/accept`, headers });
const decline = (offerId: string, headers: Record<string, string>) =>
  h.app.inject({ method: 'POST', url: `/api/me/offers/${offerId}/decline`, headers, payload: { reason: 'Too far' } });

describe('targeted offers', () => {
  it('go to the top 3 eligible on-shift reactive contractors, best first, high priority, 120 s', async () => {
    const best = await onShift({ postcode: 'SW11 1AA' });
    const second = await onShift({ postcode: 'SW4 0AA' }); // 1.3 miles
    const third = await onShift({ postcode: 'SW8 1AA' }); // 1.6 miles
    await onShift({ postcode: 'SE11 1AA' }); // 2.9 miles: fourth, not offered
    await onShift({ postcode: 'SW11 1AA' }, false); // off shift
    await onShift({ postcode: 'SW11 1AA', reactiveMode: false }); // not reactive
    await onShift({ postcode: 'SW11 1AA', phone: null, bio: null }); // profile below 80
    await onShift({ postcode: 'SW11 1AA', skills: [{ taskId: 'mount-tvs', confidence: 'expert', yearsExperience: 1 }] }); // unqualified
    const { dispatch: d } = await dispatch();
    expect(d.status).toBe('targeted');
    expect(d.offers.map((o: { contractorId: string }) => o.contractorId)).toEqual([best.id, second.id, third.id]);
    for (const o of d.offers) {
      expect(o).toMatchObject({ kind: 'targeted', priority: 'high', status: 'offered' });
      expect(new Date(o.expiresAt).getTime() - h.clock.now.getTime()).toBe(120_000);
      expect(o.reasons).toContain('Expert in Emergency leak repair');
    }
    const history = (await h.db.pool.query('select count(*)::int as n from job_matching_history where job_id = $1', [d.jobId])).rows[0].n;
    expect(history).toBe(4);
  });

  it('the first accept wins: the job is booked to them and the other offers are withdrawn', async () => {
    const a = await onShift({ postcode: 'SW11 1AA' });
    const b = await onShift({ postcode: 'SW8 1AA' });
    const { dispatch: d } = await dispatch();
    const [offerA, offerB] = d.offers;
    const res = await accept(offerB.id, b.headers);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ date: '2026-11-23', slot: 'am' });
    const late = await accept(offerA.id, a.headers);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('OFFER_WITHDRAWN');
    const view = (await h.app.inject({ url: `/api/dispatches/${d.id}`, headers: auth(await h.tokenFor('va')) })).json().dispatch;
    expect(view).toMatchObject({ status: 'assigned', assignedContractorId: b.id });
    expect(view.offers.map((o: { status: string }) => o.status)).toEqual(['withdrawn', 'accepted']);
    const [booking] = (
      await h.db.pool.query('select contractor_id, status, source, starts_at from bookings where id = $1', [view.bookingId])
    ).rows;
    expect(booking).toMatchObject({ contractor_id: b.id, status: 'confirmed', source: 'dispatch' });
    expect(booking.starts_at.toISOString()).toBe('2026-11-23T10:00:00.000Z');
    const selected = (
      await h.db.pool.query('select contractor_id from job_matching_history where booking_id = $1 and was_selected', [view.bookingId])
    ).rows;
    expect(selected).toEqual([{ contractor_id: b.id }]);
  });

  it("refuses someone else's offer, an expired one, and a contractor off shift or inactive, changing nothing", async () => {
    const a = await onShift({ postcode: 'SW11 1AA' });
    const b = await onShift({ postcode: 'SW8 1AA' });
    const { dispatch: d } = await dispatch();
    const [offerA, offerB] = d.offers;
    expect((await accept(offerA.id, b.headers)).statusCode).toBe(403);
    await h.app.inject({ method: 'POST', url: '/api/me/clock-out', headers: b.headers });
    const off = await accept(offerB.id, b.headers);
    expect(off.statusCode).toBe(409);
    expect(off.json().error.code).toBe('OFF_SHIFT');
    await h.app.inject({ method: 'POST', url: `/api/contractors/${a.id}/deactivate`, headers: auth(await h.tokenFor('admin')) });
    expect((await accept(offerA.id, a.headers)).json().error.code).toBe('CONTRACTOR_INACTIVE');
    await h.app.inject({ method: 'POST', url: `/api/contractors/${a.id}/activate`, headers: auth(await h.tokenFor('admin')) });
    await h.app.inject({ method: 'POST', url: '/api/me/clock-in', headers: a.headers });
    h.clock.advance(121);
    const expired = await accept(offerA.id, a.headers);
    expect(expired.statusCode).toBe(409);
    expect(expired.json().error.code).toBe('OFFER_EXPIRED');
    expect((await h.db.pool.query('select count(*)::int as n from bookings')).rows[0].n).toBe(0);
    expect((await h.db.pool.query(`select status from urgent_dispatches`)).rows[0].status).toBe('targeted');
  });
});

describe('re-dispatching a booking', () => {
  it('cancels the booking (freeing its slot) and offers the job to on-shift contractors', async () => {
    const booked = await onShift({ postcode: 'SW8 1AA' }, false);
    const rescuer = await onShift({ postcode: 'SW11 1AA' });
    const job = await makeJob(h, { requirements: [{ taskId: 'emergency-leak-repair' }] });
    const admin = auth(await h.tokenFor('admin'));
    const b = (
      await h.app.inject({
        method: 'POST',
        url: '/api/bookings',
        headers: admin,
        payload: { jobId: job.jobId, contractorId: booked.id, date: '2026-11-23', slot: 'pm' },
      })
    ).json().booking;
    const res = await h.app.inject({ method: 'POST', url: `/api/bookings/${b.id}/dispatch`, headers: admin });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().dispatch.offers.map((o: { contractorId: string }) => o.contractorId)).toEqual([rescuer.id]);
    expect((await h.db.pool.query('select status, cancellation_cause from bookings where id = $1', [b.id])).rows[0]).toEqual({
      status: 'cancelled',
      cancellation_cause: 'business',
    });
    const again = await h.app.inject({ method: 'POST', url: `/api/bookings/${b.id}/dispatch`, headers: admin });
    expect(again.statusCode).toBe(409);
  });
});

describe('a job that is already booked', () => {
  /** Staff book the job to a contractor who is off shift, for tomorrow morning. */
  async function staffBook(jobId: string) {
    const booked = await onShift({ postcode: 'SW8 1AA' }, false);
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/bookings',
      headers: auth(await h.tokenFor('admin')),
      payload: { jobId, contractorId: booked.id, date: '2026-11-24', slot: 'am' },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().booking as { id: string };
  }
  const counts = async () =>
    (await h.db.pool.query(`select (select count(*)::int from urgent_dispatches) as d, (select count(*)::int from offers) as o`)).rows[0];

  it('is not dispatched again: 409 JOB_ALREADY_BOOKED naming the booking, no dispatch, no offers', async () => {
    await onShift({ postcode: 'SW11 1AA' });
    const job = await makeJob(h, { requirements: [{ taskId: 'emergency-leak-repair' }] });
    const booking = await staffBook(job.jobId);
    const res = await h.app.inject({ method: 'POST', url: `/api/jobs/${job.jobId}/dispatch`, headers: auth(await h.tokenFor('va')) });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'JOB_ALREADY_BOOKED', details: { jobId: job.jobId, bookingId: booking.id } });
    expect(res.json().error.message).toContain(`/api/bookings/{id}/dispatch`);
    expect(await counts()).toEqual({ d: 0, o: 0 });
  });

  it('booked while it was being dispatched: the accept is 409 JOB_ALREADY_BOOKED and books nothing', async () => {
    const rescuer = await onShift({ postcode: 'SW11 1AA' });
    const { job, dispatch: d } = await dispatch();
    const booking = await staffBook(job.jobId);
    const res = await accept(d.offers[0].id, rescuer.headers);
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'JOB_ALREADY_BOOKED', details: { bookingId: booking.id } });
    expect(JSON.stringify(res.json())).not.toContain('bookings_active_job_uq');
    expect((await h.db.pool.query(`select count(*)::int as n from bookings where source = 'dispatch'`)).rows[0].n).toBe(0);
  });
});

describe('broadcast', () => {
  it('opens when every targeted offer is declined, and reaches every eligible on-shift contractor', async () => {
    const crew = [];
    for (let i = 0; i < 5; i++) crew.push(await onShift({ postcode: 'SW11 1AA' }));
    const { dispatch: d } = await dispatch();
    for (const o of d.offers) {
      const who = crew.find((c) => c.id === o.contractorId)!;
      expect((await decline(o.id, who.headers)).statusCode).toBe(204);
    }
    const view = (await h.app.inject({ url: `/api/dispatches/${d.id}`, headers: auth(await h.tokenFor('va')) })).json().dispatch;
    expect(view.status).toBe('broadcast');
    const broadcast = view.offers.find((o: { kind: string }) => o.kind === 'broadcast');
    expect(broadcast).toMatchObject({ contractorId: null, status: 'offered' });
    // SPEC: every eligible on-shift contractor, the three who declined their targeted offers included.
    expect(view.broadcastRecipients).toBe(5);
    const notTargeted = crew.find((c) => !d.offers.some((o: { contractorId: string }) => o.contractorId === c.id))!;
    const decliner = crew.find((c) => c.id === d.offers[0].contractorId)!;
    for (const who of [notTargeted, decliner]) {
      const queue = (await h.app.inject({ url: '/api/me/offers', headers: who.headers })).json().offers;
      expect(queue).toEqual([
        expect.objectContaining({ offerId: broadcast.id, kind: 'broadcast', matchScore: expect.any(Number), secondsLeft: 900 }),
      ]);
    }
    expect(
      (await h.app.inject({ method: 'POST', url: `/api/me/offers/${broadcast.id}/accept`, headers: decliner.headers })).statusCode,
    ).toBe(200);
  });

  it('opens when the targeted offers expire (driven by the clock), then flags staff and tells the customer when it lapses', async () => {
    await onShift({ postcode: 'SW11 1AA' });
    const { dispatch: d } = await dispatch();
    h.clock.advance(119);
    expect((await expireOffers(h.db.db, deps())).expired).toBe(0);
    h.clock.advance(1);
    expect((await expireOffers(h.db.db, deps())).expired).toBe(1);
    expect((await h.db.pool.query('select status from urgent_dispatches where id = $1', [d.id])).rows[0].status).toBe('broadcast');
    h.clock.advance(15 * 60);
    await expireOffers(h.db.db, deps());
    const [row] = (await h.db.pool.query('select status, flagged_at from urgent_dispatches where id = $1', [d.id])).rows;
    expect(row.status).toBe('unfilled');
    expect(row.flagged_at).not.toBeNull();
    expect((await h.db.pool.query(`select template from outbox_messages where template = 'urgent_unfilled'`)).rows).toHaveLength(1);
  });

  it(`20 contractors accept the same broadcast at once: exactly one wins, 3 rounds`, async () => {
    const crew = [];
    for (let i = 0; i < 20; i++) crew.push(await onShift({ postcode: 'SW11 1AA', maxConcurrentJobs: 5 }));
    for (let round = 0; round < 3; round++) {
      const { dispatch: d } = await dispatch();
      for (const o of d.offers) await decline(o.id, crew.find((c) => c.id === o.contractorId)!.headers);
      const [broadcast] = (await h.db.pool.query(`select id from offers where dispatch_id = $1 and kind = 'broadcast'`, [d.id])).rows;
      const recipients = crew; // the three who declined their targeted offers are asked again
      const results = await Promise.all(
        recipients.map((c) => fetch(`${h.url}/api/me/offers/${broadcast.id}/accept`, { method: 'POST', headers: c.headers })),
      );
      expect(
        results.filter((r) => r.status === 200),
        `round ${round}`,
      ).toHaveLength(1);
      expect(results.filter((r) => r.status === 409)).toHaveLength(recipients.length - 1);
      expect(
        (
          await h.db.pool.query(
            `select count(*)::int as n from bookings b join urgent_dispatches d on d.booking_id = b.id where d.id = $1`,
            [d.id],
          )
        ).rows[0].n,
      ).toBe(1);
      // Put everyone back on an even footing for the next round.
      await h.db.pool.query(
        `update bookings set status = 'cancelled', claim_id = null, cancellation_cause = 'business' where source = 'dispatch'`,
      );
      await h.db.pool.query(`delete from slot_claims`);
    }
  });
});

describe('live queue over Server-Sent Events', () => {
  it('pushes a new offer to a connected contractor within a second', async () => {
    const c = await onShift({ postcode: 'SW11 1AA' });
    const controller = new AbortController();
    const res = await fetch(`${h.url}/api/me/offers/stream`, { headers: c.headers, signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string, ms: number) => {
      const deadline = Date.now() + ms;
      while (!text.includes(needle)) {
        const left = deadline - Date.now();
        if (left <= 0) return false;
        const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), left))]);
        if (!chunk || chunk.done) return text.includes(needle);
        text += decoder.decode(chunk.value);
      }
      return true;
    };
    expect(await readUntil('event: ready', 2000)).toBe(true);
    const started = Date.now();
    const { dispatch: d } = await dispatch();
    expect(await readUntil('event: offer.new', 1000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
    const data = JSON.parse(text.split('event: offer.new\ndata: ')[1]!.split('\n')[0]!);
    expect(data).toMatchObject({ offerId: d.offers[0].id, kind: 'targeted', priority: 'high', secondsLeft: 120 });
    await h.app.inject({ method: 'POST', url: `/api/dispatches/${d.id}/cancel`, headers: auth(await h.tokenFor('va')) });
    expect(await readUntil('event: offer.withdrawn', 1000)).toBe(true);
    controller.abort();
  });
});

describe('when nobody is on shift', () => {
  it('offers the customer three choices, lets them browse and request a contractor, or wait', async () => {
    const off = await onShift({ postcode: 'SW11 1AA' }, false);
    const job = await makeJob(h, { requirements: [{ taskId: 'emergency-leak-repair' }] });
    const urgent = (await h.app.inject(`/api/customer/jobs/${job.token}/urgent`)).json();
    expect(urgent.onShiftAvailable).toBe(false);
    expect(urgent.options.map((o: { key: string }) => o.key)).toEqual(['schedule', 'browse_contractors', 'waitlist']);
    const browse = (await h.app.inject(`/api/customer/jobs/${job.token}/contractors`)).json().contractors;
    expect(browse).toHaveLength(1);
    expect(browse[0]).toMatchObject({ contractorId: off.id, ratedJobs: 0, skills: ['Expert in Emergency leak repair'] });
    expect(JSON.stringify(browse)).not.toMatch(/07700|@test\.local/);
    const req = await h.app.inject({
      method: 'POST',
      url: `/api/customer/jobs/${job.token}/contractor-requests`,
      payload: { contractorId: off.id },
    });
    expect(req.statusCode, req.body).toBe(201);
    const queue = (await h.app.inject({ url: '/api/me/offers', headers: off.headers })).json().offers;
    expect(queue).toEqual([expect.objectContaining({ kind: 'request', priority: 'normal' })]);
    const wait = await h.app.inject({
      method: 'POST',
      url: `/api/customer/jobs/${job.token}/waitlist`,
      payload: { channel: 'sms', contact: '07700900555' },
    });
    expect(wait.statusCode).toBe(201);
    expect(new Date(wait.json().expiresAt).getTime() - h.clock.now.getTime()).toBe(24 * 3600_000);
  });

  it('notifies a waitlist entry once, and only once, when a contractor who could serve it clocks in', async () => {
    const a = await onShift({ postcode: 'SW11 1AA' }, false);
    const b = await onShift({ postcode: 'SW8 1AA' }, false);
    const far = await onShift({ postcode: 'M1 1AE' }, false);
    const job = await makeJob(h, { requirements: [{ taskId: 'emergency-leak-repair' }] });
    await h.app.inject({
      method: 'POST',
      url: `/api/customer/jobs/${job.token}/waitlist`,
      payload: { channel: 'email', contact: 'wait@example.com' },
    });
    const farIn = await h.app.inject({ method: 'POST', url: '/api/me/clock-in', headers: far.headers });
    expect(farIn.json().waitlistNotified).toBe(0);
    const [ra, rb] = await Promise.all(
      [a, b].map((c) => fetch(`${h.url}/api/me/clock-in`, { method: 'POST', headers: c.headers }).then((r) => r.json())),
    );
    expect(ra.waitlistNotified + rb.waitlistNotified).toBe(1);
    await h.app.inject({ method: 'POST', url: '/api/me/clock-out', headers: a.headers });
    await h.app.inject({ method: 'POST', url: '/api/me/clock-in', headers: a.headers });
    const sent = (await h.db.pool.query(`select channel, recipient from outbox_messages where template = 'waitlist_slot_available'`)).rows;
    expect(sent).toEqual([{ channel: 'email', recipient: 'wait@example.com' }]);
    expect((await h.db.pool.query('select notified_at is not null as done from waitlist_entries')).rows[0].done).toBe(true);
  });

  it('does not notify expired waitlist entries', async () => {
    const a = await onShift({ postcode: 'SW11 1AA' }, false);
    const job = await makeJob(h, { requirements: [{ taskId: 'emergency-leak-repair' }] });
    await h.app.inject({
      method: 'POST',
      url: `/api/customer/jobs/${job.token}/waitlist`,
      payload: { channel: 'email', contact: 'late@example.com' },
    });
    h.clock.advance(24 * 3600);
    expect((await h.app.inject({ method: 'POST', url: '/api/me/clock-in', headers: a.headers })).json().waitlistNotified).toBe(0);
  });

  it('flags the dispatch for staff at once when nobody can be offered it', async () => {
    const { dispatch: d } = await dispatch();
    expect(d).toMatchObject({ status: 'unfilled', offers: [] });
    expect(d.flaggedAt).not.toBeNull();
  });
});
