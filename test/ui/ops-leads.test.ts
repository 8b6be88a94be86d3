import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { harnessWithBrowser, seriousA11yViolations, signedInPage } from '../helpers/browser.js';
import { auth, makeLead, type Harness } from '../helpers/harness.js';

let h: Harness;
let browser: Browser;
harnessWithBrowser((made) => ({ h, browser } = made));

// Browser flows of many steps: generous under a loaded machine (npm test runs files in parallel).
describe('ops console: leads, quotes and the estimator queue', { timeout: 120_000 }, () => {
  it('a VA signs in, finds a new lead, builds a quote with the server price shown live, and sends it', async () => {
    await makeLead(h, { customerName: 'Olive Older', source: 'web' });
    const lead = await makeLead(h, { customerName: 'Nora Newlead', source: 'whatsapp', customerType: 'commercial' });
    await h.tokenFor('va');
    const { rows } = await h.db.pool.query(`select email from users where role = 'va'`);
    const { page, errors } = await signedInPage(browser, h.url, null);
    await page.goto(`${h.url}/ops/leads`);
    await page.getByLabel('Email').fill(rows[0].email);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByLabel('Source').selectOption('whatsapp');
    await page.getByLabel('State').selectOption('created');
    await page.getByRole('link', { name: 'Nora Newlead' }).waitFor();
    expect(await page.getByRole('link', { name: 'Olive Older' }).count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Nora Newlead' }).click();
    await page.getByRole('heading', { name: /Nora Newlead/ }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Build a quote' }).click();
    await page.getByLabel('Line items 1: price-list item').selectOption('PLB-TAP-REPAIR');
    // 6500 for the tap, then +20 % for a commercial customer: the server's figure, not the browser's.
    await page.getByTestId('quote-total').filter({ hasText: '£78.00' }).waitFor();
    await page.getByLabel('Line items 1: quantity').fill('2');
    await page.getByTestId('quote-total').filter({ hasText: '£156.00' }).waitFor();
    await page.getByTestId('quote-deposit').filter({ hasText: '£31.20' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save quote v1' }).click();
    await page.getByText('Quote v1 saved: £156.00').waitFor();
    await page.getByRole('button', { name: 'Send to the customer' }).click();
    await page.getByText('Sent: the customer has the link.').waitFor();

    const saved = await h.db.pool.query(
      'select l.state, q.total_pence, q.sent_at from leads l join quotes q on q.lead_id = l.id where l.id = $1',
      [lead.id],
    );
    expect(saved.rows).toEqual([{ state: 'quote_sent', total_pence: 15600, sent_at: expect.any(Date) }]);

    // The lead's conversation shows the quote message, and a reply goes out from it.
    await page.goto(`${h.url}/ops/leads/${lead.id}`);
    const messages = page.getByRole('list', { name: 'Messages' });
    await messages
      .getByText(/^Out · /)
      .first()
      .waitFor();
    await page.getByLabel('Reply to the customer').fill('We can come on Tuesday morning.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await messages.getByText('We can come on Tuesday morning.').waitFor();
    const replies = await h.db.pool.query(
      `select template, payload->>'text' as text from outbox_messages where lead_id = $1 and template = 'staff_reply'`,
      [lead.id],
    );
    expect(replies.rows).toEqual([{ template: 'staff_reply', text: 'We can come on Tuesday morning.' }]);
    expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
  });

  it('an estimator claims a queued item and completes it with a three-tier quote', async () => {
    const lead = await makeLead(h, { customerName: 'Quentin Queue' });
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/leads/${lead.id}/estimator`,
      headers: auth(await h.tokenFor('va')),
      payload: { priority: 9, reason: 'odd job' },
    });
    expect(res.statusCode).toBe(201);
    const { page, errors } = await signedInPage(browser, h.url, await h.tokenFor('estimator'));
    await page.goto(`${h.url}/ops/estimator`);
    const row = page.getByRole('row', { name: /Quentin Queue/ });
    await row.getByRole('button', { name: 'Claim' }).click();
    await row.getByText('claimed by you').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await row.getByRole('link', { name: 'Complete with a quote' }).click();
    await page.getByLabel('Three tiers').check();
    await page.getByLabel('Line items 1: description').fill('Survey and repair');
    await page.getByLabel('Line items 1: price in pounds').fill('100');
    await page.getByLabel('High Standard multiplier').fill('2');
    await page.getByTestId('tier-high_standard').filter({ hasText: '£200.00' }).waitFor();
    await page.getByTestId('tier-hassle_free').filter({ hasText: '£130.00' }).waitFor();
    // An extra on one tier only: High Standard also replaces the trap (£20, added after the multiplier).
    await page.getByRole('button', { name: 'Add a High Standard extra' }).click();
    await page.getByLabel('High Standard extras 1: description').fill('New trap and waste kit');
    await page.getByLabel('High Standard extras 1: price in pounds').fill('20');
    await page.getByTestId('tier-high_standard').filter({ hasText: '£220.00' }).waitFor();
    await page.getByTestId('tier-hassle_free').filter({ hasText: '£130.00' }).waitFor();
    await page.getByRole('button', { name: 'Complete with this quote' }).click();
    await page.getByText(/Quote v1 saved/).waitFor();

    const item = await h.db.pool.query('select status from estimator_queue where lead_id = $1', [lead.id]);
    expect(item.rows).toEqual([{ status: 'completed' }]);
    const q = await h.db.pool.query('select style, created_by from quotes where lead_id = $1', [lead.id]);
    expect(q.rows).toEqual([{ style: 'hhh', created_by: 'estimator' }]);
    const tiers = await h.db.pool.query(
      `select t ->> 'key' as key, jsonb_array_length(t -> 'extraItems') as extras from quotes, jsonb_array_elements(tiers) t where lead_id = $1`,
      [lead.id],
    );
    expect(Object.fromEntries(tiers.rows.map((r) => [r.key, r.extras]))).toEqual({ handy_fix: 0, hassle_free: 0, high_standard: 1 });
    await page.goto(`${h.url}/ops/estimator`);
    await page.getByText('The queue is empty.').waitFor();
    expect(errors).toEqual([]);
  });
});
