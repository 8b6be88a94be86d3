// `npm run screenshots`: the main screens of every area, on the demo data, into docs/screenshots/.
// Starts its own throwaway PostgreSQL and app on 127.0.0.1; needs a build (npm run build:web).
import { mkdir, readdir } from 'node:fs/promises';
import { generate } from 'otplib';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { connect } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import { ensureDatabase } from '../../src/db/provision.js';
import { scratchServer } from '../../src/db/scratch-server.js';
import { buildApp } from '../../src/http/app.js';
import { seedTasks } from '../../src/modules/catalog/seed-tasks.js';
import { seedSkus } from '../../src/modules/intake/sku-catalog.js';
import { demoPassword, loadDemoDataIfEmpty } from '../../src/seed/demo-data.js';
import { launchBrowser } from '../../test/helpers/chromium.js';
import { useRandomAppSecretIfUnset } from '../../src/shared/secrets.js';
import { DEVICES, type ShotContext } from './context.js';
import path from 'node:path';

const here = import.meta.dirname;
const outDir = path.resolve(here, '../../docs/screenshots');
const only = process.argv.slice(2);

const server = await scratchServer();
const dbName = `handy_shots_${process.pid}`;
await ensureDatabase(server.adminUrl, dbName);
const database = connect(server.urlFor(dbName), 10);
const config = loadConfig({
  ...process.env,
  NODE_ENV: 'development',
  LOG_LEVEL: 'warn',
  DEMO_CONTRACTORS: '60',
  PUBLIC_BASE_URL: 'http://127.0.0.1',
});
const log = pino({ level: 'warn' });
// Quote links are derived from the app secret: a throwaway one for a throwaway database.
useRandomAppSecretIfUnset();
await runMigrations(database);
await seedTasks(database.db);
await seedSkus(database.db);
await loadDemoDataIfEmpty(database.db, config, log);
const app = await buildApp({ db: database.db, databaseUrl: server.urlFor(dbName), config, now: () => new Date() });
await app.listen({ port: 0, host: '127.0.0.1' });
const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
const browser = await launchBrowser();
await mkdir(outDir, { recursive: true });

const post = async <T>(url: string, body: object | null, token?: string): Promise<T> => {
  const res = await fetch(`${baseUrl}${url}`, {
    method: 'POST',
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${url} failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
};
// One session per account for the whole run: a TOTP code is good once, so admins sign in only once.
const sessions = new Map<string, Promise<string>>();
async function signIn(email: string): Promise<string> {
  const answer = await post<{ token?: string; mfaEnrolmentRequired: boolean; mfaRequired: boolean }>('/api/auth/login', {
    email,
    password: demoPassword(config),
  });
  if (answer.mfaRequired) throw new Error(`${email} already has two-factor on; the screenshots need a fresh demo database`);
  if (!answer.mfaEnrolmentRequired) return answer.token!;
  // The demo admin has not enrolled two-factor yet: enrol it, as the enrolment screen would.
  const { secret } = await post<{ secret: string }>('/api/auth/totp/setup', null, answer.token);
  const code = await generate({ secret, epoch: Math.floor(Date.now() / 1000) });
  return (await post<{ token: string }>('/api/auth/totp/confirm', { code }, answer.token)).token;
}
const tokenFor = (email: string) => {
  if (!sessions.has(email)) sessions.set(email, signIn(email));
  return sessions.get(email)!;
};

const ctx: ShotContext = {
  browser,
  baseUrl,
  database,
  tokenFor,
  pageAs: async (email, device = 'laptop') => {
    const context = await browser.newContext(DEVICES[device]);
    if (email) {
      const token = await tokenFor(email);
      await context.addCookies([{ name: 'handy_session', value: token, url: baseUrl, httpOnly: true, sameSite: 'Lax' }]);
    }
    return context.newPage();
  },
  shoot: async (page, name) => {
    await page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage: true });
    console.log(`docs/screenshots/${name}.png`);
  },
};

let failed = false;
try {
  const files = (await readdir(here)).filter((f) => f.endsWith('.shots.ts')).sort();
  for (const file of files) {
    if (only.length && !only.some((o) => file.startsWith(o))) continue;
    const mod = (await import(path.join(here, file))) as { default: (c: ShotContext) => Promise<void> };
    try {
      await mod.default(ctx);
    } catch (e) {
      failed = true;
      console.error(`${file}: ${e instanceof Error ? e.stack : String(e)}`);
    }
  }
} finally {
  await browser.close();
  await app.close();
  await database.close();
  const admin = connect(server.adminUrl, 1);
  await admin.pool.query(`drop database if exists ${dbName} with (force)`).catch(() => {});
  await admin.close();
  await server.stop();
}
process.exit(failed ? 1 : 0);
