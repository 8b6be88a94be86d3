import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { harnessWithBrowser, PHONE, seriousA11yViolations, signedInPage } from '../helpers/browser.js';
import { auth, DAY, makeContractor, makeLead, type Harness } from '../helpers/harness.js';

let h: Harness;
let browser: Browser;
harnessWithBrowser((made) => ({ h, browser } = made));

// The smallest valid PNG.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000a49444154789c6300010000050001' +
    '0d0a2db40000000049454e44ae426082',
  'hex',
);

describe('contractor app: installable shell', () => {
  it('serves the manifest and a service worker scoped to /app that never caches API answers', async () => {
    const page = await fetch(`${h.url}/app/jobs`);
    const html = await page.text();
    expect(html).toContain('<link rel="manifest" href="/app/manifest.webmanifest"');
    const manifest = await fetch(`${h.url}/app/manifest.webmanifest`);
    expect(manifest.status).toBe(200);
    expect(await manifest.json()).toMatchObject({ start_url: '/app', scope: '/app', display: 'standalone' });
    const sw = await fetch(`${h.url}/app/sw.js`);
    expect(sw.status).toBe(200);
    expect(sw.headers.get('content-type')).toContain('javascript');
    expect(sw.headers.get('service-worker-allowed')).toBe('/app');
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    const source = await sw.text();
    const shell = JSON.parse(source.match(/const SHELL = (\[.*\]);/)![1]!) as string[];
    expect(shell).toContain('/app');
    expect(shell.some((f) => f.startsWith('/assets/') && f.endsWith('.js'))).toBe(true);
    expect(shell.some((f) => f.startsWith('/api/'))).toBe(false);
    expect(source).toContain("if (url.pathname.startsWith('/api/')) return;");
  });

  it('reloads offline into the shell with a clear offline state, and caches no API answer', { timeout: 120_000 }, async () => {
    const id = await makeContractor(h, { name: 'Olly Offline' });
    const { page, errors } = await signedInPage(browser, h.url, await h.tokenFor('contractor', id), PHONE);
    await page.goto(`${h.url}/app`);
    await page.getByRole('heading', { name: 'Hello Olly' }).waitFor();
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    // The worker takes control of the page (clients.claim) once active.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const cached = await page.evaluate(async () => {
      const out: string[] = [];
      for (const name of await caches.keys()) for (const req of await (await caches.open(name)).keys()) out.push(new URL(req.url).pathname);
      return out;
    });
    expect(cached).toContain('/app');
    expect(cached.filter((p) => p.startsWith('/api/'))).toEqual([]);

    await page.context().setOffline(true);
    await page.reload();
    await page.getByRole('heading', { name: 'Offline' }).waitFor();
    expect(await page.getByText('You are offline.').isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'Handy' }).isVisible()).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await page.getByRole('button', { name: 'Try again' }).isVisible()).toBe(true);
    // Back online, the app picks itself up.
    await page.context().setOffline(false);
    await page.getByRole('heading', { name: 'Hello Olly' }).waitFor();
    // Failed fetches while offline are the only console errors.
    expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|Failed to load resource/.test(e))).toEqual([]);
  });

  it('signs in with a one-time code on a phone', { timeout: 120_000 }, async () => {
    const id = await makeContractor(h, { name: 'Cody Code', phone: '07700 900321' });
    await h.tokenFor('contractor', id);
    const { page, errors } = await signedInPage(browser, h.url, null, PHONE);
    await page.goto(`${h.url}/app`);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByLabel('Send it by').selectOption('whatsapp');
    await page.getByLabel('Mobile number').fill('+44 7700 900321');
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.getByLabel('6-digit code').waitFor();
    const { rows } = await h.db.pool.query(
      `select payload->>'code' as code, channel from outbox_messages where template = 'login_code' and recipient = '+447700900321'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].channel).toBe('whatsapp');
    await page.getByLabel('6-digit code').fill(rows[0].code);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Hello Cody' }).waitFor();
    // Asking who is signed in before signing in is the only console error.
    expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
  });

  it('runs a job: confirm, start, photo, complete with notes; history shows it with the rating', { timeout: 120_000 }, async () => {
    const id = await makeContractor(h, { name: 'Jay Jobs' });
    const lead = await makeLead(h, { customerName: 'Jo Bloggs', phone: '07700900111', address: '12 Acacia Road' });
    const jobId = (await h.db.pool.query('select job_id from leads where id = $1', [lead.id])).rows[0].job_id;
    const admin = auth(await h.tokenFor('admin'));
    const booked = await h.app.inject({
      method: 'POST',
      url: '/api/bookings',
      headers: admin,
      payload: { jobId, contractorId: id, date: DAY, slot: 'am', status: 'pending_confirmation' },
    });
    const bookingId = booked.json().booking.id as string;
    const { page, errors } = await signedInPage(browser, h.url, await h.tokenFor('contractor', id), PHONE);
    await page.goto(`${h.url}/app/jobs`);
    const card = page.locator('article.job');
    await card.getByText('SW11 area (full address once confirmed)').waitFor();
    expect(await card.getByText('Jo Bloggs').count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await card.getByRole('button', { name: 'Confirm booking' }).click();
    await card.getByText('12 Acacia Road, SW11 2BB').waitFor();
    expect(await card.getByRole('link', { name: '07700900111' }).getAttribute('href')).toBe('tel:07700900111');
    // The slot is tomorrow's; the injectable clock lets it start now.
    await card.getByRole('button', { name: 'Start job' }).click();
    await card.getByText('In progress').waitFor();
    await card.getByRole('button', { name: 'Complete job…' }).click();
    await card.getByLabel('Notes for the office and customer').fill('Replaced the washer; tap dry.');
    await card.getByLabel('Photos of the finished work').setInputFiles({ name: 'after.png', mimeType: 'image/png', buffer: PNG });
    await card.getByText('1 added').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await card.getByRole('button', { name: 'Mark job complete' }).click();
    await page.getByText('Nothing booked yet.').waitFor();
    await h.app.inject({ method: 'POST', url: `/api/bookings/${bookingId}/rating`, headers: admin, payload: { rating: 4 } });

    await page.getByRole('link', { name: 'History' }).click();
    await page.getByLabel('Rated 4 out of 5').waitFor();
    expect(await page.getByText('Replaced the washer; tap dry.').isVisible()).toBe(true);
    expect(await page.getByText('1 photo').isVisible()).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Shift' }).click();
    await page.getByRole('button', { name: 'Clock in' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    const [b] = (await h.db.pool.query('select status from bookings where id = $1', [bookingId])).rows;
    expect(b.status).toBe('completed');
    expect(errors).toEqual([]);
  });
});
