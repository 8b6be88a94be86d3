import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auth, enquiry, makeContractor, makeJob, startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const TAP = [{ taskId: 'fix-leaking-taps-faucets', confidence: 'expert' as const, yearsExperience: 4 }];
const q1 = async (sql: string, params: unknown[] = []) => (await h.db.pool.query(sql, params)).rows;
const D1 = '2026-11-27';
const D2 = '2026-11-30';

/** A web enquiry: its quote link and its job link, as the customer gets them. */
async function enquire() {
  const res = await h.app.inject({ method: 'POST', url: '/api/leads/web', payload: enquiry({ description: 'my kitchen tap is leaking' }) });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json();
  const q = `/api/q/${body.quote.url.split('/q/')[1]}`;
  const j = `/api/customer/jobs/${body.jobLink.url.split('/j/')[1]}`;
  return { leadId: body.lead.id as string, q, j };
}
const post = (url: string, payload: object = {}) => h.app.inject({ method: 'POST', url, payload });

describe('one customer link', () => {
  it('the job link of a quoted lead books through the quote (deposit, receipt clock), like the quote link', async () => {
    await makeContractor(h, { skills: TAP });
    const { q, j, leadId } = await enquire();
    await h.app.inject(q);
    expect((await post(`${j}/holds`, { sessionId: 'job-link-session', date: D1, slot: 'am' })).statusCode).toBe(201);
    const res = await post(`${j}/checkout`, { sessionId: 'job-link-session' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().booking).toMatchObject({ status: 'pending_confirmation', paymentStatus: 'awaiting_receipt', depositPence: 1690 });
    expect((await q1('select state from leads where id = $1', [leadId]))[0].state).toBe('assigned');
    // Both links show the same booking.
    const viaQuote = (await h.app.inject(`${q}/booking`)).json();
    const viaJob = (await h.app.inject(`${j}/booking`)).json();
    expect(viaQuote).toEqual(viaJob);
    expect(viaQuote.bankTransfer.amountPence).toBe(1690);
  });

  it('shows the refund before cancelling, and cancelling gives exactly that', async () => {
    await makeContractor(h, { skills: TAP });
    const { q } = await enquire();
    await post(`${q}/holds`, { sessionId: 'cancel-session', date: D1, slot: 'am' });
    const booked = await post(`${q}/checkout`, { sessionId: 'cancel-session' });
    // Staff approve a receipt so there is a paid deposit to refund.
    const bookingId = booked.json().booking.id;
    await q1(`update payments set status = 'succeeded' where booking_id = $1`, [bookingId]);
    await q1(`update bookings set payment_status = 'paid', receipt_due_at = null where id = $1`, [bookingId]);
    const view = (await h.app.inject(`${q}/booking`)).json();
    expect(view.cancellation).toMatchObject({ allowed: true, paidPence: 1690, refundPence: 1690 });
    const cancel = await post(`${q}/cancel`, { reason: 'Fixed it myself' });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(cancel.json().refundPence).toBe(view.cancellation.refundPence);
    // Inside 48 hours of the slot the preview says nothing comes back.
    const again = await enquire();
    await post(`${again.q}/holds`, { sessionId: 'late-session', date: D1, slot: 'pm' });
    const late = await post(`${again.q}/checkout`, { sessionId: 'late-session' });
    await q1(`update payments set status = 'succeeded' where booking_id = $1`, [late.json().booking.id]);
    h.clock.now = new Date('2026-11-26T14:00:00Z');
    expect((await h.app.inject(`${again.q}/booking`)).json().cancellation).toMatchObject({ refundPence: 0, paidPence: 1690 });
    expect((await post(`${again.q}/cancel`)).json().refundPence).toBe(0);
  });

  it('reschedules atomically: a new hold, then the booking moves and the old slot is freed', async () => {
    const only = await makeContractor(h, { skills: TAP });
    const { q, j } = await enquire();
    await post(`${q}/holds`, { sessionId: 'move-session-1', date: D1, slot: 'am' });
    const booked = (await post(`${q}/checkout`, { sessionId: 'move-session-1' })).json().booking;
    // Without a hold of the new slot nothing changes.
    const refused = await post(`${j}/reschedule`, { sessionId: 'move-session-2' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('NO_HOLD');
    expect((await post(`${j}/holds`, { sessionId: 'move-session-2', date: D2, slot: 'pm' })).statusCode).toBe(201);
    const moved = await post(`${j}/reschedule`, { sessionId: 'move-session-2' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().booking).toMatchObject({
      id: booked.id,
      date: D2,
      slot: 'pm',
      status: 'pending_confirmation',
      paymentStatus: 'awaiting_receipt',
    });
    expect(await q1(`select date::text, slot, kind from slot_claims where contractor_id = $1`, [only])).toEqual([
      { date: D2, slot: 'pm', kind: 'booking' },
    ]);
    // The old slot is bookable again.
    const other = await makeJob(h, { requirements: [{ taskId: 'fix-leaking-taps-faucets' }] });
    expect((await post(`/api/customer/jobs/${other.token}/holds`, { sessionId: 'someone-else', date: D1, slot: 'am' })).statusCode).toBe(
      201,
    );
  });

  it('rates the finished job with a short review through the quote link, once', async () => {
    await makeContractor(h, { skills: TAP });
    const { q } = await enquire();
    await post(`${q}/holds`, { sessionId: 'rate-session', date: D1, slot: 'am' });
    const booking = (await post(`${q}/checkout`, { sessionId: 'rate-session' })).json().booking;
    expect((await post(`${q}/rating`, { rating: 5 })).statusCode).toBe(409);
    const admin = auth(await h.tokenFor('admin'));
    for (const to of ['confirmed', 'in_progress', 'completed']) {
      await h.app.inject({ method: 'POST', url: `/api/bookings/${booking.id}/transitions`, headers: admin, payload: { to } });
    }
    expect((await h.app.inject(`${q}/booking`)).json().canRate).toBe(true);
    const rated = await post(`${q}/rating`, { rating: 4, review: '  Quick and tidy.  ' });
    expect(rated.statusCode, rated.body).toBe(200);
    expect(rated.json()).toEqual({ bookingId: booking.id, rating: 4, review: 'Quick and tidy.' });
    expect((await post(`${q}/rating`, { rating: 1 })).json().error.code).toBe('ALREADY_RATED');
    expect((await h.app.inject(`${q}/booking`)).json().booking).toMatchObject({ customerRating: 4, customerReview: 'Quick and tidy.' });
    expect((await post(`${q}/rating`, { rating: 6 })).statusCode).toBe(400);
  });

  it('reaches the urgent options from both links (a lead came in as a web enquiry)', async () => {
    const { q, j } = await enquire();
    for (const base of [q, j]) {
      const res = await h.app.inject(`${base}/urgent`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ state: 'nobody_on_shift', onShiftAvailable: false, contractor: null });
      expect(res.json().options.map((o: { key: string }) => o.key)).toEqual(['schedule', 'browse_contractors', 'waitlist']);
      expect(res.json().options[2].path).toBe(`${base}/waitlist`);
      expect(res.json().expected.message).toBe('Expect the contractor today from 08:00 (morning slot)');
    }
    expect((await post(`${q}/waitlist`, { channel: 'email', contact: 'jo@example.com' })).statusCode).toBe(201);
  });

  it('the urgent view: searching while offers are out, then who is coming and when', async () => {
    const contractorId = await makeContractor(h, { skills: TAP, reactiveMode: true, postcode: 'SW4 0AA' });
    const contractorToken = await h.tokenFor('contractor', contractorId);
    await h.app.inject({ method: 'POST', url: '/api/me/clock-in', headers: auth(contractorToken) });
    const { q, leadId } = await enquire();
    h.clock.now = new Date('2026-11-23T09:30:00Z');
    const started = await h.app.inject({ method: 'POST', url: `/api/leads/${leadId}/dispatch`, headers: auth(await h.tokenFor('va')) });
    expect(started.statusCode, started.body).toBe(201);
    expect((await h.app.inject(`${q}/urgent`)).json()).toMatchObject({ state: 'searching', options: [] });
    const offer = started.json().dispatch.offers[0];
    expect(
      (await h.app.inject({ method: 'POST', url: `/api/me/offers/${offer.id}/accept`, headers: auth(contractorToken) })).statusCode,
    ).toBe(200);
    const coming = (await h.app.inject(`${q}/urgent`)).json();
    expect(coming.state).toBe('accepted');
    expect(coming.contractor.displayName).toMatch(/^Contractor /);
    expect(coming.contractor.distanceMiles).toBeGreaterThan(0);
    expect(coming.contractor.etaMinutes).toBeGreaterThanOrEqual(15);
    expect(coming.contractor.message).toContain('should be with you in about');
  });
});
