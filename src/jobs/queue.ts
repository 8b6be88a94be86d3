import PgBoss from 'pg-boss';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/client.js';
import { sweepExpiredHolds } from '../modules/bookings/sweep-expired-holds.js';

/**
 * The one job queue: pg-boss on the product's own PostgreSQL (schema `pgboss`). Scheduled jobs
 * are stored in the database, so they survive restarts and run once per tick across processes.
 */
export const SCHEDULES = [
  {
    name: 'sweep-expired-holds',
    cron: '* * * * *',
    run: async (db: Db) => ({ deleted: await sweepExpiredHolds(db, new Date()) }),
  },
] as const;

export async function startQueue(
  url: string,
  db: Db,
  log: Pick<FastifyBaseLogger, 'info' | 'error'>,
  opts: { pollingIntervalSeconds?: number } = {},
): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: 4 });
  boss.on('error', (err) => log.error({ err }, 'job queue error'));
  await boss.start();
  for (const s of SCHEDULES) {
    await boss.createQueue(s.name, { name: s.name, retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 120 });
    await boss.schedule(s.name, s.cron);
    await boss.work(s.name, { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2 }, async () => {
      const result = await s.run(db);
      log.info({ job: s.name, ...result }, 'scheduled job done');
    });
  }
  return boss;
}
