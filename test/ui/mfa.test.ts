import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createUser } from '../../src/modules/auth/create-user.js';
import { harnessWithBrowser, PHONE, seriousA11yViolations, signedInPage } from '../helpers/browser.js';
import { totpCode, type Harness } from '../helpers/harness.js';

let h: Harness;
let browser: Browser;
harnessWithBrowser((made) => ({ h, browser } = made));

let EMAIL = '';
const PASSWORD = 'velvet harbour quietly 91';

const focused = (page: Page) => page.evaluate(() => ({ id: document.activeElement?.id ?? '', text: document.activeElement?.textContent ?? '' }));

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

describe('two-factor in the ops console', () => {
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
    expect(await page.getByRole('link', { name: 'open the key in your authenticator app' }).getAttribute('href')).toMatch(/^otpauth:\/\/totp\//);
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
});
