import type { Page } from 'playwright-core';
import type { ShotContext } from './context.js';

/** The ops console's main screens on the demo data (laptop width), signed in as the demo admin. */
export default async function shots({ browser, baseUrl, pageAs, shoot, tokenFor }: ShotContext) {
  const token = await tokenFor('admin@handy.local');
  const apiCall = async (method: string, path: string, body?: object) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return res.json() as Promise<Record<string, never>>;
  };
  // Give the queue something: the unclear damp-patch enquiry goes to the estimators.
  const { leads } = (await apiCall('GET', '/api/leads')) as unknown as { leads: { id: string; customerName: string; state: string }[] };
  const damp = leads.find((l) => l.customerName === 'Dana Lee');
  if (damp && damp.state === 'created')
    await apiCall('POST', `/api/leads/${damp.id}/estimator`, { priority: 3, reason: 'damp needs a look' });
  const sam = leads.find((l) => l.customerName === 'Sam Carter') ?? leads[0]!;
  await receiptFromCustomer(browser, baseUrl, apiCall, sam.id).catch((e: unknown) => console.warn(`ops shots: no receipt (${String(e)})`));
  const priya = leads.find((l) => l.customerName === 'Priya Shah');
  if (priya) await apiCall('POST', `/api/leads/${priya.id}/dispatch`);
  const { contractors } = (await apiCall('GET', '/api/contractors?limit=5')) as unknown as { contractors: { id: string }[] };

  const page = await pageAs('admin@handy.local');
  const settle = async (p: Page, heading: string) => {
    await p.getByRole('heading', { name: heading, exact: false }).first().waitFor();
    await p.waitForLoadState('networkidle', { timeout: 3000 }).catch(() => {});
  };
  const visit = async (path: string, heading: string, name: string) => {
    await page.goto(`${baseUrl}${path}`);
    await settle(page, heading);
    await shoot(page, name);
  };
  await visit('/ops', 'Dashboard', 'ops-dashboard');
  await visit('/ops/leads', 'Leads', 'ops-leads');
  await visit(`/ops/leads/${sam.id}`, 'Actions', 'ops-lead');
  await page.goto(`${baseUrl}/ops/leads/${sam.id}/quote`);
  await settle(page, 'Quote for');
  await page.getByLabel('Three tiers').check();
  await page.getByLabel('Line items 1: price-list item').selectOption('PLB-TAP-REPAIR');
  await page.getByTestId('tier-hassle_free').waitFor();
  await shoot(page, 'ops-quote-builder');
  await visit('/ops/estimator', 'Estimator queue', 'ops-estimator');
  await visit('/ops/contractors', 'Contractors', 'ops-contractors');
  await visit(`/ops/contractors/${contractors[0]!.id}`, 'Skills', 'ops-contractor');
  await visit(`/ops/contractors/${contractors[0]!.id}/skills`, 'Skills:', 'ops-skills');
  await visit('/ops/calendar', 'Calendar', 'ops-calendar');
  await visit('/ops/dispatch', 'Dispatch', 'ops-dispatch');
  await visit('/ops/payments', 'Payments', 'ops-payments');
  await visit('/ops/closures', 'Closures', 'ops-closures');
  await visit('/ops/users', 'Staff users', 'ops-staff-users');
  // Tablet width: the side navigation becomes a scrolling bar above the screen.
  await page.setViewportSize({ width: 820, height: 1180 });
  await visit('/ops/calendar', 'Calendar', 'ops-calendar-tablet');
}

/** The customer's side, through the public API: hold the first free slot and upload a bank-transfer receipt (an image drawn by the browser). */
async function receiptFromCustomer(
  browser: ShotContext['browser'],
  baseUrl: string,
  apiCall: (m: string, p: string, b?: object) => Promise<Record<string, never>>,
  leadId: string,
) {
  const view = (await apiCall('GET', `/api/leads/${leadId}`)) as unknown as { quotes: { url: string }[] };
  const token = view.quotes[0]!.url.split('/q/')[1]!;
  await fetch(`${baseUrl}/api/q/${token}`);
  // A local all-rounder for the demo customer, so the hold has someone certain to take it.
  await apiCall('POST', '/api/contractors', {
    name: 'Rory Receipt',
    phone: '07700900999',
    email: 'rory@example.com',
    bio: 'Tidy and on time.',
    postcode: 'SW11 1AA',
    radiusMiles: 10,
    reactiveMode: false,
    skills: [
      { taskId: 'fix-leaking-taps-faucets', confidence: 'expert', yearsExperience: 5 },
      { taskId: 'mount-tvs', confidence: 'expert', yearsExperience: 5 },
    ],
    weeklySchedule: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '17:00' })),
  });
  const avail = (await (await fetch(`${baseUrl}/api/q/${token}/availability`)).json()) as {
    days: { date: string; slots: { slot: string; bookable: boolean }[] }[];
  };
  const free = avail.days.flatMap((d) => d.slots.filter((s) => s.bookable).map((s) => ({ date: d.date, slot: s.slot })));
  const sessionId = 'screenshot-session-1';
  let held: Response | null = null;
  for (const slot of free.slice(0, 10)) {
    held = await fetch(`${baseUrl}/api/q/${token}/holds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId, ...slot }),
    });
    if (held.ok) break;
  }
  if (!held?.ok) throw new Error(`hold: ${held?.status} ${await held?.text()}`);
  const ctx = await browser.newContext({ viewport: { width: 420, height: 260 } });
  const p = await ctx.newPage();
  await p.setContent(
    '<body style="font:16px sans-serif;margin:16px"><h2>Bank transfer confirmation</h2><p>Paid to: Handy Ltd<br>Amount: £36.40<br>Reference: HANDY-DEPOSIT<br>Status: Completed</p></body>',
  );
  const png = await p.screenshot();
  await ctx.close();
  const form = new FormData();
  form.append('sessionId', sessionId);
  form.append('receipt', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'receipt.png');
  const res = await fetch(`${baseUrl}/api/q/${token}/receipt`, { method: 'POST', body: form });
  if (!res.ok) throw new Error(`receipt upload: ${res.status} ${await res.text()}`);
}
