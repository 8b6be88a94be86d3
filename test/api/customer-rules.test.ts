import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expireUnpaidBookings } from '../../src/flows/expire-unpaid-bookings.js';
import { auth, DAY, type Harness, makeContractor, makeJob, makeLead, startHarness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { RECEIPT_MAX_BYTES: '20000', HOLD_RATE_LIMIT: '100000', UPLOAD_RATE_LIMIT: '100000' } });
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const TAP = [{ taskId: 'fix-leaking-taps-faucets', confidence: 'expert' as const, yearsExperience: 4 }];
const q1 = async (sql: string, params: unknown[] = []) => (await h.db.pool.query(sql, params)).rows;
const leadOf = async (id: string) => (await q1('select state from leads where id = $1', [id]))[0].state as string;
const lastHistory = async (id: string) =>
  (await q1('select from_state, to_state, reason, actor from lead_history where lead_id = $1 order by seq desc limit 1', [id]))[0];
const hoursLater = (hours: number) => new Date(h.clock.now.getTime() + hours * 3_600_000);
const sweep = (at: Date) => expireUnpaidBookings(h.db.db, h.config, at);

/** A quote link for a leaking tap, opened, with one contractor able to do it. */
async function quoteLink() {
  const lead = await makeLead(h, { description: 'my kitchen tap is leaking' });
  const token = lead.quoteUrl!.split('/q/')[1]!;
  await h.app.inject(`/api/q/${token}`);
  return { leadId: lead.id, token };
}
/** Far enough ahead to stay bookable after the 24-hour receipt deadline. */
const LATER = '2026-11-27';
const holdQ = (token: string, sessionId: string, date = LATER, slot = 'am') =>
  h.app.inject({ method: 'POST', url: `/api/q/${token}/holds`, payload: { sessionId, date, slot } });
const payByTransfer = (token: string, sessionId: string) =>
  h.app.inject({ method: 'POST', url: `/api/q/${token}/checkout`, payload: { sessionId, paymentMethod: 'manual' } });

async function bookedByTransfer() {
  const contractorId = await makeContractor(h, { skills: TAP });
  const { leadId, token } = await quoteLink();
  expect((await holdQ(token, 'transfer-session')).statusCode).toBe(201);
  const res = await payByTransfer(token, 'transfer-session');
  expect(res.statusCode, res.body).toBe(201);
  return { contractorId, leadId, token, booking: res.json().booking, body: res.json() };
}

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000a49444154789c6300010000050001' +
    '0d0a2db40000000049454e44ae426082',
  'hex',
);
function receiptUpload(sessionId: string) {
  const b = '----receipt';
  const payload = Buffer.concat([
    Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="sessionId"\r\n\r\n${sessionId}\r\n`),
    Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="receipt"; filename="r.png"\r\nContent-Type: image/png\r\n\r\n`),
    PNG,
    Buffer.from(`\r\n--${b}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${b}` } };
}

describe('bank transfer: awaiting_receipt with a deadline (SPEC)', () => {
  it('books pending_confirmation, awaiting_receipt, with the deadline and bank details shown', async () => {
    const { booking, body, token } = await bookedByTransfer();
    const due = hoursLater(24).toISOString();
    expect(booking).toMatchObject({ status: 'pending_confirmation', paymentStatus: 'awaiting_receipt', receiptDueAt: due });
    expect(body.bankTransfer).toMatchObject({
      sortCode: h.config.BANK_SORT_CODE,
      accountNumber: h.config.BANK_ACCOUNT_NUMBER,
      amountPence: 1690,
      dueAt: due,
    });
    expect(body.bankTransfer.reference).toMatch(/^HANDY-[0-9A-F]{8}$/);
    expect(await q1(`select kind, status, amount_pence from payments`)).toEqual([
      { kind: 'manual', status: 'awaiting_receipt', amount_pence: 1690 },
    ]);
    // The booking view behind the link shows the same deadline.
    const view = (await h.app.inject(`/api/q/${token}/booking`)).json();
    expect(view.booking).toMatchObject({ paymentStatus: 'awaiting_receipt', receiptDueAt: due });
    expect(view.bankTransfer.dueAt).toBe(due);
  });

  it('reminds the customer once before the deadline (outbox row)', async () => {
    await bookedByTransfer();
    expect(await sweep(hoursLater(17))).toEqual({ reminded: 0, cancelled: 0 });
    expect(await sweep(hoursLater(19))).toEqual({ reminded: 1, cancelled: 0 });
    expect(await sweep(hoursLater(20))).toEqual({ reminded: 0, cancelled: 0 });
    const rows = await q1(`select channel, recipient, payload from outbox_messages where template = 'receipt_reminder' order by channel`);
    // One message, on the customer's route (the channels issue's preferred channel and fallbacks).
    expect(rows.map((r) => [r.channel, r.recipient])).toEqual([['sms', '+447700900111']]);
    expect(rows[0].payload).toMatchObject({ dueAt: hoursLater(24).toISOString(), amountPence: 1690 });
  });

  it('past the deadline with no receipt: cancelled (payment_not_received), slot freed, lead cancelled', async () => {
    const { booking, leadId } = await bookedByTransfer();
    expect(await sweep(hoursLater(23.9))).toMatchObject({ cancelled: 0 });
    expect(await sweep(hoursLater(24))).toMatchObject({ cancelled: 1 });
    const [b] = await q1('select status, cancellation_cause, claim_id from bookings where id = $1', [booking.id]);
    expect(b).toEqual({ status: 'cancelled', cancellation_cause: 'payment_not_received', claim_id: null });
    expect(await q1(`select status from payments`)).toEqual([{ status: 'cancelled' }]);
    expect(await leadOf(leadId)).toBe('cancelled');
    expect(await lastHistory(leadId)).toMatchObject({ from_state: 'assigned', to_state: 'cancelled', reason: 'payment_not_received' });
    expect(await q1(`select payload->>'reason' as reason from outbox_messages where template = 'booking_cancelled'`)).toEqual([
      { reason: 'no bank-transfer receipt arrived by the deadline' },
    ]);
    // The only contractor's slot is free again for another customer.
    h.clock.now = hoursLater(24);
    const other = await quoteLink();
    expect((await holdQ(other.token, 'next-customer')).statusCode).toBe(201);
  });

  it('a receipt stops the clock until staff decide; approval confirms', async () => {
    const { token, booking } = await bookedByTransfer();
    h.clock.now = hoursLater(5);
    const up = await h.app.inject({ method: 'POST', url: `/api/q/${token}/receipt`, ...receiptUpload('transfer-session') });
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json().payment).toMatchObject({ status: 'pending_review', amountPence: 1690 });
    expect(up.json().booking).toMatchObject({ status: 'pending_confirmation', paymentStatus: 'pending', receiptDueAt: null });
    expect(await q1('select count(*)::int as n from payments')).toEqual([{ n: 1 }]);
    expect(await sweep(hoursLater(48))).toEqual({ reminded: 0, cancelled: 0 });
    const approve = await h.app.inject({
      method: 'POST',
      url: `/api/payments/${up.json().payment.id}/approve`,
      headers: auth(await h.tokenFor('va')),
    });
    expect(approve.statusCode).toBe(200);
    expect((await q1('select status, payment_status from bookings where id = $1', [booking.id]))[0]).toEqual({
      status: 'confirmed',
      payment_status: 'paid',
    });
  });

  it('a rejected receipt cancels the booking and frees the slot', async () => {
    const { token, booking, leadId } = await bookedByTransfer();
    const up = await h.app.inject({ method: 'POST', url: `/api/q/${token}/receipt`, ...receiptUpload('transfer-session') });
    const reject = await h.app.inject({
      method: 'POST',
      url: `/api/payments/${up.json().payment.id}/reject`,
      headers: auth(await h.tokenFor('va')),
      payload: { reason: 'Not our account' },
    });
    expect(reject.statusCode).toBe(200);
    expect((await q1('select status, claim_id from bookings where id = $1', [booking.id]))[0]).toEqual({
      status: 'cancelled',
      claim_id: null,
    });
    expect(await leadOf(leadId)).toBe('cancelled');
  });

  it('a receipt after the deadline is refused (409) and changes nothing', async () => {
    const { token } = await bookedByTransfer();
    h.clock.now = hoursLater(24.5);
    const late = await h.app.inject({ method: 'POST', url: `/api/q/${token}/receipt`, ...receiptUpload('transfer-session') });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('RECEIPT_DEADLINE_PASSED');
    expect(await q1('select status from payments')).toEqual([{ status: 'awaiting_receipt' }]);
  });
});

describe('a lead follows its booking (SPEC)', () => {
  const admin = async () => auth(await h.tokenFor('admin'));
  const move = async (id: string, payload: object) =>
    h.app.inject({ method: 'POST', url: `/api/bookings/${id}/transitions`, headers: await admin(), payload });

  it('cancelled by the customer -> lead cancelled with the cause, history and an event', async () => {
    const { token, leadId } = await bookedByTransfer();
    const res = await h.app.inject({ method: 'POST', url: `/api/q/${token}/cancel`, payload: {} });
    expect(res.statusCode, res.body).toBe(200);
    expect(await leadOf(leadId)).toBe('cancelled');
    expect(await lastHistory(leadId)).toEqual({ from_state: 'assigned', to_state: 'cancelled', reason: 'customer', actor: 'customer' });
    expect(
      await q1(
        `select payload->>'reason' as reason from domain_events where aggregate_id = $1 and type = 'lead.state_changed' and payload->>'to' = 'cancelled'`,
        [leadId],
      ),
    ).toEqual([{ reason: 'customer' }]);
  });

  it('cancelled by the business -> lead cancelled', async () => {
    const { booking, leadId } = await bookedByTransfer();
    expect((await move(booking.id, { to: 'cancelled', cause: 'business', reason: 'Van broke down' })).statusCode).toBe(200);
    expect(await lastHistory(leadId)).toMatchObject({ to_state: 'cancelled', reason: 'business' });
  });

  it('started -> in_progress, completed -> completed', async () => {
    const { booking, leadId } = await bookedByTransfer();
    await move(booking.id, { to: 'confirmed' });
    expect(await leadOf(leadId)).toBe('assigned');
    expect((await move(booking.id, { to: 'in_progress' })).statusCode).toBe(200);
    expect(await lastHistory(leadId)).toMatchObject({ from_state: 'assigned', to_state: 'in_progress' });
    expect((await move(booking.id, { to: 'completed' })).statusCode).toBe(200);
    expect(await lastHistory(leadId)).toMatchObject({ from_state: 'in_progress', to_state: 'completed' });
  });

  it('no-show -> lead cancelled (no_show)', async () => {
    const { booking, leadId } = await bookedByTransfer();
    await move(booking.id, { to: 'confirmed' });
    await move(booking.id, { to: 'cancelled', cause: 'no_show', reason: 'Contractor did not arrive' });
    expect(await lastHistory(leadId)).toMatchObject({ from_state: 'assigned', to_state: 'cancelled', reason: 'no_show' });
  });

  it('declined -> lead cancelled', async () => {
    const { booking, leadId } = await bookedByTransfer();
    await move(booking.id, { to: 'declined', reason: 'Not for us' });
    expect(await lastHistory(leadId)).toMatchObject({ to_state: 'cancelled', reason: 'declined' });
  });

  it('re-dispatched -> lead dispatching, in the same transaction as the cancellation', async () => {
    const { booking, leadId } = await bookedByTransfer();
    const res = await h.app.inject({ method: 'POST', url: `/api/bookings/${booking.id}/dispatch`, headers: await admin() });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().dispatch.leadId).toBe(leadId);
    expect(await leadOf(leadId)).toBe('dispatching');
    expect(await lastHistory(leadId)).toMatchObject({ from_state: 'assigned', to_state: 'dispatching' });
    expect((await q1('select status, cancellation_cause from bookings where id = $1', [booking.id]))[0]).toEqual({
      status: 'cancelled',
      cancellation_cause: 'business',
    });
  });

  it('a booking that cannot be cancelled changes neither booking nor lead', async () => {
    const { booking, leadId } = await bookedByTransfer();
    const before = await q1('select count(*)::int as n from lead_history where lead_id = $1', [leadId]);
    expect((await move(booking.id, { to: 'completed' })).statusCode).toBe(409);
    expect(await q1('select count(*)::int as n from lead_history where lead_id = $1', [leadId])).toEqual(before);
  });
});

describe('limits per customer link (SPEC)', () => {
  const dates = ['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01'];
  const liveHolds = async (jobId: string) =>
    (await q1(`select count(*)::int as n from slot_claims where job_id = $1 and kind = 'hold'`, [jobId]))[0].n as number;

  it('a hoarding loop with fresh session ids is stopped at 2 holds while a normal customer on another link still books', async () => {
    for (let i = 0; i < 3; i++) await makeContractor(h);
    const hoarder = await makeJob(h);
    const normal = await makeJob(h);
    const statuses: number[] = [];
    // Sequential and then concurrent over real sockets: neither gets past 2.
    for (const [i, date] of dates.entries()) {
      for (const slot of ['am', 'pm']) {
        const res = await h.app.inject({
          method: 'POST',
          url: `/api/customer/jobs/${hoarder.token}/holds`,
          payload: { sessionId: `hoard-${i}-${slot}`, date, slot },
        });
        statuses.push(res.statusCode);
        expect(await liveHolds(hoarder.jobId)).toBeLessThanOrEqual(2);
      }
    }
    const burst = await Promise.all(
      dates.flatMap((date, i) =>
        ['am', 'pm'].map((slot) =>
          fetch(`${h.url}/api/customer/jobs/${hoarder.token}/holds`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ sessionId: `burst-${i}-${slot}`, date, slot }),
          }).then((r) => r.status),
        ),
      ),
    );
    expect(new Set([...statuses, ...burst])).toEqual(new Set([201]));
    expect(await liveHolds(hoarder.jobId)).toBe(2);
    // Per contractor slot: the hoarder blocks at most 2 of the 3 contractors anywhere.
    const normalHold = await h.app.inject({
      method: 'POST',
      url: `/api/customer/jobs/${normal.token}/holds`,
      payload: { sessionId: 'normal-customer', date: dates[7], slot: 'pm' },
    });
    expect(normalHold.statusCode, normalHold.body).toBe(201);
    const checkout = await h.app.inject({
      method: 'POST',
      url: `/api/customer/jobs/${normal.token}/checkout`,
      payload: { sessionId: 'normal-customer' },
    });
    expect(checkout.statusCode, checkout.body).toBe(201);
    const avail = (await h.app.inject(`/api/customer/jobs/${normal.token}/availability`)).json();
    const free = avail.days
      .flatMap((d: { slots: { contractorCount: number }[] }) => d.slots)
      .filter((s: { contractorCount: number }) => s.contractorCount > 0);
    expect(free.length).toBeGreaterThan(40);
  });

  it('the same session moving its hold keeps the other session’s; the oldest goes first', async () => {
    await makeContractor(h);
    const job = await makeJob(h);
    const hold = (sessionId: string, date: string) =>
      h.app.inject({ method: 'POST', url: `/api/customer/jobs/${job.token}/holds`, payload: { sessionId, date, slot: 'am' } });
    await hold('session-aaaa', dates[0]!);
    await hold('session-bbbb', dates[1]!);
    await hold('session-bbbb', dates[2]!); // moves b's own hold: a stays
    expect(
      (await q1(`select session_id from slot_claims where job_id = $1 order by session_id`, [job.jobId])).map((r) => r.session_id),
    ).toEqual(['session-aaaa', 'session-bbbb']);
    await hold('session-cccc', dates[3]!); // a third session: a (the oldest) is released
    expect(
      (await q1(`select session_id from slot_claims where job_id = $1 order by session_id`, [job.jobId])).map((r) => r.session_id),
    ).toEqual(['session-bbbb', 'session-cccc']);
  });

  it('a newcomer waits for a session moving its hold (link lock), then evicts the oldest: 2 holds, not 3', async () => {
    for (let i = 0; i < 4; i++) await makeContractor(h);
    const job = await makeJob(h);
    for (const [sessionId, slot] of [
      ['session-mover-a', 'am'],
      ['session-other-b', 'pm'],
    ])
      expect(
        (await h.app.inject({ method: 'POST', url: `/api/customer/jobs/${job.token}/holds`, payload: { sessionId, date: dates[0], slot } }))
          .statusCode,
      ).toBe(201);
    const [{ ranking_id: ranking }] = await q1(`select ranking_id from slot_claims where session_id = 'session-mover-a'`);
    const now = h.clock.now;
    const expires = new Date(now.getTime() + 300_000);
    const hold = (c: import('pg').PoolClient, sessionId: string, date: string) =>
      c.query(`select * from handy_hold($1, $2, $3, 'am', $4, $5, 2, $6, null)`, [job.jobId, sessionId, date, now, expires, ranking]);
    const mover = await h.db.pool.connect();
    const newcomer = await h.db.pool.connect();
    try {
      // The mover's transaction is open (its old hold deleted, the new one claimed) when the
      // newcomer counts the link's holds.
      await mover.query('begin');
      await hold(mover, 'session-mover-a', dates[1]!);
      let newcomerDone = false;
      const arriving = hold(newcomer, 'session-new-c', dates[2]!).then(() => (newcomerDone = true));
      await new Promise((r) => setTimeout(r, 300));
      expect(newcomerDone).toBe(false);
      await mover.query('commit');
      await arriving;
    } finally {
      mover.release();
      newcomer.release();
    }
    // A (moved, newest but one) and C stay; B, now the oldest, made room.
    expect(
      (await q1(`select session_id from slot_claims where job_id = $1 order by session_id`, [job.jobId])).map((r) => r.session_id),
    ).toEqual(['session-mover-a', 'session-new-c']);
  });

  it('at most 3 live waitlist entries per link, even when requests race', async () => {
    const job = await makeJob(h);
    const join = (n: number) =>
      fetch(`${h.url}/api/customer/jobs/${job.token}/waitlist`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ channel: 'sms', contact: `0770090${String(n).padStart(4, '0')}` }),
      });
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map(join));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 429, 429, 429]);
    const refused = await join(7);
    expect(refused.status).toBe(429);
    expect((await refused.json()).error.code).toBe('TOO_MANY_WAITLIST_ENTRIES');
    expect(await q1('select count(*)::int as n from waitlist_entries')).toEqual([{ n: 3 }]);
    // Entries that have lapsed no longer count.
    h.clock.now = hoursLater(25);
    expect((await join(8)).status).toBe(201);
  });
});

describe('per-IP rate limits on holds and uploads', () => {
  let limited: Harness;
  beforeAll(async () => {
    limited = await startHarness({ env: { HOLD_RATE_LIMIT: '3', UPLOAD_RATE_LIMIT: '2' } });
  });
  afterAll(() => limited.close());

  it('the 4th hold a minute from one IP is 429; another IP is not affected', async () => {
    await makeContractor(limited);
    const job = await makeJob(limited);
    const hold = (i: number, remoteAddress: string) =>
      limited.app.inject({
        method: 'POST',
        url: `/api/customer/jobs/${job.token}/holds`,
        remoteAddress,
        payload: { sessionId: `ip-session-${i}`, date: DAY, slot: 'am' },
      });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await hold(i, '203.0.113.7')).statusCode);
    expect(codes.slice(0, 3).every((c) => c !== 429)).toBe(true);
    const fourth = await hold(5, '203.0.113.7');
    expect(fourth.statusCode).toBe(429);
    expect(fourth.json().error.code).toBe('RATE_LIMITED');
    expect((await hold(6, '198.51.100.9')).statusCode).not.toBe(429);
  });

  it('the 3rd upload a minute from one IP is 429', async () => {
    const codes = [];
    for (let i = 0; i < 3; i++) {
      codes.push(
        (
          await limited.app.inject({
            method: 'POST',
            url: `/api/customer/videos/${'x'.repeat(40)}`,
            remoteAddress: '203.0.113.8',
            ...receiptUpload('s-upload-1'),
          })
        ).statusCode,
      );
    }
    expect(codes[0]).not.toBe(429);
    expect(codes[2]).toBe(429);
  });
});
