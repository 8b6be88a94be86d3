import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './chromium.js';
import { type Harness, startHarness } from './harness.js';

// In its own file so scripts (npm run screenshots) can launch it without loading vitest.
export { launchBrowser };

export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const LAPTOP = { viewport: { width: 1366, height: 800 } };

/**
 * A page signed in with a session token (as the sign-in form would leave it: the HTTP-only
 * cookie), collecting page errors and console errors so a test can assert there were none.
 */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  token: string | null,
  device: typeof PHONE | typeof LAPTOP = LAPTOP,
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext(device);
  if (token) await context.addCookies([{ name: 'handy_session', value: token, url: baseUrl, httpOnly: true, sameSite: 'Lax' }]);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return { page, errors };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core (WCAG 2.1 A/AA rules) in the page; returns the serious and critical violations. */
export async function seriousA11yViolations(page: Page): Promise<{ id: string; help: string; targets: string[] }[]> {
  // Through the DevTools protocol, which the page's CSP (no inline script) rightly does not allow a <script> tag to do.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx: unknown,
            opts: unknown,
          ) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

/**
 * One harness and one browser for a whole test file: started before its tests, closed after.
 * `set` receives both once they are up (assign them to the file's variables).
 */
export function harnessWithBrowser(set: (made: { h: Harness; browser: Browser }) => void, opts?: Parameters<typeof startHarness>[0]) {
  let made: { h: Harness; browser: Browser } | undefined;
  beforeAll(async () => {
    const h = await startHarness(opts);
    made = { h, browser: await launchBrowser() };
    set(made);
  });
  afterAll(async () => {
    await made?.browser.close();
    await made?.h.close();
  });
}
