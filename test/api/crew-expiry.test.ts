import type PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Database } from '../../src/db/client.js';
import { buildApp } from '../../src/http/app.js';
import type { App } from '../../src/http/context.js';
import { startQueue } from '../../src/jobs/queue.js';
import { crewContractor, makeCrewJob } from '../helpers/crew.js';
import { auth, type Harness, startHarness } from '../helpers/harness.js';

/**
 * A server process with its queue, on the harness's database and clock: stopping one and starting
 * another is a restart.
 */
type Proc = { app: App; boss: PgBoss; database: Database; stop: () => Promise<void> };
const quiet = { info: () => {}, error: () => {} };

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

/**
 * `workers: false` for the process that goes down: the timers' times come from the test clock, so
 * once the wall clock has passed it (the fixed test dates are in the past) a working queue would
 * run them at once, before the restart the test is about.
 */
async function startProcess(workers = true): Promise<Proc> {
  const database = connect(h.db.url, 10);
  const now = () => h.clock.now;
  const boss = await startQueue(h.db.url, database.db, h.config, quiet, { pollingIntervalSeconds: 0.5, now, workers });
  const app = await buildApp({ db: database.db, databaseUrl: h.db.url, config: h.config, now, queue: boss });
  return {
    app,
    boss,
    database,
    stop: async () => {
      await app.close();
      await boss.stop({ graceful: true, wait: true });
      await database.close();
    },
  };
}

const placeStatuses = async () =>
  Object.fromEntries((await h.db.pool.query('select id, status from crew_places')).rows.map((r) => [r.id, r.status]));

async function waitFor(check: () => Promise<boolean>, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('timed out waiting');
}

describe('crew reservations expire across a restart', () => {
  it(
    'timers made before the restart run in the new process, each place lapses at its own time and not before',
    { timeout: 90_000 },
    async () => {
      const job = await makeCrewJob(h, { requiredWorkers: 5 });
      const people = await Promise.all([0, 1, 2, 3].map(() => crewContractor(h)));
      const first = await startProcess(false);
      const reserve = async (token: string) =>
        (await first.app.inject({ method: 'POST', url: `/api/me/crew-jobs/${job.id}/reserve`, headers: auth(token) })).json().place as {
          id: string;
          expiresAt: string;
        };
      const early = await Promise.all(people.slice(0, 3).map((p) => reserve(p.token)));
      h.clock.advance(10 * 60);
      const late = await reserve(people[3]!.token);

      // Each reservation has its reminder and its expiry queued in the database.
      const timers = async () =>
        (
          await h.db.pool.query(
            `select data->>'placeId' as place, start_after from pgboss.job where name = 'crew-place-timer' and state = 'created' order by start_after`,
          )
        ).rows;
      const before = await timers();
      expect(before).toHaveLength(8);
      for (const p of [...early, late]) {
        const at = before.filter((t) => t.place === p.id).map((t) => t.start_after.getTime());
        expect(at).toEqual([Date.parse(p.expiresAt) - 10 * 60_000, Date.parse(p.expiresAt)]);
      }

      await first.stop();
      // Down for 21 minutes: the early places' time (30 min) is up, the late one has 9 minutes left.
      h.clock.advance(21 * 60);
      // The timers outlive the process that made them.
      expect(await timers()).toHaveLength(8);
      const second = await startProcess();
      try {
        // The wall clock catches up with the timers' times, wherever the test clock is.
        await h.db.pool.query(`update pgboss.job set start_after = now() where name = 'crew-place-timer' and state = 'created'`);
        // Every timer has run, the late place's included.
        await waitFor(
          async () =>
            (await h.db.pool.query(`select count(*)::int as n from pgboss.job where name = 'crew-place-timer' and state = 'completed'`))
              .rows[0].n === 8,
        );
        const s = await placeStatuses();
        for (const p of early) expect(s[p.id]).toBe('expired');
        expect(s[late.id]).toBe('reserved');
        const { rows } = await h.db.pool.query('select reserved_count, status from crew_jobs where id = $1', [job.id]);
        expect(rows[0]).toEqual({ reserved_count: 1, status: 'open' });
        // The late place got its reminder (due inside its last 10 minutes), the lapsed ones did not.
        const reminders = (
          await h.db.pool.query(`select payload->>'placeId' as place from outbox_messages where template = 'crew_reservation_expiring'`)
        ).rows.map((r) => r.place);
        expect(reminders).toEqual([late.id]);

        // The minute sweep (cron in the database) takes the late one once its own time is up.
        h.clock.advance(9 * 60 - 1);
        await second.boss.send('crew-sweep', {});
        await new Promise((r) => setTimeout(r, 2500));
        expect((await placeStatuses())[late.id]).toBe('reserved');
        h.clock.advance(1);
        await second.boss.send('crew-sweep', {});
        await waitFor(async () => (await placeStatuses())[late.id] === 'expired');
        expect((await h.db.pool.query('select reserved_count from crew_jobs where id = $1', [job.id])).rows[0].reserved_count).toBe(0);
      } finally {
        await second.stop();
      }
    },
  );
});
