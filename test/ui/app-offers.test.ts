import { beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { harnessWithBrowser, PHONE, seriousA11yViolations, signedInPage } from '../helpers/browser.js';
import { auth, makeContractor, makeJob, type Harness } from '../helpers/harness.js';

let h: Harness;
let browser: Browser;
// One targeted offer per dispatch, so a decline opens the broadcast to everyone on shift.
harnessWithBrowser((made) => ({ h, browser } = made), { env: { TARGETED_OFFERS: '1' } });
beforeEach(async () => {
  await h.reset();
  // Monday 10:00 London: the morning slot is under way.
  h.clock.now = new Date('2026-11-23T10:00:00Z');
});

const LEAKS = [{ taskId: 'emergency-leak-repair', confidence: 'expert' as const, yearsExperience: 5 }];

async function contractorPhone(name: string, postcode = 'SW11 1AA') {
  const id = await makeContractor(h, { name, postcode, reactiveMode: true, skills: LEAKS });
  const token = await h.tokenFor('contractor', id);
  const { page, errors } = await signedInPage(browser, h.url, token, PHONE);
  return { id, token, page, errors };
}

/** Clocks in through the big button and opens the live queue. */
async function clockInAndWatch(page: Page) {
  await page.goto(`${h.url}/app`);
  await page.getByRole('button', { name: 'Clock in' }).click();
  await page.getByRole('button', { name: 'Clock out' }).waitFor();
  await page.getByRole('link', { name: /^Offers/ }).click();
  await page.getByText('Live', { exact: true }).waitFor();
}

async function dispatch(postcode = 'SW4 0AA') {
  const job = await makeJob(h, { postcode, requirements: [{ taskId: 'emergency-leak-repair' }] });
  const res = await h.app.inject({ method: 'POST', url: `/api/jobs/${job.jobId}/dispatch`, headers: auth(await h.tokenFor('va')) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().dispatch as { id: string; offers: { id: string; contractorId: string }[] };
}

describe('contractor app: offers', () => {
  it('delivers a targeted offer live within a second of dispatch; accepting it shows the job', { timeout: 120_000 }, async () => {
    const { page, errors } = await contractorPhone('Ana Available');
    await clockInAndWatch(page);
    expect(await page.getByRole('heading', { name: 'No offers right now' }).isVisible()).toBe(true);

    const d = await dispatch();
    // Pushed over SSE, no reload: the card appears by itself (latency is measured in npm run bench, not here).
    const card = page.locator('article.offer');
    await card.waitFor({ timeout: 5000 });
    await card.getByText('Targeted').waitFor();
    expect(await card.getByText('Urgent').isVisible()).toBe(true);
    expect(await card.getByText('Expert in Emergency leak repair').isVisible()).toBe(true);
    expect(await card.getByText('SW4, 1.3 miles away').isVisible()).toBe(true);
    expect(await card.getByLabel(/^Match score \d+ out of 100$/).isVisible()).toBe(true);
    expect(await card.getByRole('timer').textContent()).toMatch(/^Expires in (2:00|1:5\d)$/);
    expect(await page.getByRole('navigation', { name: 'Contractor app' }).getByText('1', { exact: true }).isVisible()).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await card.getByRole('button', { name: 'Accept job' }).click();
    await page.waitForURL(/\/app\/jobs\?booking=/);
    await page.getByText('The job is yours').waitFor();
    const job = page.locator('article.job');
    await job.getByRole('heading', { name: 'Emergency leak repair' }).waitFor();
    expect(await job.getByText('Confirmed').isVisible()).toBe(true);
    const [booking] = (await h.db.pool.query('select contractor_id, status from bookings')).rows;
    expect(booking).toEqual({ contractor_id: d.offers[0]!.contractorId, status: 'confirmed' });
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('two phones accept the same broadcast: one gets the job, the other sees it was taken', { timeout: 120_000 }, async () => {
    const first = await contractorPhone('Targeted Tom', 'SW11 1AA');
    await h.app.inject({ method: 'POST', url: '/api/me/clock-in', headers: auth(first.token) });
    const b = await contractorPhone('Bea Broadcast', 'SW8 1AA');
    const c = await contractorPhone('Cal Broadcast', 'SW8 1AA');
    await clockInAndWatch(b.page);
    await clockInAndWatch(c.page);
    const d = await dispatch('SW11 2BB');
    expect(d.offers.map((o) => o.contractorId)).toEqual([first.id]);
    // Tom declines: the broadcast opens to Bea and Cal.
    expect(
      (
        await h.app.inject({
          method: 'POST',
          url: `/api/me/offers/${d.offers[0]!.id}/decline`,
          headers: auth(first.token),
          payload: { reason: 'Busy' },
        })
      ).statusCode,
    ).toBe(204);
    for (const p of [b.page, c.page]) await p.locator('article.offer').getByText('Broadcast').waitFor({ timeout: 2000 });

    await Promise.all([b.page, c.page].map((p) => p.locator('article.offer').getByRole('button', { name: 'Accept job' }).click()));
    const outcome = async (p: Page) =>
      Promise.race([
        p.waitForURL(/\/app\/jobs\?booking=/, { timeout: 10_000 }).then(() => 'won' as const),
        p
          .getByText('Taken: another contractor accepted this job first.')
          .waitFor({ timeout: 10_000 })
          .then(() => 'lost' as const),
      ]);
    const results = await Promise.all([outcome(b.page), outcome(c.page)]);
    expect([...results].sort()).toEqual(['lost', 'won']);
    const loser = results[0] === 'lost' ? b : c;
    const winner = loser === b ? c : b;
    // The loser keeps their screen: still on the queue, no buttons on the closed offer, no job.
    expect(loser.page.url()).toMatch(/\/app\/offers$/);
    expect(await loser.page.locator('article.offer-closed').getByRole('button', { name: 'Accept job' }).count()).toBe(0);
    const bookings = (await h.db.pool.query('select contractor_id from bookings')).rows;
    expect(bookings).toEqual([{ contractor_id: winner.id }]);
    expect(await seriousA11yViolations(loser.page)).toEqual([]);
    await loser.page.getByRole('button', { name: 'Dismiss' }).click();
    await loser.page.getByRole('heading', { name: 'No offers right now' }).waitFor();
    // A 409 from the losing accept is the only console noise allowed.
    expect(loser.errors.filter((e) => !e.includes('409'))).toEqual([]);
    expect(winner.errors).toEqual([]);
  });

  it('a declined offer leaves the queue, and its link says so', { timeout: 120_000 }, async () => {
    const e = await contractorPhone('Dee Decliner');
    await clockInAndWatch(e.page);
    const d = await dispatch();
    const card = e.page.locator('article.offer');
    await card.waitFor({ timeout: 2000 });
    await card.getByRole('button', { name: 'Decline' }).click();
    await card.getByLabel('Why are you declining?').selectOption('Too far away');
    expect(await seriousA11yViolations(e.page)).toEqual([]);
    await card.getByRole('button', { name: 'Decline offer' }).click();
    await e.page.locator('article.offer').filter({ hasText: 'Targeted' }).waitFor({ state: 'detached' });
    const [offer] = (await h.db.pool.query('select status, decline_reason from offers where id = $1', [d.offers[0]!.id])).rows;
    expect(offer).toEqual({ status: 'declined', decline_reason: 'Too far away' });
    // Her decline was the last targeted one, so the broadcast opens to every eligible on-shift
    // contractor (SPEC), Dee included; she declines that too and her queue is empty.
    const broadcast = e.page.locator('article.offer').filter({ hasText: 'Broadcast' });
    await broadcast.getByRole('button', { name: 'Decline' }).click();
    await broadcast.getByLabel('Why are you declining?').selectOption('Too far away');
    await broadcast.getByRole('button', { name: 'Decline offer' }).click();
    await e.page.getByRole('heading', { name: 'No offers right now' }).waitFor();
    expect(await e.page.locator('article.offer').count()).toBe(0);
    // Re-reading the queue does not bring it back.
    await e.page.reload();
    await e.page.getByRole('heading', { name: 'No offers right now' }).waitFor();
    await e.page.goto(`${h.url}/app/offers/${d.offers[0]!.id}`);
    await e.page.getByText('You declined this offer.').waitFor();
    expect(e.errors).toEqual([]);
  });

  it('an offer link lands on that open offer', { timeout: 120_000 }, async () => {
    const f = await contractorPhone('Fay Linked');
    await h.app.inject({ method: 'POST', url: '/api/me/clock-in', headers: auth(f.token) });
    const d = await dispatch();
    await f.page.goto(`${h.url}/app/offers/${d.offers[0]!.id}`);
    const card = f.page.locator('article.offer');
    await card.getByRole('button', { name: 'Accept job' }).waitFor();
    expect(await card.getByText('Expert in Emergency leak repair').isVisible()).toBe(true);
    expect(f.errors).toEqual([]);
  });
});
