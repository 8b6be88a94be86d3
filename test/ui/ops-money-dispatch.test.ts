import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { harnessWithBrowser, seriousA11yViolations, signedInPage } from '../helpers/browser.js';
import { auth, makeContractor, makeJob, type Harness } from '../helpers/harness.js';
import { receiptedBooking } from '../helpers/ops-fixtures.js';

let h: Harness;
let browser: Browser;
harnessWithBrowser((made) => ({ h, browser } = made));

const LEAKS = [{ taskId: 'emergency-leak-repair', confidence: 'expert' as const, yearsExperience: 5 }];

// Browser flows of many steps: generous under a loaded machine (npm test runs files in parallel).
describe('ops console: payments, dispatch and roles', { timeout: 120_000 }, () => {
  it('a VA approves a bank-transfer receipt shown inline', async () => {
    const r = await receiptedBooking(h, 'Rita Receipt');
    const { page, errors } = await signedInPage(browser, h.url, await h.tokenFor('va'));
    await page.goto(`${h.url}/ops/payments`);
    const card = page.getByRole('article', { name: /Receipt for £16\.90/ });
    const img = card.getByRole('img', { name: /Bank-transfer receipt/ });
    await img.waitFor();
    await page.waitForFunction(() => [...document.images].some((i) => i.complete && i.naturalWidth > 0));
    expect(await seriousA11yViolations(page)).toEqual([]);
    await card.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('No receipts waiting.').waitFor();
    const row = await h.db.pool.query(
      'select p.status, b.status as booking from payments p join bookings b on b.id = p.booking_id where p.id = $1',
      [r.paymentId],
    );
    expect(row.rows).toEqual([{ status: 'succeeded', booking: 'confirmed' }]);

    await page.goto(`${h.url}/ops/bookings/${r.bookingId}`);
    await page.getByText(/manual £16\.90, succeeded/).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('the dispatch board shows an urgent job’s offers live, then the accept, without a reload', async () => {
    h.clock.now = new Date('2026-11-23T10:00:00Z');
    const ann = await makeContractor(h, { name: 'Ann Acceptor', reactiveMode: true, skills: LEAKS });
    const annToken = await h.tokenFor('contractor', ann);
    expect((await h.app.inject({ method: 'POST', url: '/api/me/clock-in', headers: auth(annToken) })).statusCode).toBe(200);
    const bob = await makeContractor(h, { name: 'Bob Busy', reactiveMode: true, skills: LEAKS, postcode: 'SW4 0AA' });
    const bobToken = await h.tokenFor('contractor', bob);
    expect((await h.app.inject({ method: 'POST', url: '/api/me/clock-in', headers: auth(bobToken) })).statusCode).toBe(200);

    const { page, errors } = await signedInPage(browser, h.url, await h.tokenFor('admin'));
    await page.goto(`${h.url}/ops/dispatch`);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await page.getByRole('link', { name: 'Ann Acceptor' }).waitFor(); // on shift
    await page.getByText('No urgent jobs right now.').waitFor();

    const job = await makeJob(h, { requirements: [{ taskId: 'emergency-leak-repair' }] });
    const started = await h.app.inject({ method: 'POST', url: `/api/jobs/${job.jobId}/dispatch`, headers: auth(await h.tokenFor('va')) });
    expect(started.statusCode, started.body).toBe(201);
    const [offer, bobOffer] = started.json().dispatch.offers;
    expect(bobOffer.contractorId).toBe(bob);

    const card = page.getByRole('article', { name: 'Urgent job 2026-11-23 am' });
    const annRow = card.getByRole('row', { name: /Ann Acceptor/ });
    await annRow.waitFor();
    // Two minutes on the server's clock, whatever this machine's clock says.
    await annRow.getByRole('cell', { name: /^(2:00|1:5\d)$/ }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);

    const declined = await h.app.inject({
      method: 'POST',
      url: `/api/me/offers/${bobOffer.id}/decline`,
      headers: auth(bobToken),
      payload: { reason: 'On another job' },
    });
    expect(declined.statusCode, declined.body).toBe(204);
    await card
      .getByRole('row', { name: /Bob Busy/ })
      .getByText('declined')
      .waitFor({ timeout: 10_000 });

    const accepted = await h.app.inject({ method: 'POST', url: `/api/me/offers/${offer.id}/accept`, headers: auth(annToken) });
    expect(accepted.statusCode, accepted.body).toBe(200);
    await card.getByText('Accepted by Ann Acceptor').waitFor({ timeout: 10_000 });
    await card.getByText('accepted', { exact: true }).waitFor();
    expect(errors).toEqual([]);
  });

  it('a booked lead is made urgent through its booking: the button re-dispatches, cancelling the booking', async () => {
    const r = await receiptedBooking(h, 'Ursula Urgent');
    const { page, errors } = await signedInPage(browser, h.url, await h.tokenFor('va'));
    await page.goto(`${h.url}/ops/leads/${r.leadId}`);
    const redispatch = page.getByRole('button', { name: 'Re-dispatch as urgent', exact: true });
    await redispatch.waitFor();
    // The lead's own dispatch would be refused (409 JOB_ALREADY_BOOKED), so it is not offered.
    expect(await page.getByRole('button', { name: 'Dispatch as urgent', exact: true }).count()).toBe(0);
    await redispatch.click();
    // The booking is gone, so the lead's own dispatch button takes the place of the re-dispatch one.
    await page.getByRole('heading', { name: /Ursula Urgent\s+dispatching/i }).waitFor();
    const booking = await h.db.pool.query('select status, cancellation_cause from bookings where id = $1', [r.bookingId]);
    expect(booking.rows).toEqual([{ status: 'cancelled', cancellation_cause: 'business' }]);
    const dispatches = await h.db.pool.query(
      'select count(*)::int as n from urgent_dispatches where job_id = (select job_id from bookings where id = $1)',
      [r.bookingId],
    );
    expect(dispatches.rows[0].n).toBe(1);
    expect(errors).toEqual([]);
  });

  it('a VA sees no admin screens and is turned away from them', async () => {
    const { page, errors } = await signedInPage(browser, h.url, await h.tokenFor('va'));
    await page.goto(`${h.url}/ops`);
    const nav = page.getByRole('navigation', { name: 'Ops console' });
    await nav.getByRole('link', { name: 'Payments' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Staff users' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Closures' }).count()).toBe(0);
    for (const path of ['/ops/users', '/ops/closures']) {
      await page.goto(`${h.url}${path}`);
      await page.getByRole('heading', { name: 'Admins only' }).waitFor();
    }
    // The API refuses too: the screen only mirrors it.
    const res = await h.app.inject({ url: '/api/users', headers: auth(await h.tokenFor('va')) });
    expect(res.statusCode).toBe(403);
    expect(errors).toEqual([]);
  });

  it('has no serious accessibility violations on the main screens', async () => {
    const { page, errors } = await signedInPage(browser, h.url, await h.tokenFor('admin'));
    const screens: [string, string][] = [
      ['/ops', 'Dashboard'],
      ['/ops/leads', 'Leads'],
      ['/ops/estimator', 'Estimator queue'],
      ['/ops/contractors', 'Contractors'],
      ['/ops/calendar', 'Calendar'],
      ['/ops/dispatch', 'Dispatch'],
      ['/ops/payments', 'Payments'],
      ['/ops/closures', 'Closures'],
      ['/ops/users', 'Staff users'],
    ];
    for (const [path, heading] of screens) {
      await page.goto(`${h.url}${path}`);
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      // The dispatch board keeps an event stream open, so "network idle" is bounded, not awaited.
      await page.waitForLoadState('networkidle', { timeout: 1500 }).catch(() => {});
      await page.getByRole('status').filter({ hasText: 'Loading' }).waitFor({ state: 'detached' });
      expect(await seriousA11yViolations(page), path).toEqual([]);
    }
    // Tablet width: the same screens stay usable (navigation scrolls, no violations).
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.goto(`${h.url}/ops/calendar`);
    await page.getByRole('heading', { name: 'Calendar', exact: true }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
