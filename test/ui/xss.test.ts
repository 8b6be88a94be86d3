import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { harnessWithBrowser } from '../helpers/browser.js';
import { auth, makeContractor, makeLead, type Harness } from '../helpers/harness.js';

// Each payload bumps window.__xss (or opens a dialog) if it ever runs.
const PAYLOADS = [
  '<img src=x onerror="window.__xss=(window.__xss||0)+1">',
  '<script>window.__xss=(window.__xss||0)+1</script>',
  '"><svg onload="window.__xss=(window.__xss||0)+1">',
  '\'><iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
  '<a href="javascript:window.__xss=1">click</a><style>*{display:none}</style>',
  '{{constructor.constructor("window.__xss=1")()}}',
];

let h: Harness;
let browser: Browser;
harnessWithBrowser((made) => ({ h, browser } = made));

async function watch(page: Page) {
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(() => {
    (window as unknown as { __violations: string[] }).__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { __violations: string[] }).__violations.push(e.violatedDirective),
    );
  });
  return { dialogs, errors };
}

/** A quote whose every free-text field (line items, optional extras, tier extras) carries a payload. */
async function hostileQuote(style: 'fixed_optionals' | 'hhh') {
  const lead = await makeLead(h, { description: 'my kitchen tap is leaking' });
  const items = PAYLOADS.map((description, i) => ({ description, pricePence: 1000 + i, quantity: 1 }));
  const res = await h.app.inject({
    method: 'POST',
    url: `/api/leads/${lead.id}/quotes`,
    headers: auth(await h.tokenFor('estimator')),
    payload:
      style === 'hhh'
        ? { style, lineItems: items, tiers: [{ key: 'high_standard', extraItems: items }] }
        : { style, lineItems: items, optionalItems: items },
  });
  expect(res.statusCode, res.body).toBe(201);
  return new URL(res.json().quote.url).pathname;
}

describe('the quote page shows hostile text as text, and nothing in it runs', () => {
  for (const style of ['fixed_optionals', 'hhh'] as const) {
    it(`${style}: every payload appears literally; no script, handler or dialog ran`, async () => {
      await makeContractor(h, { skills: [{ taskId: 'fix-leaking-taps-faucets', confidence: 'expert', yearsExperience: 6 }] });
      const path = await hostileQuote(style);
      const page = await browser.newPage();
      const seen = await watch(page);
      await page.goto(`${h.url}${path}`);
      await page.getByRole('heading', { name: 'Your quote' }).waitFor();
      await page.getByRole('button', { name: 'Morning' }).first().waitFor();
      const text = await page.locator('#root').innerText();
      for (const p of PAYLOADS) expect(text).toContain(p);
      // No element came from the payloads.
      expect(await page.locator('#root img, #root svg, #root iframe, #root script, #root style, #root a[href^="javascript"]').count()).toBe(
        0,
      );
      if (style === 'fixed_optionals') {
        // A controlled box: ticked once the server has re-priced the choice.
        await page.locator('input[name=option]').first().click();
        await page.waitForFunction(() => (document.querySelector('input[name=option]') as HTMLInputElement | null)?.checked === true);
        await page.waitForFunction(() => document.querySelector('#total')?.textContent !== '');
      }
      await page.waitForTimeout(300);
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
      expect(seen.dialogs).toEqual([]);
      expect(seen.errors).toEqual([]);
      await page.close();
    });
  }

  it('and the CSP would stop injected markup from running even if a page slipped', async () => {
    const page = await browser.newPage();
    await watch(page);
    await page.goto(`${h.url}/v/some-video-token-value`);
    await page.locator('h1').waitFor();
    await page.evaluate(() => {
      document.body.insertAdjacentHTML('beforeend', '<img src="data:," onerror="window.__xss=1"><div id="x"></div>');
      const s = document.createElement('script');
      s.textContent = 'window.__xss = 2';
      document.body.append(s);
    });
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    const violations = await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
    expect(violations.some((v) => v.startsWith('script-src'))).toBe(true);
    await page.close();
  });
});
