import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { escalateReceipts } from '../../src/modules/payments/receipts.js';
import { startFakeStripe, type FakeStripe } from '../helpers/fake-stripe.js';
import { auth, DAY, makeContractor, makeLead, startHarness, type Harness } from '../helpers/harness.js';

let stripe: FakeStripe;
let h: Harness;
let noKeys: Harness;
beforeAll(async () => {
  stripe = await startFakeStripe();
  h = await startHarness({
    env: {
      ...stripe.env,
      RECEIPT_MAX_BYTES: '20000',
    },
  });
  noKeys = await startHarness();
});
afterAll(async () => {
  await h.close();
  await noKeys.close();
  await stripe.close();
});
beforeEach(async () => {
  await h.reset();
  stripe.reset();
});

const TAP = [{ taskId: 'fix-leaking-taps-faucets', confidence: 'expert' as const, yearsExperience: 4 }];
/** A sent hhh quote for a leaking tap (deposit 20% of 6500 x 1.3 = 1690). */
async function quote(hh: Harness = h) {
  const lead = await makeLead(hh, { description: 'my kitchen tap is leaking' });
  const token = lead.quoteUrl!.split('/q/')[1]!;
  await hh.app.inject(`/api/q/${token}`);
  return { leadId: lead.id, token };
}
const hold = (token: string, sessionId: string, hh: Harness = h, date = DAY) =>
  hh.app.inject({ method: 'POST', url: `/api/q/${token}/holds`, payload: { sessionId, date, slot: 'am' } });
const payByCard = (token: string, sessionId: string, headers: Record<string, string> = {}) =>
  h.app.inject({ method: 'POST', url: `/api/q/${token}/checkout`, headers, payload: { sessionId, paymentMethod: 'card' } });
const webhook = (type: string, intentId: string, eventId?: string) => {
  const e = stripe.signedEvent(type, intentId, eventId);
  return h.app.inject({
    method: 'POST',
    url: '/api/webhooks/stripe',
    headers: { 'content-type': 'application/json', 'stripe-signature': e.signature },
    payload: e.payload,
  });
};
const q1 = async (sql: string, params: unknown[] = []) => (await h.db.pool.query(sql, params)).rows;
const leadState = async (id: string) => (await q1('select state from leads where id = $1', [id]))[0].state;

describe('card deposits with Stripe', () => {
  it('checkout creates a PaymentIntent for the deposit; the signed success webhook confirms the booking', async () => {
    const contractor = await makeContractor(h, { skills: TAP });
    const { leadId, token } = await quote();
    await hold(token, 'card-session-1');
    const res = await payByCard(token, 'card-session-1');
    expect(res.statusCode, res.body).toBe(201);
    const payment = res.json().payment;
    expect(payment).toMatchObject({ kind: 'card', status: 'requires_payment', amountPence: 1690, publishableKey: 'pk_test_handy' });
    expect(payment.clientSecret).toMatch(/^pi_test_\d+_secret/);
    expect(stripe.intents.size).toBe(1);
    const [intent] = [...stripe.intents.values()];
    expect(intent).toMatchObject({ amount: 1690, metadata: { paymentId: payment.id } });
    expect(await q1('select id from bookings')).toEqual([]);

    const hook = await webhook('payment_intent.succeeded', intent!.id);
    expect(hook.json()).toEqual({ received: true, outcome: 'booked' });
    const [booking] = await q1('select id, contractor_id, status, payment_status, deposit_pence from bookings');
    expect(booking).toMatchObject({ contractor_id: contractor, status: 'confirmed', payment_status: 'paid', deposit_pence: 1690 });
    expect(await leadState(leadId)).toBe('assigned');
    const ledger = (await h.app.inject({ url: `/api/bookings/${booking.id}/payments`, headers: auth(await h.tokenFor('va')) })).json();
    expect(ledger.payments).toEqual([expect.objectContaining({ status: 'succeeded', amountPence: 1690, providerRef: intent!.id })]);
    expect(ledger.events).toEqual([expect.objectContaining({ type: 'payment_intent.succeeded', outcome: 'booked' })]);
  });

  it('processes each event once: a duplicate changes nothing', async () => {
    await makeContractor(h, { skills: TAP });
    const { token } = await quote();
    await hold(token, 'card-session-1');
    await payByCard(token, 'card-session-1');
    const [intent] = [...stripe.intents.keys()];
    await webhook('payment_intent.succeeded', intent!, 'evt_same');
    const again = await webhook('payment_intent.succeeded', intent!, 'evt_same');
    expect(again.json().outcome).toBe('duplicate');
    expect(await q1('select count(*)::int as n from bookings')).toEqual([{ n: 1 }]);
    expect(await q1('select count(*)::int as n from webhook_events')).toEqual([{ n: 1 }]);
  });

  it('rejects a bad signature with 400 and changes nothing', async () => {
    await makeContractor(h, { skills: TAP });
    const { token } = await quote();
    await hold(token, 'card-session-1');
    await payByCard(token, 'card-session-1');
    const [intent] = [...stripe.intents.keys()];
    const e = stripe.signedEvent('payment_intent.succeeded', intent!);
    const forged = await h.app.inject({
      method: 'POST',
      url: '/api/webhooks/stripe',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': e.signature.replace(/v1=(\w+)/, (_m, sig: string) => `v1=${'0'.repeat(sig.length)}`),
      },
      payload: e.payload,
    });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().error.code).toBe('INVALID_SIGNATURE');
    const tampered = await h.app.inject({
      method: 'POST',
      url: '/api/webhooks/stripe',
      headers: { 'content-type': 'application/json', 'stripe-signature': e.signature },
      payload: e.payload.replace('succeeded', 'canceled'),
    });
    expect(tampered.statusCode).toBe(400);
    expect(await q1('select count(*)::int as n from webhook_events')).toEqual([{ n: 0 }]);
    expect(await q1('select status from payments')).toEqual([{ status: 'requires_payment' }]);
  });

  it('a failed payment releases the hold; a success arriving after it still books the same slot', async () => {
    await makeContractor(h, { skills: TAP });
    const { leadId, token } = await quote();
    await hold(token, 'card-session-1');
    await payByCard(token, 'card-session-1');
    const [intent] = [...stripe.intents.keys()];
    expect((await webhook('payment_intent.payment_failed', intent!)).json().outcome).toBe('released');
    expect(await q1(`select count(*)::int as n from slot_claims`)).toEqual([{ n: 0 }]);
    expect(await leadState(leadId)).toBe('quote_viewed');
    expect((await webhook('payment_intent.succeeded', intent!)).json().outcome).toBe('booked');
    expect(await q1(`select date::text, slot, status from bookings`)).toEqual([{ date: DAY, slot: 'am', status: 'confirmed' }]);
  });

  it('ignores a failure that arrives after the success (events out of order)', async () => {
    await makeContractor(h, { skills: TAP });
    const { token } = await quote();
    await hold(token, 'card-session-1');
    await payByCard(token, 'card-session-1');
    const [intent] = [...stripe.intents.keys()];
    await webhook('payment_intent.succeeded', intent!);
    expect((await webhook('payment_intent.payment_failed', intent!)).json().outcome).toBe('stale');
    expect(await q1('select status, payment_status from bookings')).toEqual([{ status: 'confirmed', payment_status: 'paid' }]);
  });

  it('late success after the hold expired: re-holds the same slot with another free contractor', async () => {
    const first = await makeContractor(h, { skills: TAP, postcode: 'SW11 1AA' });
    const second = await makeContractor(h, { skills: TAP, postcode: 'SW8 1AA' });
    const { token } = await quote();
    await hold(token, 'card-session-1');
    await payByCard(token, 'card-session-1');
    h.clock.advance(301);
    const other = await quote();
    expect((await hold(other.token, 'other-session')).statusCode).toBe(201); // takes `first`
    const [intent] = [...stripe.intents.keys()];
    expect((await webhook('payment_intent.succeeded', intent!)).json().outcome).toBe('booked');
    expect(await q1(`select contractor_id from bookings`)).toEqual([{ contractor_id: second }]);
    expect(first).not.toBe(second);
  });

  it('late success after the hold expired with nobody free: flagged for staff and refunded, never double-booked', async () => {
    await makeContractor(h, { skills: TAP });
    const { token } = await quote();
    await hold(token, 'card-session-1');
    await payByCard(token, 'card-session-1');
    h.clock.advance(301);
    const other = await quote();
    await hold(other.token, 'other-session');
    const [intent] = [...stripe.intents.keys()];
    expect((await webhook('payment_intent.succeeded', intent!)).json().outcome).toBe('refunded_no_slot');
    expect(await q1('select count(*)::int as n from bookings')).toEqual([{ n: 0 }]);
    expect(await q1('select status, flag is not null as flagged from payments')).toEqual([{ status: 'refunded', flagged: true }]);
    expect(stripe.refunds).toEqual([expect.objectContaining({ payment_intent: intent, amount: 1690 })]);
    expect(await q1(`select status from refunds`)).toEqual([{ status: 'succeeded' }]);
    expect(await q1(`select template from outbox_messages where template = 'paid_without_slot'`)).toHaveLength(1);
  });
});

describe('idempotent checkout', () => {
  it('two checkouts racing on the same hold make one PaymentIntent and one payment', async () => {
    await makeContractor(h, { skills: TAP });
    const { token } = await quote();
    await hold(token, 'card-session-1');
    const both = await Promise.all(
      [1, 2].map(() =>
        fetch(`${h.url}/api/q/${token}/checkout`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ sessionId: 'card-session-1', paymentMethod: 'card' }),
        }),
      ),
    );
    const bodies = await Promise.all(both.map((r) => r.json()));
    expect(both.map((r) => r.status)).toEqual([201, 201]);
    expect(bodies[0].payment.id).toBe(bodies[1].payment.id);
    expect(stripe.intents.size).toBe(1);
    const [intent] = [...stripe.intents.keys()];
    await webhook('payment_intent.succeeded', intent!);
    expect(await q1('select count(*)::int as n from bookings')).toEqual([{ n: 1 }]);
  });

  it('a retry with the same Idempotency-Key returns the first response; another body with it is a 422', async () => {
    await makeContractor(h, { skills: TAP });
    const { token } = await quote();
    await hold(token, 'card-session-1');
    const key = { 'idempotency-key': 'checkout-abc-123' };
    const first = await payByCard(token, 'card-session-1', key);
    const retry = await payByCard(token, 'card-session-1', key);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    expect(stripe.intents.size).toBe(1);
    const other = await h.app.inject({
      method: 'POST',
      url: `/api/q/${token}/checkout`,
      headers: key,
      payload: { sessionId: 'card-session-2', paymentMethod: 'card' },
    });
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('makes staff booking creation idempotent too', async () => {
    const c = await makeContractor(h, { skills: TAP });
    const job = (await q1('select job_id from leads where id = $1', [(await makeLead(h)).id]))[0].job_id;
    const headers = { ...auth(await h.tokenFor('admin')), 'idempotency-key': 'staff-booking-1' };
    const payload = { jobId: job, contractorId: c, date: DAY, slot: 'pm' };
    const a = await h.app.inject({ method: 'POST', url: '/api/bookings', headers, payload });
    const b = await h.app.inject({ method: 'POST', url: '/api/bookings', headers, payload });
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(b.json().booking.id).toBe(a.json().booking.id);
    expect(await q1('select count(*)::int as n from bookings')).toEqual([{ n: 1 }]);
  });
});

describe('without Stripe keys', () => {
  it('card checkout is refused with a clear message and bank transfer still works', async () => {
    await makeContractor(noKeys, { skills: TAP });
    expect((await noKeys.app.inject('/api/payments/config')).json()).toEqual({
      cardPayments: false,
      publishableKey: null,
      manualPayments: true,
    });
    const { token } = await quote(noKeys);
    await hold(token, 'manual-session-1', noKeys);
    const card = await noKeys.app.inject({
      method: 'POST',
      url: `/api/q/${token}/checkout`,
      payload: { sessionId: 'manual-session-1', paymentMethod: 'card' },
    });
    expect(card.statusCode).toBe(409);
    expect(card.json().error).toMatchObject({ code: 'CARD_PAYMENTS_DISABLED', message: expect.stringContaining('bank transfer') });
    const manual = await noKeys.app.inject({
      method: 'POST',
      url: `/api/q/${token}/checkout`,
      payload: { sessionId: 'manual-session-1', paymentMethod: 'manual' },
    });
    expect(manual.statusCode).toBe(201);
    expect(manual.json().booking).toMatchObject({ status: 'pending_confirmation', paymentStatus: 'awaiting_receipt' });
  });
});

// The smallest valid PNG, and a text file pretending to be one.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000a49444154789c6300010000050001' +
    '0d0a2db40000000049454e44ae426082',
  'hex',
);
function receiptUpload(file: Buffer, name: string, sessionId?: string) {
  const b = '----receipt';
  const parts = [];
  if (sessionId) parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="sessionId"\r\n\r\n${sessionId}\r\n`));
  parts.push(
    Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="receipt"; filename="${name}"\r\nContent-Type: image/png\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${b}--\r\n`),
  );
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${b}` } };
}

describe('bank-transfer receipts', () => {
  async function receipted() {
    await makeContractor(h, { skills: TAP });
    const { token } = await quote();
    await hold(token, 'manual-session-1');
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/q/${token}/receipt`,
      ...receiptUpload(PNG, 'receipt.png', 'manual-session-1'),
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }

  it('books the slot pending confirmation; approval confirms it', async () => {
    const { payment, booking } = await receipted();
    expect(payment).toMatchObject({ kind: 'manual', status: 'pending_review', amountPence: 1690 });
    expect(booking.status).toBe('pending_confirmation');
    const approved = await h.app.inject({
      method: 'POST',
      url: `/api/payments/${payment.id}/approve`,
      headers: auth(await h.tokenFor('va')),
    });
    expect(approved.json().payment.status).toBe('succeeded');
    expect(await q1('select status, payment_status from bookings')).toEqual([{ status: 'confirmed', payment_status: 'paid' }]);
  });

  it('rejection with a reason cancels the booking and frees the slot', async () => {
    const { payment } = await receipted();
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/payments/${payment.id}/reject`,
      headers: auth(await h.tokenFor('va')),
      payload: { reason: 'Amount does not match' },
    });
    expect(res.json().payment.status).toBe('rejected');
    expect(await q1('select status, status_reason from bookings')).toEqual([
      { status: 'cancelled', status_reason: 'Payment rejected: Amount does not match' },
    ]);
    expect(await q1('select count(*)::int as n from slot_claims')).toEqual([{ n: 0 }]);
  });

  it('refuses a text file renamed .png (415) and a file over the limit (413), keeping nothing', async () => {
    await makeContractor(h, { skills: TAP });
    const { token } = await quote();
    await hold(token, 'manual-session-1');
    const fake = await h.app.inject({
      method: 'POST',
      url: `/api/q/${token}/receipt`,
      ...receiptUpload(Buffer.from('definitely a bank receipt'), 'receipt.png', 'manual-session-1'),
    });
    expect(fake.statusCode).toBe(415);
    expect(fake.json().error.code).toBe('NOT_A_RECEIPT');
    const big = await h.app.inject({
      method: 'POST',
      url: `/api/q/${token}/receipt`,
      ...receiptUpload(Buffer.concat([PNG, Buffer.alloc(30_000)]), 'big.png', 'manual-session-1'),
    });
    expect(big.statusCode).toBe(413);
    expect(await q1('select count(*)::int as n from payments')).toEqual([{ n: 0 }]);
    expect(await q1('select count(*)::int as n from bookings')).toEqual([{ n: 0 }]);
  });

  it('escalates receipts left unreviewed past the deadline, once', async () => {
    await receipted();
    const at = (hours: number) => new Date(h.clock.now.getTime() + hours * 3_600_000);
    expect(await escalateReceipts(h.db.db, at(23), 24)).toBe(0);
    expect(await escalateReceipts(h.db.db, at(25), 24)).toBe(1);
    expect(await escalateReceipts(h.db.db, at(26), 24)).toBe(0);
    expect(await q1(`select template from outbox_messages where template = 'receipt_review_overdue'`)).toHaveLength(1);
  });
});

describe('refunds and the cancellation policy', () => {
  async function paidBooking(date = DAY) {
    await makeContractor(h, { skills: TAP });
    const { token } = await quote();
    await hold(token, 'card-session-1', h, date);
    await payByCard(token, 'card-session-1');
    const [intent] = [...stripe.intents.keys()];
    await webhook('payment_intent.succeeded', intent!);
    return { token, intent: intent!, bookingId: (await q1('select id from bookings'))[0].id as string };
  }

  it('refunds the deposit in full through Stripe when the customer cancels 48 hours or more ahead', async () => {
    const { token, intent } = await paidBooking('2026-11-26'); // 73 hours ahead
    const res = await h.app.inject({ method: 'POST', url: `/api/q/${token}/cancel`, payload: {} });
    expect(res.json()).toMatchObject({ refundPence: 1690, booking: { status: 'cancelled', paymentStatus: 'refunded' } });
    expect(stripe.refunds).toEqual([expect.objectContaining({ payment_intent: intent, amount: 1690 })]);
  });

  it('refunds nothing when the customer cancels later than that', async () => {
    const { token } = await paidBooking(DAY); // 25 hours ahead
    const res = await h.app.inject({ method: 'POST', url: `/api/q/${token}/cancel`, payload: {} });
    expect(res.json()).toMatchObject({ refundPence: 0, booking: { status: 'cancelled' } });
    expect(stripe.refunds).toEqual([]);
  });

  it('always refunds in full when the business cancels', async () => {
    const { bookingId } = await paidBooking(DAY);
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/bookings/${bookingId}/transitions`,
      headers: auth(await h.tokenFor('admin')),
      payload: { to: 'cancelled', cause: 'business', reason: 'Contractor ill' },
    });
    expect(res.statusCode).toBe(200);
    expect(stripe.refunds).toEqual([expect.objectContaining({ amount: 1690 })]);
    expect(await q1('select status, amount_pence from refunds')).toEqual([{ status: 'succeeded', amount_pence: 1690 }]);
  });
});
