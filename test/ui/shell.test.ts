import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { harnessWithBrowser, PHONE, seriousA11yViolations, signedInPage } from '../helpers/browser.js';
import { makeContractor, type Harness } from '../helpers/harness.js';

let h: Harness;
let browser: Browser;
harnessWithBrowser((made) => ({ h, browser } = made));

describe('the front-end package', () => {
  it('signs a VA in to the ops console through the form', async () => {
    await h.tokenFor('va'); // creates the account
    const { rows } = await h.db.pool.query(`select email from users where role = 'va'`);
    const { page, errors } = await signedInPage(browser, h.url, null);
    await page.goto(`${h.url}/ops`);
    await page.getByLabel('Email').fill(rows[0].email);
    await page.getByLabel('Password').fill('wrong password here');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Ops console' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    // The failed sign-in's 401 is the only console error a browser reports.
    expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
  });

  it('keeps contractors out of the ops console and staff out of the contractor app', async () => {
    const contractorId = await makeContractor(h, {});
    const contractor = await signedInPage(browser, h.url, await h.tokenFor('contractor', contractorId), PHONE);
    await contractor.page.goto(`${h.url}/ops/leads`);
    await contractor.page.getByRole('heading', { name: 'Staff only' }).waitFor();
    const admin = await signedInPage(browser, h.url, await h.tokenFor('admin'));
    await admin.page.goto(`${h.url}/app`);
    await admin.page.getByRole('heading', { name: 'Contractors only' }).waitFor();
  });

  it('serves hashed assets as immutable and the app shell as never cached', async () => {
    const html = await fetch(`${h.url}/ops/anything/deep`);
    expect(html.status).toBe(200);
    expect(html.headers.get('cache-control')).toBe('no-store');
    const asset = (await html.text()).match(/\/assets\/[^"]+\.js/)![0];
    const js = await fetch(`${h.url}${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toContain('immutable');
  });
});
