/**
 * Dispatch quality simulation (issue 17):
 *   npm run simulate -- --contractors 300 --requests 300 --seed 1 [--urgent 40] [--mix standard|single-task]
 * Seeds a population on a throwaway database (embedded PostgreSQL, or a fresh database on
 * DATABASE_URL's server), replays customers through the real availability, hold and checkout,
 * solves the exact reference with HiGHS, then runs a seeded day of urgent jobs through the real
 * dispatch. Deterministic per seed. MATCH_WEIGHTS (and the other settings) apply as in the app.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { connect } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { ensureDatabase } from '../src/db/provision.js';
import { scratchServer } from '../src/db/scratch-server.js';
import { bookingRules } from '../src/modules/availability/booking-rules.js';
import { seedTasks } from '../src/modules/catalog/seed-tasks.js';
import { generateContractors } from '../src/seed/generate-contractors.js';
import { compareWithReference } from '../src/sim/report.js';
import { generateRequests, REQUEST_MIXES, type RequestMix } from '../src/sim/requests.js';
import { runScheduled } from '../src/sim/scheduled.js';
import { runUrgent } from '../src/sim/urgent.js';

const { values } = parseArgs({
  options: {
    contractors: { type: 'string', default: '300' },
    requests: { type: 'string', default: '300' },
    seed: { type: 'string', default: '1' },
    urgent: { type: 'string', default: '40' },
    mix: { type: 'string', default: 'standard' },
  },
});
const n = (name: keyof typeof values, min: number, max: number) => {
  const v = Number(values[name]);
  if (!Number.isInteger(v) || v < min || v > max) {
    console.error(`--${name} must be a whole number from ${min} to ${max}`);
    process.exit(2);
  }
  return v;
};
const contractors = n('contractors', 1, 5000);
const requests = n('requests', 1, 5000);
const seed = n('seed', 0, 1_000_000);
const urgentJobs = n('urgent', 0, 1000);
if (!Object.hasOwn(REQUEST_MIXES, values.mix!)) {
  console.error(`--mix must be one of: ${Object.keys(REQUEST_MIXES).join(', ')}`);
  process.exit(2);
}
const mix = values.mix as RequestMix;

// A fixed Monday 07:00 in London: the same calendar (and so the same results) on every run.
const NOW = new Date('2026-11-23T07:00:00Z');

const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'test' });
const rules = bookingRules(config);
const server = await scratchServer();
const name = `handy_sim_${process.pid}`;
await ensureDatabase(server.adminUrl, name);
let database = connect(server.urlFor(name), 8);
let initial: ReturnType<typeof connect> | null = null;
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const mi = (x: number) => x.toFixed(2);
try {
  await runMigrations(database);
  await seedTasks(database.db);
  await generateContractors(database.db, { count: contractors, seed, zone: rules.zone, windows: rules.windows, now: NOW, seededIds: true });
  await database.pool.query('analyze');
  // The reference works on the state before the first customer: a copy taken now.
  await database.close();
  const admin = connect(server.adminUrl, 1);
  await admin.pool.query(`create database ${name}_initial template ${name}`);
  await admin.close();
  database = connect(server.urlFor(name), 8);
  initial = connect(server.urlFor(`${name}_initial`), 4);
  const started = Date.now();
  const progress = (m: string) => console.error(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${m}`);
  const run = await runScheduled(database.db, initial.db, generateRequests(requests, seed, 6, mix), rules, NOW, config.HOLD_TTL_SECONDS);
  progress(`replayed ${requests} customers; solving the reference`);
  const r = await compareWithReference(run, requests);
  const components =
    Object.entries(r.nonNearest.byComponent)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none';
  const unserved =
    Object.entries(r.unservedReasons)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none';
  const lastDay = run.windows.flat().reduce((m, w) => (w.date > m ? w.date : m), '');
  console.log(
    `simulate: ${contractors} contractors, ${requests} requests, seed ${seed}${mix === 'standard' ? '' : `, ${mix} jobs`}; each customer's window: the first 3 days offered to them (latest ${lastDay})`,
  );
  console.log(
    `fill rate:            product ${pct(r.fill.product)}   best possible ${pct(r.fill.best)}   (gap ${(100 * (r.fill.best - r.fill.product)).toFixed(1)} points; unserved: ${unserved})`,
  );
  console.log(
    `miles per visit:      product mean ${mi(r.miles.productMean)} p90 ${mi(r.miles.productP90)}   best on the same slots mean ${mi(r.miles.bestMean)} p90 ${mi(r.miles.bestP90)}   (${pct(r.miles.productMean / r.miles.bestMean - 1)} more; ${r.miles.visits} visits)`,
  );
  console.log(
    `jobs per contractor:  product Gini ${r.fairness.productGini.toFixed(3)}, ${pct(r.fairness.productShareNone)} with none   best Gini ${r.fairness.bestGini.toFixed(3)}, ${pct(r.fairness.bestShareNone)} with none   (${r.fairness.contractors} contractors who could take any)`,
  );
  console.log(`experts picked:       product ${pct(r.expertShare.product)}   best ${pct(r.expertShare.best)}`);
  console.log(`not the nearest:      ${pct(r.nonNearest.share)} of picks (${r.nonNearest.count}); deciding component: ${components}`);
  console.log(`mixed-trade teams:    ${r.teams.product} customers served by one contractor per trade`);
  console.log(
    `best-scoring picked:  ${r.topOfRanking.top} of ${r.topOfRanking.holds} single-contractor holds took the top of their ranking`,
  );
  console.log(`scheduled run took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (urgentJobs > 0) {
    const u = await runUrgent(database.db, config, { jobs: urgentJobs, seed, day: NOW });
    console.log(`urgent (${u.jobs} jobs, ${u.onShift} on shift, model: ${u.model}):`);
    console.log(
      `  accepted ${pct(u.acceptedShare)}; time to acceptance median ${u.medianSeconds.toFixed(0)} s, p90 ${u.p90Seconds.toFixed(0)} s; needed the broadcast ${pct(u.broadcastShare)}; unfilled ${pct(u.unfilledShare)} (nobody on shift to offer: ${u.nobodyToOffer})`,
    );
  }
} finally {
  await database.close();
  await initial?.close();
  const admin = connect(server.adminUrl, 1);
  await admin.pool.query(`drop database if exists ${name} with (force)`).catch(() => {});
  await admin.pool.query(`drop database if exists ${name}_initial with (force)`).catch(() => {});
  await admin.close();
  await server.stop();
}
