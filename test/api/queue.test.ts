import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type PgBoss from 'pg-boss';
import { startQueue } from '../../src/jobs/queue.js';
import { DAY, makeContractor, makeJob, startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let boss: PgBoss;
beforeAll(async () => {
  h = await startHarness();
  boss = await startQueue(h.db.url, h.db.db, h.config, { info: () => {}, error: () => {} }, { pollingIntervalSeconds: 0.5 });
});
afterAll(async () => {
  await boss.stop({ graceful: false, wait: true });
  await h.close();
});

describe('the job queue', () => {
  it('schedules the sweepers in the database (holds every minute, leads, videos, estimator reminders)', async () => {
    const { rows } = await h.db.pool.query('select name, cron from pgboss.schedule order by name');
    expect(rows).toEqual([
      { name: 'crew-sweep', cron: '* * * * *' },

      { name: 'day-before-reminders', cron: '*/15 * * * *' },
      { name: 'deliver-messages', cron: '* * * * *' },
      { name: 'escalate-receipts', cron: '*/15 * * * *' },
      { name: 'estimator-reminders', cron: '*/5 * * * *' },
      { name: 'expire-offers', cron: '* * * * *' },
      { name: 'expire-stale-leads', cron: '*/5 * * * *' },

      { name: 'expire-unpaid-bookings', cron: '* * * * *' },
      { name: 'score-pending-videos', cron: '* * * * *' },
      { name: 'sweep-expired-holds', cron: '* * * * *' },
      { name: 'sweep-idempotency-keys', cron: '17 * * * *' },
    ]);
  });

  it('runs the sweeper, which deletes expired holds and keeps live ones', async () => {
    const contractor = await makeContractor(h);
    const other = await makeContractor(h);
    const job = await makeJob(h);
    await h.db.pool.query(
      `insert into slot_claims (contractor_id, date, slot, kind, job_id, session_id, expires_at)
       values ($1, $3, 'am', 'hold', $4, 'old-session', now() - interval '1 minute'),
              ($2, $3, 'am', 'hold', $4, 'live-session', now() + interval '5 minutes')`,
      [contractor, other, DAY, job.jobId],
    );
    await boss.send('sweep-expired-holds', {});
    const deadline = Date.now() + 15_000;
    let sessions: string[] = [];
    while (Date.now() < deadline) {
      sessions = (await h.db.pool.query('select session_id from slot_claims order by session_id')).rows.map((r) => r.session_id);
      if (sessions.length === 1) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(sessions).toEqual(['live-session']);
  });
});
