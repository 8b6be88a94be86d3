import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { harnessWithBrowser, seriousA11yViolations, signedInPage } from '../helpers/browser.js';
import { auth, DAY, makeContractor, makeLead, type Harness } from '../helpers/harness.js';

let h: Harness;
let browser: Browser;
harnessWithBrowser((made) => ({ h, browser } = made));

const jobOf = async (leadId: string) =>
  (await h.db.pool.query('select job_id from leads where id = $1', [leadId])).rows[0].job_id as string;

// Browser flows of many steps: generous under a loaded machine (npm test runs files in parallel).
describe('ops console: contractors and the calendar', { timeout: 120_000 }, () => {
  it('an admin edits a contractor’s skills on the skill selection screen and sees the completion meter change', async () => {
    const id = await makeContractor(h, { name: 'Sid Skillless', skills: [] });
    const { page, errors } = await signedInPage(browser, h.url, await h.tokenFor('admin'));
    await page.goto(`${h.url}/ops/contractors`);
    await page.getByLabel('Profile score at least').selectOption('80');
    await page.getByRole('heading', { name: 'Contractors' }).waitFor();
    await page.getByText('0 found').waitFor();
    await page.getByLabel('Profile score at least').selectOption('');
    await page.getByRole('link', { name: 'Sid Skillless' }).click();
    await page.getByTestId('completion-score').filter({ hasText: '75%' }).waitFor();
    await page.getByText('Missing for 80%: at least one skill (+20)').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Edit skills' }).click();
    await page.getByText('0 of 66 tasks selected').waitFor();
    const taps = page.getByRole('group', { name: 'Fix leaking taps/faucets' });
    await taps.getByLabel('Expert').check();
    await taps.getByLabel('Years').fill('6');
    await page.getByRole('group', { name: 'Mount TVs' }).getByLabel('Capable').check();
    await page.getByText('2 of 66 tasks selected (1 expert)').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save 2 skills' }).click();
    await page.getByText('Skills saved.').waitFor();
    await page.getByTestId('completion-score').filter({ hasText: '95%' }).waitFor();
    await page.getByText('Matchable: at or above 80%.').waitFor();

    // The last 5 points: a certification, added on the profile page.
    await page.getByRole('link', { name: 'Back to the profile' }).click();
    await page.getByLabel('Number', { exact: true }).fill('GS-123456');
    await page.getByRole('button', { name: 'Add certification' }).click();
    await page.getByTestId('completion-score').filter({ hasText: '100%' }).waitFor();
    await page.getByText('Gas Safe GS-123456').waitFor();

    const skills = await h.db.pool.query(
      'select task_id, confidence, years_experience from contractor_skills where contractor_id = $1 order by task_id',
      [id],
    );
    expect(skills.rows).toEqual([
      { task_id: 'fix-leaking-taps-faucets', confidence: 'expert', years_experience: 6 },
      { task_id: 'mount-tvs', confidence: 'capable', years_experience: 1 },
    ]);
    expect(errors).toEqual([]);
  });

  it('staff book a named contractor from the calendar, and a slot taken meanwhile shows the API’s 409', async () => {
    const bea = await makeContractor(h, { name: 'Bea Booker' });
    await makeContractor(h, { name: 'Nils North', postcode: 'N1 9GU' });
    const first = await makeLead(h, { customerName: 'Fay First' });
    const second = await makeLead(h, { customerName: 'Sol Second' });
    const other = await makeLead(h, { customerName: 'Oli Other' });
    await h.app.inject({
      method: 'PUT',
      url: '/api/closures/2026-11-26',
      headers: auth(await h.tokenFor('admin')),
      payload: { reason: 'Staff training' },
    });

    const { page, errors } = await signedInPage(browser, h.url, await h.tokenFor('va'));
    await page.goto(`${h.url}/ops/calendar`);
    await page.getByLabel('Area').fill('SW11');
    await page.getByRole('link', { name: 'Bea Booker' }).waitFor();
    // The area filter applies as the field changes: Nils (in N1) goes once it has.
    await page.getByRole('link', { name: 'Nils North' }).waitFor({ state: 'detached' });
    await page.getByText('Closed').first().waitFor();
    await page.getByLabel('Job to book').selectOption(await jobOf(first.id));
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Book Bea Booker, Tue 24 Nov AM' }).click();
    const dialog = page.getByRole('dialog', { name: 'Book a contractor' });
    await dialog.getByText('Fay First').waitFor();
    await dialog.getByRole('button', { name: 'Book', exact: true }).click();
    await page.getByText('Booked Bea Booker on Tue 24 Nov AM (confirmed).').waitFor();
    await page.getByRole('link', { name: 'Bea Booker, Tue 24 Nov AM: Confirmed, SW11 2BB' }).waitFor();

    // Someone else books Bea's afternoon while this calendar still shows it free.
    const taken = await h.app.inject({
      method: 'POST',
      url: '/api/bookings',
      headers: auth(await h.tokenFor('admin')),
      payload: { jobId: await jobOf(other.id), contractorId: bea, date: DAY, slot: 'pm' },
    });
    expect(taken.statusCode, taken.body).toBe(201);
    await page.getByLabel('Job to book').selectOption(await jobOf(second.id));
    await page.getByRole('button', { name: 'Book Bea Booker, Tue 24 Nov PM' }).click();
    await dialog.getByRole('button', { name: 'Book', exact: true }).click();
    await dialog
      .getByRole('alert')
      .filter({ hasText: `Bea Booker is already booked on ${DAY} pm (booking ${taken.json().booking.id})` })
      .waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();

    const rows = await h.db.pool.query('select job_id, slot from bookings where contractor_id = $1 order by slot', [bea]);
    expect(rows.rows).toEqual([
      { job_id: await jobOf(first.id), slot: 'am' },
      { job_id: await jobOf(other.id), slot: 'pm' },
    ]);
    expect(errors.filter((e) => !e.includes('409'))).toEqual([]);
  });
});
