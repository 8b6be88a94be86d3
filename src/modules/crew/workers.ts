import type PgBoss from 'pg-boss';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { resyncChannelPosts, sharedAnnouncer } from './announcer.js';
import { PLACE_TIMER, runPlaceTimers, type CrewDeps } from './crew-actions.js';

export const CREW_SWEEP = 'crew-sweep';

type Log = { info: (obj: object, msg?: string) => void; error: (obj: object, msg?: string) => void };

/**
 * Crew reservations lapse on time across restarts: every reservation has pg-boss jobs timed for
 * its reminder and its expiry (stored in the database, so a restarted process runs them), and a
 * cron sweep every minute catches anything a timer missed. Both are idempotent.
 */
export async function registerCrewWorkers(
  boss: PgBoss,
  db: Db,
  config: Config,
  log: Log,
  opts: { workers: boolean; now: () => Date; pollingIntervalSeconds: number },
): Promise<void> {
  const queueOptions = { retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 300 };
  await boss.createQueue(CREW_SWEEP, { name: CREW_SWEEP, ...queueOptions });
  await boss.createQueue(PLACE_TIMER, { name: PLACE_TIMER, ...queueOptions });
  await boss.schedule(CREW_SWEEP, '* * * * *');
  if (!opts.workers) return;
  const announcer = sharedAnnouncer(db, config, log);
  const deps: CrewDeps = { db, config, now: opts.now, announcer, log, queue: boss };
  const polling = { pollingIntervalSeconds: opts.pollingIntervalSeconds };
  await boss.work(CREW_SWEEP, polling, async () => {
    const result = await runPlaceTimers(deps);
    const resynced = await resyncChannelPosts(db, announcer);
    log.info({ job: CREW_SWEEP, ...result, resynced }, 'scheduled job done');
  });
  await boss.work<{ placeId: string }>(PLACE_TIMER, polling, async (jobs) => {
    for (const job of jobs) await runPlaceTimers(deps, { placeId: job.data.placeId });
  });
}
