/**
 * Adds demo contractors to the product's database:
 *   npm run seed -- --contractors 1000 [--seed 7]
 * Uses DATABASE_URL, or the embedded PostgreSQL under DATA_DIR (started here if the app is not running).
 */
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { connect } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { provisionDatabase } from '../src/db/provision.js';
import { seedTasks } from '../src/modules/catalog/seed-tasks.js';
import { generateContractors } from '../src/seed/generate-contractors.js';

const { values } = parseArgs({
  options: { contractors: { type: 'string', default: '100' }, seed: { type: 'string', default: String(Date.now() % 100000) } },
});
const count = Number(values.contractors);
if (!Number.isInteger(count) || count < 1 || count > 20000) {
  console.error('--contractors must be a whole number from 1 to 20000');
  process.exit(2);
}

const config = loadConfig();

/** When the app is already running, its embedded server is reachable: reuse it, else start it. */
async function databaseUrl(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, stop: async () => {} };
  const password = await readFile(path.resolve(config.DATA_DIR, 'pg-password'), 'utf8').catch(() => null);
  if (password) {
    const url = `postgres://postgres:${encodeURIComponent(password.trim())}@127.0.0.1:${config.EMBEDDED_PG_PORT}/handy`;
    const probe = new pg.Client({ connectionString: url });
    const up = await probe.connect().then(
      () => true,
      () => false,
    );
    await probe.end().catch(() => {});
    if (up) return { url, stop: async () => {} };
  }
  const { url, embedded } = await provisionDatabase(config, (m) => console.log(m));
  return { url, stop: async () => embedded?.stop() };
}

const { url, stop } = await databaseUrl();
const database = connect(url, 4);
await runMigrations(database);
await seedTasks(database.db);
const started = Date.now();
const summary = await generateContractors(database.db, {
  count,
  seed: Number(values.seed),
  zone: config.BUSINESS_TIME_ZONE,
  windows: config.slots,
});
console.log(
  `seeded ${summary.contractors} contractors, ${summary.pastJobs} past jobs, ${summary.upcomingBookings} upcoming bookings in ${Date.now() - started} ms`,
);
await database.close();
await stop();
