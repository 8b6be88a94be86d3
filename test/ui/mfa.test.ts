import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createUser } from '../../src/modules/auth/create-user.js';
import { harnessWithBrowser, PHONE, seriousA11yViolations, signedInPage } from '../helpers/browser.js';
import { enrolTotp, type Harness, makeContractor, totpCode } from '../helpers/harness.js';

let h: Harness;
let browser: Browser;
harnessWithBrowser((made) => ({ h, browser } = made));

let EMAIL = '';
const PASSWORD = 'velvet harbour quietly 91';

const focused = (page: Page) =>
  page.evaluate(() => ({ id: document.activeElement?.id ?? '', text: document.activeElement?.textContent ?? '' }));

async function passwordStep(page: Page) {
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Password').waitFor();
}
const dashboard = (page: Page) => page.getByRole('heading', { name: 'Dashboard' }).waitFor();

describe('two-factor in the screens', () => {
  it('walks a new admin through enrolment at first sign-in, then asks for an app code or a recovery code (once) each time', async () => {
    EMAIL = `fresh.admin.${Date.now()}@test.local`;
    await createUser(h.db.db, { email: EMAIL, name: 'Fresh Admin', role: 'admin', password: PASSWORD });
    const { page, errors } = await signedInPage(browser, h.url, null, PHONE);
    page.setDefaultTimeout(10_000);
    await page.goto(`${h.url}/ops`);
    await passwordStep(page);

    // Enrolment: the key on screen, a wrong first code refused, then the right one.
    await page.getByRole('heading', { name: 'Turn on two-factor sign-in' }).waitFor();
    const key = page.locator('.mfa-secret code');
    await key.waitFor();
    expect((await focused(page)).text).toBe('Turn on two-factor sign-in');
    const secret = (await key.textContent())!.replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await page.getByRole('img', { name: 'QR code of your setup key' }).waitFor();
    expect(await page.getByRole('link', { name: 'open the key in your authenticator app' }).getAttribute('href')).toMatch(
      /^otpauth:\/\/totp\//,
    );
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByLabel('6-digit code').fill('000000');
    await page.getByRole('button', { name: 'Turn on two-factor' }).click();
    await page.getByRole('alert').filter({ hasText: 'That code is not right' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByLabel('6-digit code').fill(await totpCode(secret, h.clock.now));
    await page.getByRole('button', { name: 'Turn on two-factor' }).click();

    // The recovery codes, once; the console only after they are acknowledged.
    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    expect((await focused(page)).text).toBe('Save your recovery codes');
    const recoveryCodes = await page.getByRole('list', { name: 'Recovery codes' }).locator('code').allTextContents();
    expect(recoveryCodes).toHaveLength(10);
    expect(await seriousA11yViolations(page)).toEqual([]);
    // Kept by copying (for a password manager) or as a text file.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.url });
    await page.getByRole('button', { name: 'Copy the codes' }).click();
    await page.getByRole('status').filter({ hasText: 'Copied the codes.' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(recoveryCodes.join('\n'));
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download as a text file' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('handy-recovery-codes.txt');
    const saved = await readFile((await download.path())!, 'utf8');
    expect(saved.trim().split('\n').slice(1)).toEqual(recoveryCodes);
    await page.getByRole('button', { name: 'I have saved these' }).click();
    await dashboard(page);
    await page.getByRole('navigation', { name: 'Ops console' }).getByRole('link', { name: 'Staff users' }).waitFor();

    // Next time: password, then the app's code (a later one: a code is good once).
    await signOut(page);
    h.clock.advance(60);
    await passwordStep(page);
    await page.getByRole('heading', { name: 'Two-factor check' }).waitFor();
    expect((await focused(page)).id).toBe('mfa-code');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByLabel('6-digit code').fill('123456');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('alert').filter({ hasText: 'That code is not right' }).waitFor();
    expect((await focused(page)).id).toBe('mfa-code');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByLabel('6-digit code').fill(await totpCode(secret, h.clock.now));
    await page.getByRole('button', { name: 'Verify' }).click();
    await dashboard(page);

    // A recovery code instead of the app: it works once.
    await signOut(page);
    await passwordStep(page);
    await page.getByRole('button', { name: 'Use a recovery code' }).click();
    expect((await focused(page)).id).toBe('mfa-recovery-code');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByLabel('Recovery code').fill(recoveryCodes[0]!);
    await page.getByRole('button', { name: 'Verify' }).click();
    await dashboard(page);
    await signOut(page);
    await passwordStep(page);
    await page.getByRole('button', { name: 'Use a recovery code' }).click();
    await page.getByLabel('Recovery code').fill(recoveryCodes[0]!);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('alert').filter({ hasText: 'That code is not right' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Dashboard' }).count()).toBe(0);

    // The wrong codes' 401/422 answers are the only console errors a browser reports.
    expect(errors.filter((e) => !/40[13]|422/.test(e))).toEqual([]);
  }, 120_000);

  it('asks a contractor with two-factor for the app code after the one-time code, in the contractor app', async () => {
    const contractorId = await makeContractor(h);
    await h.tokenFor('contractor', contractorId);
    const { id, email } = (await h.db.pool.query('select id, email from users where contractor_id = $1', [contractorId])).rows[0] as {
      id: string;
      email: string;
    };
    const secret = await enrolTotp(h.db, id);
    const sessions = async () => (await h.db.pool.query('select 1 from user_sessions where user_id = $1', [id])).rowCount;
    const before = await sessions();
    const { page } = await signedInPage(browser, h.url, null, PHONE);
    page.setDefaultTimeout(10_000);
    await page.goto(`${h.url}/app`);
    await page.getByLabel('Send it by').selectOption('email');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.getByLabel('6-digit code').waitFor();
    const { rows } = await h.db.pool.query(
      `select payload->>'code' as code from outbox_messages where template = 'login_code' and recipient = $1 order by created_at desc limit 1`,
      [email.toLowerCase()],
    );
    await page.getByLabel('6-digit code').fill(rows[0].code);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();

    await page.getByRole('heading', { name: 'Two-factor check' }).waitFor();
    expect((await focused(page)).id).toBe('mfa-code');
    expect(await sessions()).toBe(before);
    expect(await seriousA11yViolations(page)).toEqual([]);
    h.clock.advance(30);
    await page.getByLabel('6-digit code').fill(await totpCode(secret, h.clock.now));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('navigation', { name: 'Contractor app' }).waitFor();
  }, 60_000);
});
