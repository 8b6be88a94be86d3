import type { ShotContext } from './context.js';

/**
 * The contractor app on a phone, as contractor1@handy.local: shift, a live urgent offer, the job
 * it becomes, history, profile, skills, availability, and the offline shell.
 */
export default async function shots({ baseUrl, database, pageAs, shoot, tokenFor }: ShotContext) {
  const page = await pageAs('contractor1@handy.local', 'phone');
  const me = (await page.request.get(`${baseUrl}/api/me`).then((r) => r.json())) as {
    contractor: { id: string; postcode: string; skills: { taskId: string; confidence: string }[]; onShift: boolean; reactiveMode: boolean };
  };
  const c = me.contractor;
  // Only this contractor on shift, so the urgent job below is offered to them.
  await database.pool.query('update contractors set on_shift = false where id <> $1', [c.id]);
  // Reactive mode (urgent offers) on. A cookie-authenticated write must name our own Origin.
  if (!c.reactiveMode) {
    const res = await page.request.patch(`${baseUrl}/api/me`, { data: { reactiveMode: true }, headers: { origin: baseUrl } });
    if (!res.ok()) throw new Error(`turning reactive mode on failed: ${await res.text()}`);
  }

  await page.goto(`${baseUrl}/app`);
  await page.locator('.clock-btn').waitFor();
  if ((await page.locator('.clock-btn').textContent()) === 'Clock in') await page.locator('.clock-btn').click();
  await page.getByRole('button', { name: 'Clock out' }).waitFor();
  await shoot(page, 'app-shift');

  await page.getByRole('link', { name: /^Offers/ }).click();
  await page.getByText('Live', { exact: true }).waitFor();
  // Staff calls by bearer token: a cookie-authenticated POST would need the browser's Origin.
  const staff = { headers: { authorization: `Bearer ${await tokenFor('admin@handy.local')}` } };
  const skill = c.skills.find((s) => s.confidence === 'expert') ?? c.skills[0]!;
  const job = await page.request
    .post(`${baseUrl}/api/jobs`, {
      ...staff,
      data: { postcode: c.postcode, description: 'Water coming through the kitchen ceiling', requirements: [{ taskId: skill.taskId }] },
    })
    .then((r) => r.json() as Promise<{ job: { jobId: string } }>);
  const dispatched = await page.request.post(`${baseUrl}/api/jobs/${job.job.jobId}/dispatch`, staff);
  const { candidates } = (await dispatched.json()) as { candidates: number };
  if (!dispatched.ok() || !candidates) throw new Error(`dispatch offered nobody: ${await dispatched.text()}`);
  await page.locator('article.offer').waitFor();
  await shoot(page, 'app-offers');

  await page.locator('article.offer').getByRole('button', { name: 'Accept job' }).click();
  await page.getByText('The job is yours').waitFor();
  await shoot(page, 'app-jobs');

  await page.goto(`${baseUrl}/app/history`);
  await page.getByRole('heading', { name: 'History' }).waitFor();
  await page.locator('.tile').first().waitFor();
  await shoot(page, 'app-history');

  await page.goto(`${baseUrl}/app/profile`);
  await page.getByRole('heading', { name: /^Profile \d+% complete/ }).waitFor();
  await shoot(page, 'app-profile');

  await page.goto(`${baseUrl}/app/skills`);
  await page.getByText(/of 66 tasks selected/).waitFor();
  await shoot(page, 'app-skills');

  await page.goto(`${baseUrl}/app/availability`);
  await page.locator('.cal-day').nth(14).click();
  await page.getByRole('radio', { name: 'Different hours' }).check();
  await shoot(page, 'app-availability');

  // A newcomer below 80 %: what is missing.
  const fresh = await pageAs(null, 'phone');
  await fresh.goto(`${baseUrl}/app`);
  await fresh.getByRole('button', { name: 'Send me a code' }).waitFor();
  await fresh.getByLabel('Mobile number').fill('07700 900123');
  await fresh.getByRole('button', { name: 'Send me a code' }).click();
  await fresh.getByLabel('6-digit code').waitFor();
  await shoot(fresh, 'app-sign-in-code');

  await page.goto(`${baseUrl}/app`);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.context().setOffline(true);
  await page.reload();
  await page.getByRole('heading', { name: 'Offline' }).waitFor();
  await shoot(page, 'app-offline');
  await page.context().setOffline(false);
}
