import type { Page } from 'playwright-core';
import { generate } from 'otplib';
import { createUser } from '../../src/modules/auth/create-user.js';
import type { ShotContext } from './context.js';

const PASSWORD = 'velvet harbour quietly 91';

/** Two-factor in the browser: a new admin's enrolment at first sign-in, then the code step. */
export default async function shots({ baseUrl, database, pageAs, shoot }: ShotContext) {
  const signIn = async (page: Page, email: string) => {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };
  const enrolUpToTheCode = async (device: 'phone' | 'laptop', email: string) => {
    await createUser(database.db, { email, name: 'New Admin', role: 'admin', password: PASSWORD });
    const page = await pageAs(null, device);
    await page.goto(`${baseUrl}/ops`);
    await signIn(page, email);
    await page.locator('.mfa-secret code').waitFor();
    return page;
  };

  const laptop = await enrolUpToTheCode('laptop', 'second.admin@handy.local');
  await shoot(laptop, 'mfa-enrol-laptop');

  const page = await enrolUpToTheCode('phone', 'new.admin@handy.local');
  await shoot(page, 'mfa-enrol');
  const secret = (await page.locator('.mfa-secret code').textContent())!.replace(/\s/g, '');
  await page.getByLabel('6-digit code').fill('000000');
  await page.getByRole('button', { name: 'Turn on two-factor' }).click();
  await page.getByRole('alert').waitFor();
  await shoot(page, 'mfa-enrol-wrong-code');
  await page.getByLabel('6-digit code').fill(await generate({ secret, epoch: Math.floor(Date.now() / 1000) }));
  await page.getByRole('button', { name: 'Turn on two-factor' }).click();
  await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
  await shoot(page, 'mfa-recovery-codes');
  await page.getByRole('button', { name: 'I have saved these' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, 'new.admin@handy.local');
  await page.getByRole('heading', { name: 'Two-factor check' }).waitFor();
  await shoot(page, 'mfa-code-step');
  await page.getByRole('button', { name: 'Use a recovery code' }).click();
  await page.getByLabel('Recovery code').fill('not-a-code');
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('alert').waitFor();
  await shoot(page, 'mfa-recovery-step');
}
