import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { harnessWithBrowser } from '../helpers/browser.js';
import { makeContractor, makeLead, type Harness } from '../helpers/harness.js';

// The smallest valid PNG: a receipt photo.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000a49444154789c6300010000050001' +
    '0d0a2db40000000049454e44ae426082',
  'hex',
);

let h: Harness;
let browser: Browser;
harnessWithBrowser((made) => ({ h, browser } = made));

describe('the customer quote page in a real browser', () => {
  it('shows the quote, re-prices a tier, holds a slot and books with a bank-transfer receipt', async () => {
    await makeContractor(h, { skills: [{ taskId: 'fix-leaking-taps-faucets', confidence: 'expert', yearsExperience: 6 }] });
    const lead = await makeLead(h, { description: 'my kitchen tap is leaking' });
    const path = new URL(lead.quoteUrl!).pathname;
    const page = await browser.newPage();
    const failures: string[] = [];
    page.on('pageerror', (e) => failures.push(e.message));
    await page.goto(`${h.url}${path}`);
    await page.getByRole('heading', { name: 'Your quote' }).waitFor();
    expect(await page.locator('#total').textContent()).toBe('£84.50'); // 6500 x 1.3, Hassle-Free preselected
    await page.getByText('High Standard').click();
    await page.waitForFunction(() => document.querySelector('#total')?.textContent === '£104.00');
    expect(await page.locator('#deposit').textContent()).toBe('£20.80');

    await page.getByRole('button', { name: 'Morning' }).first().click();
    await page.getByRole('status').filter({ hasText: 'Held for you' }).waitFor();
    await page.locator('input[name=receipt]').first().setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: PNG });
    await page.getByRole('button', { name: 'Send receipt and book' }).click();
    await page.getByRole('status').filter({ hasText: 'Booked for' }).waitFor();
    await page.screenshot({ path: '/tmp/handy-quote-page.png', fullPage: true });

    const { rows } = await h.db.pool.query(
      `select b.status, b.deposit_pence, p.status as payment from bookings b join payments p on p.booking_id = b.id`,
    );
    expect(rows).toEqual([{ status: 'pending_confirmation', deposit_pence: 2080, payment: 'pending_review' }]);
    expect(failures).toEqual([]);
  });

  it('tells the customer when a link has been replaced by a newer quote', async () => {
    const lead = await makeLead(h, { description: 'my kitchen tap is leaking' });
    const va = { authorization: `Bearer ${await h.tokenFor('va')}` };
    const v2 = await h.app.inject({
      method: 'POST',
      url: `/api/leads/${lead.id}/quotes`,
      headers: va,
      payload: { style: 'fixed', lineItems: [{ skuCode: 'PLB-TAP-REPAIR', quantity: 2 }] },
    });
    const page = await browser.newPage();
    // Still a draft: announced, not linked.
    await page.goto(`${h.url}${new URL(lead.quoteUrl!).pathname}`);
    await page.getByText('We are preparing a new version of this quote').waitFor();
    expect(await page.getByRole('link', { name: 'Open the latest version' }).count()).toBe(0);
    await h.app.inject({ method: 'POST', url: `/api/quotes/${v2.json().quote.id}/send`, headers: va });
    await page.reload();
    await page.getByText('A newer version of this quote exists').waitFor();
    expect(await page.getByRole('link', { name: 'Open the latest version' }).getAttribute('href')).toMatch(/\/q\//);
  });
});
