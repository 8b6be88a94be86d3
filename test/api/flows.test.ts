import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError, statusOf } from '../../src/shared/errors.js';
import { bookingRules } from '../../src/modules/availability/booking-rules.js';
import { checkoutInTx, tryCheckoutInTx } from '../../src/modules/bookings/checkout.js';
import { loadJobSpec } from '../../src/modules/jobs/job-spec.js';
import { releaseLapsedLeadHolds } from '../../src/modules/leads/expire-leads.js';
import { type FakeStripe, startFakeStripe } from '../helpers/fake-stripe.js';
import { multipartFile, PNG } from '../helpers/ops-fixtures.js';
import { auth, DAY, type Harness, makeContractor, makeJob, makeLead, startHarness } from '../helpers/harness.js';

/* The flows in src/flows where the behaviour is subtle: settling a card payment (book, or an
 * explicit "not booked" that flags and refunds), re-dispatching in one transaction, and the lead
 * following its booking through completion and a rejected receipt. */

let stripe: FakeStripe;
let h: Harness;
beforeAll(async () => {
  stripe = await startFakeStripe();
  h = await startHarness({
    env: {
      ...stripe.env,
      HOLD_RATE_LIMIT: '100000',
      UPLOAD_RATE_LIMIT: '100000',
    },
  });
});
afterAll(async () => {
  await h.close();
  await stripe.close();
});
beforeEach(async () => {
  await h.reset();
  stripe.reset();
});

const TAP = [{ taskId: 'fix-leaking-taps-faucets', confidence: 'expert' as const, yearsExperience: 4 }];
const q1 = async (sql: string, params: unknown[] = []) => (await h.db.pool.query(sql, params)).rows;
const leadState = async (id: string) => (await q1('select state from leads where id = $1', [id]))[0].state as string;
const historyTo = async (id: string, to: string) =>
  q1('select from_state, reason, actor from lead_history where lead_id = $1 and to_state = $2 order by seq', [id, to]);
const admin = async () => auth(await h.tokenFor('admin'));

async function quote() {
  const lead = await makeLead(h, { description: 'my kitchen tap is leaking' });
  const token = lead.quoteUrl!.split('/q/')[1]!;
  await h.app.inject(`/api/q/${token}`);
  return { leadId: lead.id, token };
}
const hold = (token: string, sessionId: string, date = DAY, slot = 'am') =>
  h.app.inject({ method: 'POST', url: `/api/q/${token}/holds`, payload: { sessionId, date, slot } });
const checkout = (token: string, sessionId: string, paymentMethod: 'card' | 'manual') =>
  h.app.inject({ method: 'POST', url: `/api/q/${token}/checkout`, payload: { sessionId, paymentMethod } });
const webhook = (type: string, intentId: string) => {
  const e = stripe.signedEvent(type, intentId);
  return h.app.inject({
    method: 'POST',
    url: '/api/webhooks/stripe',
    headers: { 'content-type': 'application/json', 'stripe-signature': e.signature },
    payload: e.payload,
  });
};
/** A quote booked by bank transfer: the lead is assigned. */
async function booked(date = DAY) {
  const contractorId = await makeContractor(h, { skills: TAP });
  const { leadId, token } = await quote();
  expect((await hold(token, 'transfer-session', date)).statusCode).toBe(201);
  const res = await checkout(token, 'transfer-session', 'manual');
  expect(res.statusCode, res.body).toBe(201);
  expect(await leadState(leadId)).toBe('assigned');
  return { contractorId, leadId, token, bookingId: res.json().booking.id as string };
}

describe('checkout says whether it booked', () => {
  it('no hold: an explicit NO_HOLD result that writes nothing; the throwing form is the 409 the customer sees', async () => {
    await makeContractor(h, { skills: TAP });
    const job = await makeJob(h, { requirements: [{ taskId: 'fix-leaking-taps-faucets' }] });
    const spec = { ...(await loadJobSpec(h.db.db, job.jobId)), jobId: job.jobId };
    const s = { rules: bookingRules(h.config), ttlSeconds: h.config.HOLD_TTL_SECONDS, now: h.clock.now };
    const result = await h.db.db.transaction((tx) => tryCheckoutInTx(tx, spec, 'nobody', s));
    expect(result).toEqual({ ok: false, code: 'NO_HOLD', message: expect.any(String), details: null });
    const thrown = await h.db.db.transaction((tx) => checkoutInTx(tx, spec, 'nobody', s)).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ code: 'NO_HOLD' });
    expect(statusOf(thrown as AppError)).toBe(409);
    expect(await q1('select count(*)::int as n from bookings')).toEqual([{ n: 0 }]);
  });
});

describe('settling a card payment (webhook)', () => {
  it('the job was booked by another session meanwhile: not booked, so flagged with the reason and refunded; the other booking and the lead stay', async () => {
    await makeContractor(h, { skills: TAP });
    const { leadId, token } = await quote();
    expect((await hold(token, 'card-session', DAY, 'am')).statusCode).toBe(201);
    expect((await checkout(token, 'card-session', 'card')).statusCode).toBe(201);
    expect((await hold(token, 'transfer-session', DAY, 'pm')).statusCode).toBe(201);
    const other = await checkout(token, 'transfer-session', 'manual');
    expect(other.statusCode, other.body).toBe(201);
    const assignedBefore = await historyTo(leadId, 'assigned');

    const [intent] = [...stripe.intents.keys()];
    expect((await webhook('payment_intent.succeeded', intent!)).json().outcome).toBe('refunded_no_slot');
    expect(await q1('select id, slot from bookings')).toEqual([{ id: other.json().booking.id, slot: 'pm' }]);
    expect(await q1(`select status, flag from payments where kind = 'card'`)).toEqual([
      { status: 'refunded', flag: 'slot unavailable after payment: JOB_ALREADY_BOOKED' },
    ]);
    expect(stripe.refunds).toEqual([expect.objectContaining({ payment_intent: intent, amount: 1690 })]);
    expect(await q1(`select count(*)::int as n from outbox_messages where template = 'paid_without_slot'`)).toEqual([{ n: 1 }]);
    // The compensation does not touch the lead: it moved once, with the booking that was made.
    expect(await leadState(leadId)).toBe('assigned');
    expect(await historyTo(leadId, 'assigned')).toEqual(assignedBefore);
  });

  it('paid after the quote lapsed: a paid deposit is never refused for that; it books and accepts the quote', async () => {
    await makeContractor(h, { skills: TAP });
    const { leadId, token } = await quote();
    const later = '2026-11-30';
    expect((await hold(token, 'card-session', later)).statusCode).toBe(201);
    expect((await checkout(token, 'card-session', 'card')).statusCode).toBe(201);
    h.clock.advance(73 * 3600); // past the quote's 3 days (and the hold's 5 minutes)
    const [intent] = [...stripe.intents.keys()];
    expect((await webhook('payment_intent.succeeded', intent!)).json().outcome).toBe('booked');
    expect(await q1('select status, payment_status, date::text from bookings')).toEqual([
      { status: 'confirmed', payment_status: 'paid', date: later },
    ]);
    expect(await q1('select accepted_at is not null as accepted from quotes')).toEqual([{ accepted: true }]);
    expect(await leadState(leadId)).toBe('assigned');
    expect((await historyTo(leadId, 'assigned'))[0]).toMatchObject({ actor: 'system', reason: expect.stringMatching(/^paid, booking /) });
    expect(stripe.refunds).toEqual([]);
  });
});

describe('settling a card payment for something no longer on offer', () => {
  /**
   * A customer paying by card slowly: their hold lapses (the lead goes back to quote_viewed, so
   * staff may mark it lost or send a new version) before Stripe reports the payment.
   */
  async function paying() {
    await makeContractor(h, { skills: TAP });
    const { leadId, token } = await quote();
    expect((await hold(token, 'card-session')).statusCode).toBe(201);
    expect((await checkout(token, 'card-session', 'card')).statusCode).toBe(201);
    h.clock.advance(h.config.HOLD_TTL_SECONDS + 1);
    expect(await releaseLapsedLeadHolds(h.db.db, h.clock.now)).toBe(1);
    expect(await leadState(leadId)).toBe('quote_viewed');
    return { leadId, intent: [...stripe.intents.keys()][0]! };
  }
  async function expectRefundedAndFlagged(intent: string, code: string) {
    const res = await webhook('payment_intent.succeeded', intent);
    expect(res.statusCode).toBe(200);
    expect(res.json().outcome).toBe('refunded_no_slot');
    expect(await q1(`select status, flag from payments where kind = 'card'`)).toEqual([
      { status: 'refunded', flag: `not booked after payment: ${code}` },
    ]);
    expect(stripe.refunds).toEqual([expect.objectContaining({ payment_intent: intent, amount: 1690 })]);
    expect(await q1('select id from bookings')).toEqual([]);
    expect(await q1('select id from slot_claims')).toEqual([]); // the hold is let go
    const [alert] = await q1(`select payload from outbox_messages where template = 'paid_without_slot'`);
    expect(alert.payload.reason).toEqual(expect.any(String));
    // A replay changes nothing more.
    expect((await webhook('payment_intent.succeeded', intent)).json().outcome).toBe('stale');
    expect(stripe.refunds).toHaveLength(1);
  }

  it('the lead was marked lost while the customer paid: refunded and flagged, not a 409 Stripe retries forever', async () => {
    const { leadId, intent } = await paying();
    const lost = await h.app.inject({
      method: 'POST',
      url: `/api/leads/${leadId}/lost`,
      headers: await admin(),
      payload: { reason: 'went quiet' },
    });
    expect(lost.statusCode, lost.body).toBe(200);
    await expectRefundedAndFlagged(intent, 'LEAD_LOST');
    expect(await leadState(leadId)).toBe('lost');
  });

  it('staff sent a new version while the customer paid the old one: refunded and flagged (only the latest can be paid)', async () => {
    const { leadId, intent } = await paying();
    const v2 = await h.app.inject({
      method: 'POST',
      url: `/api/leads/${leadId}/quotes`,
      headers: await admin(),
      payload: { style: 'fixed', lineItems: [{ skuCode: 'GEN-TV' }] },
    });
    expect(v2.statusCode, v2.body).toBe(201);
    await expectRefundedAndFlagged(intent, 'QUOTE_SUPERSEDED');
    expect(await leadState(leadId)).toBe('quote_generated');
  });
});

describe('re-dispatching a booking is one transaction', () => {
  it('a dispatch that cannot start leaves the booking, its slot and the lead as they were', async () => {
    const { bookingId, leadId } = await booked();
    // Someone on shift, so the dispatch would be a live (targeted) one.
    const rescuer = await makeContractor(h, { reactiveMode: true, skills: TAP, postcode: 'SW8 1AA' });
    await h.app.inject({ method: 'POST', url: '/api/me/clock-in', headers: auth(await h.tokenFor('contractor', rescuer)) });
    const [before] = await q1('select status, claim_id from bookings where id = $1', [bookingId]);
    const historyBefore = await q1('select count(*)::int as n from lead_history where lead_id = $1', [leadId]);
    const [{ job_id: jobId }] = await q1('select job_id from bookings where id = $1', [bookingId]);
    // Another transaction opens a live dispatch for the job and keeps it uncommitted: the
    // re-dispatch gets past its checks, cancels the booking, then finds the dispatch taken.
    const other = await h.db.pool.connect();
    try {
      await other.query('begin');
      await other.query(`insert into urgent_dispatches (job_id, date, slot, status) values ($1, $2, 'am', 'targeted')`, [jobId, DAY]);
      const pending = h.app.inject({ method: 'POST', url: `/api/bookings/${bookingId}/dispatch`, headers: await admin() });
      for (let i = 0; i < 100; i++) {
        const waiting = await q1(
          `select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query ilike '%urgent_dispatches%'`,
        );
        if (waiting[0].n > 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await other.query('commit');
      const res = await pending;
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().error.code).toBe('DISPATCH_IN_PROGRESS');
    } finally {
      other.release();
    }
    expect((await q1('select status, claim_id from bookings where id = $1', [bookingId]))[0]).toEqual(before);
    expect(before.claim_id).not.toBeNull();
    expect(await q1('select count(*)::int as n from slot_claims where id = $1', [before.claim_id])).toEqual([{ n: 1 }]);
    expect(
      await q1(`select count(*)::int as n from booking_events where booking_id = $1 and to_status = 'cancelled'`, [bookingId]),
    ).toEqual([{ n: 0 }]);
    expect(await leadState(leadId)).toBe('assigned');
    expect(await q1('select count(*)::int as n from lead_history where lead_id = $1', [leadId])).toEqual(historyBefore);
  });

  it('two re-dispatches racing: one wins; the booking is cancelled once and the lead moves once', async () => {
    const { bookingId, leadId } = await booked();
    const headers = await admin();
    const results = await Promise.all(
      [0, 1].map(() => h.app.inject({ method: 'POST', url: `/api/bookings/${bookingId}/dispatch`, headers })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(await q1('select count(*)::int as n from urgent_dispatches')).toEqual([{ n: 1 }]);
    expect(
      await q1(`select count(*)::int as n from booking_events where booking_id = $1 and to_status = 'cancelled'`, [bookingId]),
    ).toEqual([{ n: 1 }]);
    expect(await historyTo(leadId, 'dispatching')).toHaveLength(1);
  });
});

describe('the lead follows its booking through the flows', () => {
  it('completed in the contractor app: lead completed, the task counted for the contractor, the notes kept, in one go', async () => {
    const { bookingId, leadId, contractorId } = await booked();
    const me = auth(await h.tokenFor('contractor', contractorId));
    const skill = () =>
      q1(`select completed_count from contractor_skills where contractor_id = $1 and task_id = 'fix-leaking-taps-faucets'`, [contractorId]);
    expect(await skill()).toEqual([{ completed_count: 0 }]);
    for (const to of ['confirmed', 'in_progress']) {
      expect(
        (await h.app.inject({ method: 'POST', url: `/api/me/bookings/${bookingId}/transitions`, headers: me, payload: { to } })).statusCode,
      ).toBe(200);
    }
    expect(await leadState(leadId)).toBe('in_progress');
    const done = await h.app.inject({
      method: 'POST',
      url: `/api/me/jobs/${bookingId}/complete`,
      headers: me,
      payload: { notes: 'New washer fitted' },
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(await leadState(leadId)).toBe('completed');
    expect(await historyTo(leadId, 'completed')).toEqual([
      { from_state: 'in_progress', reason: `booking ${bookingId} completed`, actor: `contractor:${contractorId}` },
    ]);
    expect(await skill()).toEqual([{ completed_count: 1 }]);
    expect(await q1('select notes from booking_reports where booking_id = $1', [bookingId])).toEqual([{ notes: 'New washer fitted' }]);
    expect(await q1('select job_completed from job_matching_history where booking_id = $1 and was_selected', [bookingId])).toEqual([
      { job_completed: true },
    ]);
  });

  it('a completion refused (not started) changes nothing: no notes, no count, no lead move', async () => {
    const { bookingId, leadId, contractorId } = await booked();
    const me = auth(await h.tokenFor('contractor', contractorId));
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/me/jobs/${bookingId}/complete`,
      headers: me,
      payload: { notes: 'too early' },
    });
    expect(res.statusCode).toBe(409);
    expect(await q1('select count(*)::int as n from booking_reports')).toEqual([{ n: 0 }]);
    expect(await q1(`select completed_count from contractor_skills where contractor_id = $1`, [contractorId])).toEqual([
      { completed_count: 0 },
    ]);
    expect(await leadState(leadId)).toBe('assigned');
  });

  it('a rejected receipt: booking cancelled (cause customer), slot freed, lead cancelled by the staff member', async () => {
    const { bookingId, leadId, token } = await booked();
    const PNG = Buffer.from(
      '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
        '1f15c4890000000a49444154789c6300010000050001' +
        '0d0a2db40000000049454e44ae426082',
      'hex',
    );
    const b = '----receipt';
    const payload = Buffer.concat([
      Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="sessionId"\r\n\r\ntransfer-session\r\n`),
      Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="receipt"; filename="r.png"\r\nContent-Type: image/png\r\n\r\n`),
      PNG,
      Buffer.from(`\r\n--${b}--\r\n`),
    ]);
    const up = await h.app.inject({
      method: 'POST',
      url: `/api/q/${token}/receipt`,
      payload,
      headers: { 'content-type': `multipart/form-data; boundary=${b}` },
    });
    expect(up.statusCode, up.body).toBe(201);
    const va = await h.tokenFor('va');
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/payments/${up.json().payment.id}/reject`,
      headers: auth(va),
      payload: { reason: 'Amount does not match' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await q1('select status, cancellation_cause, claim_id from bookings where id = $1', [bookingId]))[0]).toEqual({
      status: 'cancelled',
      cancellation_cause: 'customer',
      claim_id: null,
    });
    expect(await leadState(leadId)).toBe('cancelled');
    expect(await historyTo(leadId, 'cancelled')).toEqual([
      { from_state: 'assigned', reason: 'customer', actor: expect.stringMatching(/^staff:/) },
    ]);
  });
});

describe('a declined booking is never dropped silently', () => {
  const decline = async (bookingId: string, contractorId: string) =>
    h.app.inject({
      method: 'POST',
      url: `/api/me/bookings/${bookingId}/transitions`,
      headers: auth(await h.tokenFor('contractor', contractorId)),
      payload: { to: 'declined', reason: 'Van broke down' },
    });
  const told = async () =>
    (await q1(`select template, payload from outbox_messages where template = 'booking_cancelled'`)).map((m) => m.payload);

  it('awaiting the transfer: the payment is cancelled and the customer told, without the contractor’s words', async () => {
    const { bookingId, contractorId, leadId } = await booked();
    const res = await decline(bookingId, contractorId);
    expect(res.statusCode, res.body).toBe(200);
    expect(await q1('select status from bookings')).toEqual([{ status: 'declined' }]);
    expect(await q1(`select status, flag from payments`)).toEqual([{ status: 'cancelled', flag: null }]);
    const [message] = await told();
    expect(message).toMatchObject({ refundPence: 0, reason: expect.stringContaining('cannot take it') });
    expect(JSON.stringify(message)).not.toContain('Van broke down');
    expect(await leadState(leadId)).toBe('cancelled');
  });

  it('a receipt waiting for review: flagged for staff to refund, and the customer told their transfer comes back', async () => {
    const { bookingId, contractorId, token } = await booked();
    const upload = multipartFile('receipt', PNG, 'r.png', 'image/png', { sessionId: 'transfer-session' });
    const sent = await h.app.inject({ method: 'POST', url: `/api/q/${token}/receipt`, ...upload });
    expect(sent.statusCode, sent.body).toBe(201);
    expect((await decline(bookingId, contractorId)).statusCode).toBe(200);
    expect(await q1(`select status, flag from payments`)).toEqual([
      { status: 'pending_review', flag: 'booking declined: check the transfer arrived and refund it' },
    ]);
    expect(await told()).toEqual([expect.objectContaining({ refundPence: 0, transferUnderReview: true })]);
  });
});
