import { testClip } from '../helpers/clip.js';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expireUnpaidBookings } from '../../src/flows/expire-unpaid-bookings.js';
import { launchBrowser, PHONE, seriousA11yViolations } from '../helpers/browser.js';
import { type FakeStripe, startFakeStripe } from '../helpers/fake-stripe.js';
import { auth, enquiry, type Harness, makeContractor, makeLead, startHarness } from '../helpers/harness.js';
import path from 'node:path';

// A browser, the app and its database share two busy cores: give each journey room.
vi.setConfig({ testTimeout: 90_000 });

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000a49444154789c6300010000050001' +
    '0d0a2db40000000049454e44ae426082',
  'hex',
);
const TAP = [{ taskId: 'fix-leaking-taps-faucets', confidence: 'expert' as const, yearsExperience: 6 }];

/**
 * Stripe.js replaced in the browser only: Elements mounts a placeholder and confirmPayment
 * resolves as Stripe's would for a card needing no redirect. The server side is the real SDK
 * against the local Stripe stand-in, and the success arrives as a signed webhook.
 */
const FAKE_STRIPE_JS = `window.Stripe = function (key) {
  return {
    elements: function () { return { create: function () { return { mount: function (el) { el.textContent = 'Card details (test double for ' + key + ')'; } }; } }; },
    confirmPayment: function () { window.__paid = true; return Promise.resolve({}); },
  };
};`;

let h: Harness;
let stripe: FakeStripe;
let browser: Browser;
beforeAll(async () => {
  stripe = await startFakeStripe();
  h = await startHarness({
    env: {
      ...stripe.env,
      HOLD_RATE_LIMIT: '10000',
      UPLOAD_RATE_LIMIT: '10000',
    },
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await h.close();
  await stripe.close();
});
beforeEach(() => h.reset());

const q1 = async (sql: string, params: unknown[] = []) => (await h.db.pool.query(sql, params)).rows;

async function phonePage(): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext(PHONE);
  await context.route('https://js.stripe.com/**', (route) => route.fulfill({ contentType: 'text/javascript', body: FAKE_STRIPE_JS }));
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}

/** A sent quote for a leaking tap (deposit 20% of 6500 x 1.3 = £16.90), opened on a phone. */
async function openQuote() {
  await makeContractor(h, { skills: TAP });
  const lead = await makeLead(h, { description: 'my kitchen tap is leaking' });
  const { page, errors } = await phonePage();
  await page.goto(`${h.url}${new URL(lead.quoteUrl!).pathname}`);
  await page.getByRole('heading', { name: 'Your quote' }).waitFor();
  return { page, errors, leadId: lead.id, token: lead.quoteUrl!.split('/q/')[1]! };
}

async function holdFirstMorning(page: Page, nth = 0) {
  await page.getByRole('button', { name: 'Morning' }).nth(nth).click();
  await page.getByRole('status').filter({ hasText: 'Held for you' }).waitFor();
}

async function bookByTransferLater(page: Page, nth = 0) {
  await holdFirstMorning(page, nth);
  // Card is offered first when it is on; this customer pays by transfer.
  await page.getByLabel('Bank transfer').check();
  await page.getByRole('button', { name: 'Book now, send the receipt later' }).click();
  await page.getByRole('status').filter({ hasText: 'Booked for' }).waitFor();
}

describe('quote page', () => {
  it('pays the deposit by card (Stripe Elements test double, real SDK, signed webhook) and shows the booking', async () => {
    const { page, errors } = await openQuote();
    await holdFirstMorning(page);
    await page.getByText('Card details (test double for pk_test_handy)').waitFor();
    await page.getByRole('button', { name: 'Pay £16.90' }).click();
    await page.getByText('Payment sent').waitFor();
    const [intent] = [...stripe.intents.values()];
    expect(intent).toMatchObject({ amount: 1690 });
    const e = stripe.signedEvent('payment_intent.succeeded', intent!.id);
    const hook = await h.app.inject({
      method: 'POST',
      url: '/api/webhooks/stripe',
      headers: { 'content-type': 'application/json', 'stripe-signature': e.signature },
      payload: e.payload,
    });
    expect(hook.json().outcome).toBe('booked');
    await page.getByRole('status').filter({ hasText: 'Booked for' }).waitFor();
    await page.getByText('Confirmed').waitFor();
    expect(await q1('select status, payment_status from bookings')).toEqual([{ status: 'confirmed', payment_status: 'paid' }]);
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('by bank transfer: shows the bank details and deadline, then takes the receipt', async () => {
    const { page, errors } = await openQuote();
    await bookByTransferLater(page);
    await page.getByText('Upload your receipt by').waitFor();
    expect(await page.getByText(/^HANDY-[0-9A-F]{8}$/).count()).toBe(1);
    await page.getByLabel('Receipt').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: PNG });
    await page.getByRole('button', { name: 'Send receipt' }).click();
    await page.getByText('receipt received, being checked').waitFor();
    expect(await q1(`select status from payments where kind = 'manual'`)).toEqual([{ status: 'pending_review' }]);
    expect(errors).toEqual([]);
  });

  it('by bank transfer with no receipt: the deadline passes (injected clock) and the slot is freed', async () => {
    const { page } = await openQuote();
    await bookByTransferLater(page);
    expect(await q1(`select kind from slot_claims`)).toEqual([{ kind: 'booking' }]);
    h.clock.advance(24 * 3600 + 1);
    expect(await expireUnpaidBookings(h.db.db, h.config, h.clock.now)).toMatchObject({ cancelled: 1 });
    await page.reload();
    await page.getByText('We did not receive the bank-transfer receipt in time').waitFor();
    await page.getByText('Cancelled').waitFor();
    expect(await q1(`select count(*)::int as n from slot_claims`)).toEqual([{ n: 0 }]);
  });

  it('cancels, showing the refund the policy gives before the customer confirms', async () => {
    const { page } = await openQuote();
    await bookByTransferLater(page, 4); // more than 48 hours ahead: the whole deposit comes back
    // Staff have checked the transfer: there is a deposit to refund.
    await q1(`update payments set status = 'succeeded' where kind = 'manual'`);
    await q1(`update bookings set payment_status = 'paid', receipt_due_at = null`);
    await page.reload();
    await page.getByRole('button', { name: 'Cancel this booking' }).click();
    await page.getByText('You will get your whole deposit back: £16.90.').waitFor();
    await page.getByRole('button', { name: 'Yes, cancel the booking' }).click();
    await page.getByText('Booking cancelled. Refund: £16.90.').waitFor();
    expect(await q1('select status, cancellation_cause from bookings')).toEqual([{ status: 'cancelled', cancellation_cause: 'customer' }]);
  });

  it('reschedules to another day in one step, releasing the old slot', async () => {
    const { page } = await openQuote();
    await bookByTransferLater(page);
    const before = (await q1('select date::text from bookings'))[0].date;
    await page.getByRole('button', { name: 'Change the date' }).click();
    await page.getByRole('button', { name: 'Afternoon' }).nth(2).click();
    await page.getByRole('button', { name: 'Move my booking here' }).click();
    await page.getByRole('button', { name: 'Change the date' }).waitFor();
    const [after] = await q1('select date::text, slot from bookings');
    expect(after.slot).toBe('pm');
    expect(after.date).not.toBe(before);
    expect(await q1(`select date::text, slot, kind from slot_claims`)).toEqual([{ date: after.date, slot: 'pm', kind: 'booking' }]);
  });

  it('rates the finished job with a short review', async () => {
    const { page } = await openQuote();
    await bookByTransferLater(page);
    const [b] = await q1('select id from bookings');
    const admin = auth(await h.tokenFor('admin'));
    for (const to of ['confirmed', 'in_progress', 'completed'])
      await h.app.inject({ method: 'POST', url: `/api/bookings/${b.id}/transitions`, headers: admin, payload: { to } });
    await page.reload();
    await page.getByLabel('4 stars').check();
    await page.getByLabel('A few words').fill('Quick and tidy');
    await page.getByRole('button', { name: 'Send rating' }).click();
    await page.getByRole('heading', { name: 'Your rating' }).waitFor();
    expect(await q1('select customer_rating, customer_review from bookings')).toEqual([
      { customer_rating: 4, customer_review: 'Quick and tidy' },
    ]);
  });
});

describe('video page', () => {
  it('uploads a video from the link', async () => {
    const lead = await makeLead(h, { description: 'something odd with the boiler pipes' });
    const res = await h.app.inject({ method: 'POST', url: `/api/leads/${lead.id}/request-video`, headers: auth(await h.tokenFor('va')) });
    const file = path.join(tmpdir(), `handy-ui-${process.pid}.mp4`);
    await testClip(file, { seconds: 1, size: '160x120', rate: 5 });
    const { page, errors } = await phonePage();
    await page.goto(`${h.url}${new URL(res.json().uploadUrl).pathname}`);
    await page.getByLabel('Your video').setInputFiles({ name: 'job.mp4', mimeType: 'video/mp4', buffer: await readFile(file) });
    await page.getByLabel('Anything to add?').fill('The pipe under the sink drips');
    await page.getByRole('button', { name: 'Send video' }).click();
    await page.getByText('We have your video').waitFor();
    expect(await q1('select state from leads')).toEqual([{ state: 'video_received' }]);
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await rm(file, { force: true });
  });
});

describe('urgent page (job link)', () => {
  async function jobPage() {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/leads/web',
      payload: enquiry({ description: 'my kitchen tap is leaking' }),
    });
    const { page, errors } = await phonePage();
    return { page, errors, leadId: res.json().lead.id as string, url: `${h.url}${new URL(res.json().jobLink.url).pathname}` };
  }

  it('nobody on shift: the three options (schedule, browse and ask, waitlist)', async () => {
    await makeContractor(h, { skills: TAP }); // scheduled, but not on shift
    const { page, errors, url } = await jobPage();
    await page.goto(url);
    await page.getByText('Nobody who can do this job is on shift right now').waitFor();
    await page.getByRole('button', { name: 'Choose a contractor and ask them' }).click();
    await page.getByRole('button', { name: /^Ask / }).first().click();
    await page.getByText('We have asked them').waitFor();
    expect(await q1(`select kind from offers`)).toEqual([{ kind: 'request' }]);
    await page.getByRole('button', { name: 'Tell me when someone is free' }).click();
    await page.getByLabel('Mobile number').fill('07700900111');
    await page.getByRole('button', { name: 'Join the waitlist' }).click();
    await page.getByText('You are on the waitlist').waitFor();
    await page.getByRole('button', { name: 'Book the next normal slot' }).waitFor();
    await page.getByRole('heading', { name: 'Or book a normal slot' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('searching live, then accepted: who is coming and when', async () => {
    const contractorId = await makeContractor(h, { skills: TAP, reactiveMode: true, postcode: 'SW4 0AA', name: 'Kwame Mensah' });
    const ct = auth(await h.tokenFor('contractor', contractorId));
    await h.app.inject({ method: 'POST', url: '/api/me/clock-in', headers: ct });
    h.clock.now = new Date('2026-11-23T09:30:00Z');
    const { page, url, leadId } = await jobPage();
    const started = await h.app.inject({ method: 'POST', url: `/api/leads/${leadId}/dispatch`, headers: auth(await h.tokenFor('va')) });
    await page.goto(url);
    await page.getByText('Searching: we have asked the nearest contractors on shift').waitFor();
    await h.app.inject({ method: 'POST', url: `/api/me/offers/${started.json().dispatch.offers[0].id}/accept`, headers: ct });
    // The page polls while searching: the acceptance shows up without a reload.
    await page.getByText('Kwame M. is on the way').waitFor({ timeout: 10_000 });
    await page
      .getByText(/should be with you in about \d+ minutes/)
      .first()
      .waitFor();
  });
});

describe('enquiry form', () => {
  it('shows the instant quote link when one is made', async () => {
    const { page, errors } = await phonePage();
    await page.goto(`${h.url}/enquire`);
    await page.getByLabel('Your name').fill('Jo Bloggs');
    await page.getByLabel('Mobile number or email').fill('jo@example.com');
    await page.getByLabel('Postcode').fill('SW11 2BB');
    await page.getByLabel('What needs doing?').fill('My kitchen tap is leaking');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Get my quote' }).click();
    await page.getByText('we can price this straight away').waitFor();
    await page.getByRole('link', { name: 'See your quote and book' }).click();
    await page.getByRole('heading', { name: 'Your quote' }).waitFor();
    expect(errors).toEqual([]);
  });

  it('says what happens next when no instant quote is possible', async () => {
    const { page } = await phonePage();
    await page.goto(`${h.url}/enquire`);
    await page.getByLabel('Your name').fill('Dana Lee');
    await page.getByLabel('Mobile number or email').fill('07700900222');
    await page.getByLabel('Postcode').fill('W12 7RJ');
    await page.getByLabel('What needs doing?').fill('Damp patch in the loft, not sure what it is');
    await page.getByRole('button', { name: 'Get my quote' }).click();
    await page.getByText('One of our team will look at it').waitFor();
    expect(await q1('select phone, state from leads')).toEqual([{ phone: '07700900222', state: 'created' }]);
  });

  it('takes an optional video with the enquiry when no instant quote is possible', async () => {
    const file = path.join(tmpdir(), `handy-ui-enquiry-${process.pid}.mp4`);
    await testClip(file, { seconds: 1, size: '160x120', rate: 5 });
    const { page, errors } = await phonePage();
    await page.goto(`${h.url}/enquire`);
    await page.getByLabel('Your name').fill('Dana Lee');
    await page.getByLabel('Mobile number or email').fill('dana@example.com');
    await page.getByLabel('Postcode').fill('W12 7RJ');
    await page.getByLabel('What needs doing?').fill('Damp patch in the loft, not sure what it is');
    await page.getByLabel('A video of the job').setInputFiles({ name: 'loft.mp4', mimeType: 'video/mp4', buffer: await readFile(file) });
    await page.getByRole('button', { name: 'Get my quote' }).click();
    await page.getByText('We have your video too').waitFor();
    expect(await q1('select state from leads')).toEqual([{ state: 'video_received' }]);
    expect(errors).toEqual([]);
    await rm(file, { force: true });
  });
});
