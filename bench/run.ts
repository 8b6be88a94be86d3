/**
 * npm run bench: the scheduling engine's figures on 1,000 contractors (BENCH_CONTRACTORS to change).
 * Prints one line per figure: `name: value unit`.
 * Runs on a throwaway embedded PostgreSQL (or a fresh database on DATABASE_URL's server).
 */
import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config.js';
import { connect } from '../src/db/client.js';
import { scratchServer } from '../src/db/scratch-server.js';
import { runMigrations } from '../src/db/migrate.js';
import { ensureDatabase } from '../src/db/provision.js';
import { buildApp } from '../src/http/app.js';
import { bookingRules } from '../src/modules/availability/booking-rules.js';
import { findAvailability } from '../src/modules/availability/find-availability.js';
import { addDays, bookableRange } from '../src/modules/availability/slot-time.js';
import { seedTasks } from '../src/modules/catalog/seed-tasks.js';
import { TASKS } from '../src/modules/catalog/tasks-data.js';
import { createJob } from '../src/modules/jobs/create-job.js';
import { specFromInput } from '../src/modules/jobs/job-spec.js';
import { rankForSlot } from '../src/modules/matching/rank-for-slot.js';
import { generateContractors } from '../src/seed/generate-contractors.js';
import { rng } from '../src/seed/rng.js';

// BENCH_QUICK=1: fewer samples of everything, for a run of a few minutes.
const QUICK = /^(1|true)$/.test(process.env.BENCH_QUICK ?? '');
const CONTRACTORS = Number(process.env.BENCH_CONTRACTORS ?? 1000);
const BIG_CONTRACTORS = Number(process.env.BENCH_BIG_CONTRACTORS ?? 10000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? (QUICK ? 60 : 200));
const NAIVE_ITERATIONS = Number(process.env.BENCH_NAIVE_ITERATIONS ?? (QUICK ? 5 : 20));
const RACERS = 50;
// Long enough (about 10 s at this machine's pace) for the storm to measure the steady state, not the warm-up.
const HOLD_REQUESTS = Number(process.env.BENCH_HOLD_REQUESTS ?? (QUICK ? 5000 : 20000));
const WEB_PROCESSES = Number(process.env.WEB_CONCURRENCY ?? loadConfig({}).WEB_CONCURRENCY);
const CEILING_SECONDS = Number(process.env.BENCH_CEILING_SECONDS ?? (QUICK ? 3 : 5));
// BENCH_ONLY=holds,full-diary: run only these sections (sku, availability, ranking, urgent, holds,
// full-diary, big, channels), to measure one change quickly. Every section runs by default.
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((x) => x.trim())) : null;
const want = (section: string) => !ONLY || ONLY.has(section);
if (QUICK) {
  process.env.BENCH_DISPATCHES ??= '30';
  process.env.BENCH_ROUNDS ??= '10';
  process.env.BENCH_MESSAGES ??= '300';
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const line = (name: string, value: number, unit: string) => console.log(`${name}: ${value.toFixed(unit === 'ms' ? 2 : 1)} ${unit}`);
function report(name: string, samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  line(`${name}_p50`, pct(s, 50), 'ms');
  line(`${name}_p95`, pct(s, 95), 'ms');
  line(`${name}_p99`, pct(s, 99), 'ms');
}

async function main() {
  // One client IP sends every request here: the per-IP hold limit would measure itself, not the engine.
  const config = loadConfig({ HOLD_RATE_LIMIT: '100000', ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'test' });
  const server = await scratchServer();
  const adminUrl = server.adminUrl;
  const name = `handy_bench_${process.pid}`;
  await ensureDatabase(adminUrl, name);
  const url = new URL(server.urlFor(name));
  const database = connect(url.toString(), RACERS + 10);
  const { db } = database;
  try {
    await runMigrations(database);
    await seedTasks(db);
    const seeded = await generateContractors(db, { count: CONTRACTORS, seed: 1, zone: config.BUSINESS_TIME_ZONE, windows: config.slots });
    // As autovacuum leaves a live database (statistics, visibility map), not as a bulk load leaves it.
    await database.pool.query('vacuum analyze');
    line('contractors', seeded.contractors, 'count');

    if (want('sku')) {
      // SKU detection on the labelled enquiries (the same set the tests hold to >= 0.9).
      const { DETECTION_CASES } = await import('../src/modules/intake/detection-cases.js');
      const { detectSkus } = await import('../src/modules/intake/detect-skus.js');
      const { SKUS } = await import('../src/modules/intake/sku-data.js');
      let tp = 0;
      let fp = 0;
      let fn = 0;
      const d0 = performance.now();
      for (const c of DETECTION_CASES) {
        const got = new Set(detectSkus(c.text, SKUS).map((d) => d.code));
        for (const g of got)
          if (c.expected.includes(g)) tp++;
          else fp++;
        for (const e of c.expected) if (!got.has(e)) fn++;
      }
      line('sku_detection_cases', DETECTION_CASES.length, 'count');
      line('sku_detection_precision', (100 * tp) / (tp + fp), '%');
      line('sku_detection_recall', (100 * tp) / (tp + fn), '%');
      line('sku_detection_mean_latency', (performance.now() - d0) / DETECTION_CASES.length, 'ms');
    }
    const rules = bookingRules(config);
    const now = new Date();
    const r = rng(99);
    const londonOutcodes = ['SW11', 'SE1', 'E1', 'N1', 'NW1', 'W2', 'SW9', 'E14', 'N7', 'SE15', 'W12', 'CR0'];
    const untrusted = TASKS.filter((t) => !t.requiredCertification);
    const specInput = () => ({
      postcode: `${r.pick(londonOutcodes)} 1AA`,
      requirements: r
        .sample(untrusted, r.int(1, 2))
        .map((t, i) => ({ taskId: t.id, requiredConfidence: 'capable' as const, isPrimary: i === 0 })),
    });

    const window = bookableRange(now, rules);
    if (want('availability')) {
      // Availability: one job spec, the whole 28-day window, counts per slot.
      const samples: number[] = [];
      for (let i = 0; i < ITERATIONS; i++) {
        const spec = await specFromInput(db, specInput());
        const t0 = performance.now();
        await findAvailability(db, spec, {}, { jobId: null, sessionId: null }, rules, now);
        samples.push(performance.now() - t0);
      }
      report('availability_28d', samples);
    }
    // Ranking: every eligible contractor for one slot, scored from real history (random spec, date, slot).
    const rankingSamples = async () => {
      const samples: number[] = [];
      let candidates = 0;
      for (let i = 0; i < ITERATIONS; i++) {
        const spec = await specFromInput(db, specInput());
        const date = addDays(window.first, r.int(0, 20));
        const t0 = performance.now();
        const ranked = await rankForSlot(db, spec, date, r.pick(['am', 'pm'] as const), { jobId: null, sessionId: null }, rules, now);
        samples.push(performance.now() - t0);
        candidates += ranked.length;
      }
      return { samples, meanCandidates: candidates / ITERATIONS };
    };
    if (want('ranking')) {
      const { samples: ranking, meanCandidates } = await rankingSamples();
      report('ranking_one_slot', ranking);
      line('ranking_mean_candidates', meanCandidates, 'count');
    }
    // Urgent dispatch: from marking a job urgent to its targeted offers committed and pushed
    // (NOTIFY received by a listening server process, which is what feeds the SSE streams).
    const urgentSamples = async (prefix: string) => {
      const pg = (await import('pg')).default;
      const { startDispatch } = await import('../src/modules/dispatch/start-dispatch.js');
      const { cancelDispatch } = await import('../src/modules/dispatch/respond-to-offer.js');
      const listener = new pg.Client({ connectionString: url.toString() });
      await listener.connect();
      await listener.query('listen handy_offers');
      const seen = new Map<string, number>();
      listener.on('notification', (m) => {
        const e = JSON.parse(m.payload!) as { type: string; offerId: string };
        if (e.type === 'offer.new') seen.set(e.offerId, performance.now());
      });
      const samples: number[] = [];
      let offered = 0;
      const rounds = Number(process.env.BENCH_DISPATCHES ?? 100);
      for (let i = 0; i < rounds; i++) {
        const { id } = await createJob(db, specInput(), null);
        const t0 = performance.now();
        const r = await startDispatch(db, { jobId: id }, { config, now: new Date() });
        const ids = r.offers.map((o) => o.id);
        const deadline = Date.now() + 2000;
        while (ids.some((x) => !seen.has(x)) && Date.now() < deadline) await new Promise((res) => setImmediate(res));
        if (ids.length && ids.every((x) => seen.has(x))) samples.push(Math.max(...ids.map((x) => seen.get(x)!)) - t0);
        offered += ids.length;
        if (r.dispatch.status !== 'unfilled') await cancelDispatch(db, r.dispatch.id, { config, now: new Date() });
      }
      await listener.end();
      line(`${prefix}_mean_offers`, offered / rounds, 'count');
      return [...samples].sort((a, b) => a - b);
    };
    if (want('urgent')) {
      const sorted = await urgentSamples('urgent_dispatch');
      line('urgent_dispatch_to_offers_pushed_p50', pct(sorted, 50), 'ms');
      line('urgent_dispatch_to_offers_pushed_p99', pct(sorted, 99), 'ms');
    }

    if (want('holds')) {
      // Holds under 50-way contention over HTTP: 50 customers keep grabbing the same few hot slots.
      const app = await buildApp({ db, databaseUrl: url.toString(), config, now: () => new Date() });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const job = {
        postcode: 'SW11 1AA',
        requirements: [{ taskId: 'general-odd-jobs', requiredConfidence: 'capable' as const, isPrimary: true }],
      };
      const tokens = await Promise.all(Array.from({ length: RACERS }, () => createJob(db, job, null).then((j) => j.customerToken)));
      const hot = Array.from({ length: 5 }, (_, i) => addDays(window.first, i + 1)).flatMap((d) => [
        { date: d, slot: 'am' },
        { date: d, slot: 'pm' },
      ]);
      // The database's own pace for the claim statement, in the same run, on the same hot slots.
      const { claimCeiling } = await import('./ceiling.js');
      const ceilingIds = (await database.pool.query<{ id: string }>('select id from contractors')).rows.map((x) => x.id);
      const { id: ceilingJob } = await createJob(db, job, null);
      // Each granted hold claims a free contractor slot, so the ceiling is claims that claim: random
      // contractor-slots over the next 3,000 days, nearly all free (the share is printed). The
      // same statement on the 10 hot slots (where most meet a claim already there and write
      // nothing) is printed beside it as the conflict ceiling.
      const spread = Array.from({ length: 3000 }, (_, i) => addDays(window.first, i)).flatMap((d) => [
        { date: d, slot: 'am' },
        { date: d, slot: 'pm' },
      ]);
      const ceilingOn = (slots: typeof hot, tag: string) =>
        claimCeiling(url.toString(), {
          connections: RACERS,
          seconds: CEILING_SECONDS,
          contractorIds: ceilingIds,
          slots,
          jobId: ceilingJob,
          tag,
        });
      const ceiling = await ceilingOn(spread, 'spread');
      const conflictCeiling = await ceilingOn(hot, 'hot');
      const { holdStorm, startServerCluster } = await import('./storm.js');
      // One server process (this one)...
      const single = await holdStorm(base, tokens, hot, HOLD_REQUESTS, 'single');
      // ...and the production topology: WEB_CONCURRENCY processes on the same database, each with
      // its DB_POOL_MAX connections (a hold is one statement: more connections only add contention).
      const servers = await startServerCluster(url.toString(), WEB_PROCESSES, config.DB_POOL_MAX);
      // Steady state, as the one-process figure (whose server and pool served the bench so far):
      // the new processes first open their connections and prepare their statements.
      await holdStorm(servers.base, tokens, hot, RACERS * 4, 'cluster-warm-up');
      const storm = await holdStorm(servers.base, tokens, hot, HOLD_REQUESTS, 'cluster');
      const rssAfterStorm = await servers.rss();
      await servers.stop();
      const { sent, won, refused, seconds } = storm;
      const failed = storm.failed + single.failed;

      // The last free contractor: one contractor alone in Lerwick; every round 50 customers race
      // for the same slot and exactly one may win.
      const { createContractor } = await import('../src/modules/contractors/save-contractor.js');
      await createContractor(db, {
        name: 'Lerwick Handyman',
        phone: '07700900999',
        email: 'lerwick@example.co.uk',
        bio: 'Only one here.',
        postcode: 'ZE2 9AA',
        radiusMiles: 5,
        maxConcurrentJobs: 1,
        skills: [{ taskId: 'general-odd-jobs', confidence: 'expert', yearsExperience: 9 }],
        weeklySchedule: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '17:00' })),
      });
      const remote = { ...job, postcode: 'ZE2 9ZZ' };
      const remoteTokens = await Promise.all(
        Array.from({ length: RACERS }, () => createJob(db, remote, null).then((j) => j.customerToken)),
      );
      const rounds = Number(process.env.BENCH_ROUNDS ?? 40);
      let lastRequests = 0;
      let roundsWithOneWinner = 0;
      const t1 = performance.now();
      for (let round = 0; round < rounds; round++) {
        const target = { date: addDays(window.first, Math.floor(round / 2)), slot: round % 2 ? 'pm' : 'am' };
        const statuses = await Promise.all(
          remoteTokens.map(async (token, i) => {
            const res = await fetch(`${base}/api/customer/jobs/${token}/holds`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ sessionId: `last-${round}-${i}`, ...target }),
            });
            await res.arrayBuffer();
            return res.status;
          }),
        );
        lastRequests += statuses.length;
        if (statuses.filter((x) => x === 201).length === 1 && statuses.filter((x) => x === 409).length === RACERS - 1)
          roundsWithOneWinner++;
      }
      const lastSeconds = (performance.now() - t1) / 1000;
      const { benchCrew } = await import('./crew.js');
      const crewLines: [string, number, string][] = [];
      await benchCrew(db, base, config, window.first, (n, v, u) => crewLines.push([n, v, u]));
      const doubles = await database.pool.query(`
      select count(*)::int as n from (
        select contractor_id, date, slot from slot_claims group by 1, 2, 3 having count(*) > 1
        union all
        select contractor_id, date, slot from bookings where status in ('pending_confirmation','confirmed','in_progress') group by 1, 2, 3 having count(*) > 1) d`);
      await app.close();
      line('hold_server_processes', WEB_PROCESSES, 'count');
      line('holds_per_second', sent / seconds, 'req/s');
      line('holds_per_second_one_process', single.sent / single.seconds, 'req/s');
      line('holds_db_ceiling_per_second', ceiling.perSecond, 'statements/s');
      line('holds_db_ceiling_claimed_share', 100 * ceiling.claimedShare, '%');
      line('holds_ceiling_ratio', (100 * sent) / seconds / ceiling.perSecond, '%');
      line('holds_db_conflict_ceiling_per_second', conflictCeiling.perSecond, 'statements/s');
      line('holds_db_conflict_ceiling_claimed_share', 100 * conflictCeiling.claimedShare, '%');
      line('holds_conflict_ceiling_ratio', (100 * sent) / seconds / conflictCeiling.perSecond, '%');
      line('server_rss_after_hold_storm', Math.max(...rssAfterStorm), 'MiB per process');
      line(
        'server_rss_after_hold_storm_total',
        rssAfterStorm.reduce((a, b) => a + b, 0),
        'MiB',
      );
      line('hot_slots_hold_requests_per_second', sent / seconds, 'req/s');
      line('hot_slots_holds_granted_per_second', won / seconds, 'holds/s');
      line('hot_slots_holds_refused_409', refused, 'count');
      line('hold_errors_5xx', failed, 'count');
      line('holds_rate_limited_429', storm.limited + single.limited, 'count');
      line('last_contractor_hold_requests_per_second', lastRequests / lastSeconds, 'req/s');
      line('last_contractor_rounds', rounds, 'count');
      line('last_contractor_rounds_with_exactly_one_winner', roundsWithOneWinner, 'count');
      line('double_bookings', doubles.rows[0].n, 'count');
      for (const [n, v, u] of crewLines) line(n, v, u);
    }
    // A full diary: half of every contractor-slot over the 28 days booked, 500 live holds.
    if (want('full-diary')) {
      const { fillDiary, seedNaiveAvailability } = await import('./full-diary.js');
      const filled = await fillDiary(database.pool, {
        first: window.first,
        last: window.last,
        windows: config.slots,
        zone: config.BUSINESS_TIME_ZONE,
        holds: 500,
      });
      line('full_diary_bookings', filled.booked, 'count');
      line('full_diary_live_holds', filled.holds, 'count');
      const ours: number[] = [];
      for (let i = 0; i < ITERATIONS; i++) {
        const spec = await specFromInput(db, specInput());
        const t0 = performance.now();
        await findAvailability(db, spec, {}, { jobId: null, sessionId: null }, rules, now);
        ours.push(performance.now() - t0);
      }
      const naive: number[] = [];
      for (let i = 0; i < NAIVE_ITERATIONS; i++) {
        const input = specInput();
        const t0 = performance.now();
        await seedNaiveAvailability(
          database.pool,
          input.requirements.map((q) => q.taskId),
          window.first,
          window.last,
        );
        naive.push(performance.now() - t0);
      }
      const o = [...ours].sort((a, b) => a - b);
      const n = [...naive].sort((a, b) => a - b);
      line('availability_full_diary_p50', pct(o, 50), 'ms');
      line('availability_full_diary_p99', pct(o, 99), 'ms');
      line('seed_naive_availability_full_diary_p50', pct(n, 50), 'ms');
      line('seed_naive_availability_full_diary_p99', pct(n, 99), 'ms');
      line('availability_vs_seed_ratio', pct(n, 99) / pct(o, 99), 'x');
    }

    // 10,000 contractors: ranking one slot and urgent dispatch.
    if (want('big') && BIG_CONTRACTORS > CONTRACTORS) {
      const more = await generateContractors(db, {
        count: BIG_CONTRACTORS - CONTRACTORS,
        seed: 2,
        zone: config.BUSINESS_TIME_ZONE,
        windows: config.slots,
      });
      // As autovacuum leaves a live database (statistics, visibility map), not as a bulk load leaves it.
      await database.pool.query('vacuum analyze');
      line('big_contractors', seeded.contractors + more.contractors, 'count');
      const { samples: ranking10k, meanCandidates: candidates10k } = await rankingSamples();
      const s10 = ranking10k.sort((a, b) => a - b);
      line('ranking_10k_p50', pct(s10, 50), 'ms');
      line('ranking_10k_p99', pct(s10, 99), 'ms');
      line('ranking_10k_mean_candidates', candidates10k, 'count');
      const urgent = await urgentSamples('urgent_10k');
      line('urgent_10k_offers_pushed_p50', pct(urgent, 50), 'ms');
      line('urgent_10k_offers_pushed_p99', pct(urgent, 99), 'ms');
    }

    if (want('channels')) {
      // Imported here: channels.ts reads BENCH_MESSAGES when loaded, after BENCH_QUICK set it.
      const { benchChannels } = await import('./channels.js');
      await benchChannels(database, url.toString(), config, line, pct);
    }
  } finally {
    await database.close();
    const admin = connect(adminUrl, 1);
    await admin.pool.query(`drop database if exists ${name} with (force)`).catch(() => {});
    await admin.close();
    await server.stop();
  }
}

if (cluster.isWorker) {
  const { serveInWorker } = await import('./storm.js');
  await serveInWorker(loadConfig({ ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'test' }));
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
