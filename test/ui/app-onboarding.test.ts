import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createContractor } from '../../src/modules/contractors/save-contractor.js';
import { harnessWithBrowser, PHONE, seriousA11yViolations, signedInPage } from '../helpers/browser.js';
import { auth, DAY, makeJob, type Harness } from '../helpers/harness.js';

let h: Harness;
let browser: Browser;
harnessWithBrowser((made) => ({ h, browser } = made));

const slotCount = async (token: string) => {
  const res = await h.app.inject(`/api/customer/jobs/${token}/availability?from=${DAY}&to=${DAY}`);
  return res.json().days[0].slots.find((s: { slot: string }) => s.slot === 'am').contractorCount as number;
};
const score = async (id: string) =>
  (await h.db.pool.query('select profile_completion_score as s from contractors where id = $1', [id])).rows[0].s as number;

describe('contractor app: onboarding', () => {
  it("takes a new contractor to 80 % and makes them count in a job's availability", { timeout: 120_000 }, async () => {
    const id = await createContractor(h.db.db, { name: 'Nia Newcomer' });
    const job = await makeJob(h, { postcode: 'SW11 2BB', requirements: [{ taskId: 'general-odd-jobs' }] });
    expect(await slotCount(job.token)).toBe(0);

    const { page, errors } = await signedInPage(browser, h.url, await h.tokenFor('contractor', id), PHONE);
    await page.goto(`${h.url}/app/profile`);
    await page.getByRole('heading', { name: 'Profile 10% complete' }).waitFor();
    const needed = page.getByRole('list', { name: 'Needed to reach 80%' });
    await expect
      .poll(() => needed.getByRole('listitem').allTextContents())
      .toEqual(['At least one skill +20%', 'Phone number +15%', 'Home postcode +15%', 'Weekly schedule +15%', 'Email address +10%']);
    expect(await page.getByText('Below 80% you get no work.').isVisible()).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByLabel('Mobile phone').fill('07700 900555');
    await page.getByLabel('Email').fill('nia@example.com');
    await page.getByLabel('Home postcode').fill('SW11 1AA');
    await page.getByLabel('Travel radius').fill('8');
    await page.getByLabel('About you').fill('Ten years of odd jobs around Battersea.');
    await page.getByRole('button', { name: 'Save details' }).click();
    await page.getByRole('heading', { name: 'Profile 60% complete' }).waitFor();

    await page.getByRole('link', { name: 'At least one skill' }).click();
    await page.getByRole('heading', { name: 'Your skills' }).waitFor();
    await page.getByRole('button', { name: /^General/ }).click();
    const task = page.getByRole('group', { name: 'General odd jobs' });
    await task.getByRole('button', { name: 'Expert' }).click();
    await page.getByLabel('Years doing General odd jobs').fill('10');
    await page.getByRole('button', { name: 'Save 1 skill' }).click();
    await page.getByText('Skills saved.').waitFor();
    expect(await score(id)).toBe(80);
    // 80 % is not enough without a schedule covering the slot: nobody counts yet.
    expect(await slotCount(job.token)).toBe(0);

    await page.goto(`${h.url}/app/availability`);
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) await page.getByRole('checkbox', { name: day }).check();
    await page.getByRole('button', { name: 'Save usual week' }).click();
    await page.getByText('Weekly schedule saved.').waitFor();
    expect(await score(id)).toBe(95);
    expect(await slotCount(job.token)).toBe(1);

    await page.goto(`${h.url}/app/profile`);
    await page.getByRole('heading', { name: 'Profile 95% complete' }).waitFor();
    expect(await page.getByText('Getting work').isVisible()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('saves the whole skill set in one call, shows completed counts, and certifications with expiry', { timeout: 120_000 }, async () => {
    const id = await createContractor(h.db.db, {
      name: 'Sam Skilled',
      phone: '07700900556',
      email: 'sam@example.com',
      postcode: 'SW11 1AA',
      bio: 'Plumber.',
      skills: [{ taskId: 'fix-leaking-taps-faucets', confidence: 'capable', yearsExperience: 2 }],
    });
    await h.db.pool.query(`update contractor_skills set completed_count = 7 where contractor_id = $1`, [id]);
    const { page, errors } = await signedInPage(browser, h.url, await h.tokenFor('contractor', id), PHONE);
    const puts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'PUT' && r.url().endsWith('/api/me/skills')) puts.push(r.postData() ?? '');
    });
    await page.goto(`${h.url}/app/skills`);
    await page.getByText('1 of 66 tasks selected').waitFor();
    // Plumbing is open because a skill in it is chosen; the count is shown, not editable.
    const taps = page.getByRole('listitem').filter({ hasText: 'Fix leaking taps/faucets' });
    await taps.getByText('done 7 times').waitFor();
    expect(await taps.getByRole('textbox').count()).toBe(0);
    await taps.getByRole('button', { name: 'Expert' }).click();
    await page.getByRole('group', { name: 'Unblock sink/toilet' }).getByRole('button', { name: 'Capable' }).click();
    await page.getByRole('button', { name: /^Electrical/ }).click();
    await page.getByRole('group', { name: 'Replace light switches' }).getByRole('button', { name: 'Capable' }).click();
    expect(await page.getByText('3 of 66 tasks selected (1 expert)').isVisible()).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save 3 skills' }).click();
    await page.getByText('Skills saved.').waitFor();
    expect(puts).toHaveLength(1);
    const saved = (
      await h.db.pool.query(
        'select task_id, confidence, completed_count from contractor_skills where contractor_id = $1 order by task_id',
        [id],
      )
    ).rows;
    expect(saved).toEqual([
      { task_id: 'fix-leaking-taps-faucets', confidence: 'expert', completed_count: 7 },
      { task_id: 'replace-light-switches', confidence: 'capable', completed_count: 0 },
      { task_id: 'unblock-sink-toilet', confidence: 'capable', completed_count: 0 },
    ]);

    await page.goto(`${h.url}/app/profile`);
    await page.getByRole('button', { name: 'Add a certification' }).click();
    await page.getByLabel('Type').selectOption('gas_safe');
    await page.getByLabel('Registration number').fill('GS-123456');
    await page.getByLabel('Expires on').fill('2027-06-30');
    await page.getByRole('button', { name: 'Save certifications' }).click();
    await page.getByText('Certifications saved.').waitFor();
    const certs = (await h.db.pool.query('select type, number, expires_on from contractor_certifications where contractor_id = $1', [id]))
      .rows;
    expect(certs).toEqual([{ type: 'gas_safe', number: 'GS-123456', expires_on: '2027-06-30' }]);

    // A day off on the calendar is a date override.
    await page.goto(`${h.url}/app/availability`);
    await page.getByRole('button', { name: 'Next month' }).click();
    const title = await page.locator('#cal-title').textContent();
    await page.locator('.cal-day').nth(9).click();
    await page.getByRole('radio', { name: 'Day off' }).check();
    await page.getByRole('button', { name: 'Save day' }).click();
    await page.locator('.cal-day.cal-override').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    const overrides = (await h.db.pool.query('select date, is_available from contractor_availability_dates where contractor_id = $1', [id]))
      .rows;
    expect(overrides).toHaveLength(1);
    expect(overrides[0].is_available).toBe(false);
    expect(overrides[0].date.endsWith('-10')).toBe(true);
    expect(title).toMatch(/\d{4}$/);
    expect(
      (await h.app.inject({ url: '/api/me', headers: auth(await h.tokenFor('contractor', id)) })).json().contractor.dateOverrides,
    ).toHaveLength(1);
    expect(errors).toEqual([]);
  });
});
