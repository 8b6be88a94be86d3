import type { Page } from 'playwright-core';
import type { ShotContext } from './context.js';

/** The ops console's main screens on the demo data (laptop width), signed in as the demo admin. */
export default async function shots({ baseUrl, pageAs, shoot }: ShotContext) {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@handy.local', password: process.env.DEMO_PASSWORD ?? 'handy-demo-password' }),
  });
  const { token } = (await login.json()) as { token: string };
  const apiCall = async (method: string, path: string, body?: object) => {
    const res = await fetch(`${baseUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return res.json() as Promise<Record<string, never>>;
  };
  // Give the queue something: the unclear damp-patch enquiry goes to the estimators.
  const { leads } = (await apiCall('GET', '/api/leads')) as unknown as { leads: { id: string; customerName: string; state: string }[] };
  const damp = leads.find((l) => l.customerName === 'Dana Lee');
  if (damp && damp.state === 'created') await apiCall('POST', `/api/leads/${damp.id}/estimator`, { priority: 3, reason: 'damp needs a look' });
  const sam = leads.find((l) => l.customerName === 'Sam Carter') ?? leads[0]!;
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
}
