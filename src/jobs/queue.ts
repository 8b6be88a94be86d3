import PgBoss from 'pg-boss';
import { expireUnpaidBookings } from '../flows/expire-unpaid-bookings.js';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { sweepExpiredHolds } from '../modules/bookings/index.js';
import { remindAndEscalate } from '../modules/estimator/index.js';
import { httpTranscriptProvider, offlineVideoProvider, scorePendingVideos, scoreVideo, type ScoringDeps } from '../modules/intake/index.js';
import { expireStaleLeads, releaseLapsedLeadHolds } from '../modules/leads/index.js';
import { expireOffers } from '../modules/dispatch/index.js';
import { escalateReceipts, sweepIdempotencyKeys } from '../modules/payments/index.js';
import { registerCrewWorkers } from '../modules/crew/index.js';
import { DELIVERY_QUEUE, type DeliveryWorker, sendDayBeforeReminders } from '../modules/notifications/index.js';
import { DateTime } from 'luxon';

/** Tomorrow's date in the business's zone, once the local time has passed the reminder hour (else null). */
export function reminderDateFor(now: Date, config: Config): string | null {
  const local = DateTime.fromJSDate(now, { zone: config.BUSINESS_TIME_ZONE });
  if (local.toFormat('HH:mm') < config.DAY_BEFORE_REMINDER_AT) return null;
  return local.plus({ days: 1 }).toISODate();
}

export function scoringDeps(config: Config): ScoringDeps {
  return {
    config,
    provider: offlineVideoProvider,
    asr: config.ASR_URL ? httpTranscriptProvider(config.ASR_URL, config.ASR_API_KEY) : null,
    uploadDir: config.uploadDir,
  };
}

type Job = { name: string; cron: string; run: (db: Db, config: Config) => Promise<object> };

/** Scheduled jobs: each is idempotent and works in SKIP LOCKED batches, so overlaps are harmless. */
export const SCHEDULES: Job[] = [
  {
    name: 'sweep-expired-holds',
    cron: '* * * * *',
    run: async (db) => ({
      deleted: await sweepExpiredHolds(db, new Date()),
      leadsBackToQuote: await releaseLapsedLeadHolds(db, new Date()),
    }),
  },
  {
    name: 'expire-stale-leads',
    cron: '*/5 * * * *',
    run: async (db, config) => ({ expired: await expireStaleLeads(db, config, new Date()) }),
  },
  {
    name: 'score-pending-videos',
    cron: '* * * * *',
    run: (db, config) => scorePendingVideos(db, scoringDeps(config), () => new Date(), 60),
  },
  {
    name: 'escalate-receipts',
    cron: '*/15 * * * *',
    run: async (db, config) => ({ escalated: await escalateReceipts(db, new Date(), config.RECEIPT_REVIEW_HOURS) }),
  },
  { name: 'expire-unpaid-bookings', cron: '* * * * *', run: (db, config) => expireUnpaidBookings(db, config, new Date()) },
  {
    name: 'sweep-idempotency-keys',
    cron: '17 * * * *',
    run: async (db, config) => ({ deleted: await sweepIdempotencyKeys(db, new Date(), config.IDEMPOTENCY_TTL_HOURS) }),
  },
  { name: 'expire-offers', cron: '* * * * *', run: (db, config) => expireOffers(db, { config, now: new Date() }) },
  {
    name: 'day-before-reminders',
    cron: '*/15 * * * *',
    run: async (db, config) => {
      const day = reminderDateFor(new Date(), config);
      return { reminded: day ? await sendDayBeforeReminders(db, day) : 0 };
    },
  },
  {
    name: 'estimator-reminders',
    cron: '*/5 * * * *',
    run: (db, config) =>
      remindAndEscalate(db, new Date(), {
        reminderMinutes: config.ESTIMATOR_REMINDER_MINUTES,
        escalationMinutes: config.ESTIMATOR_ESCALATION_MINUTES,
      }),
  },
];

/**
 * The one job queue: pg-boss on the product's own PostgreSQL (schema `pgboss`). Cron schedules
 * are stored in the database, so they survive restarts and fire once per tick across processes.
 */
export async function startQueue(
  url: string,
  db: Db,
  config: Config,
  log: Pick<FastifyBaseLogger, 'info' | 'error'>,
  opts: { pollingIntervalSeconds?: number; workers?: boolean; now?: () => Date; delivery?: DeliveryWorker } = {},
): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: 4 });
  boss.on('error', (err) => log.error({ err }, 'job queue error'));
  await boss.start();
  const polling = { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2 };
  const queueOptions = { retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 300 };
  for (const s of SCHEDULES) {
    await boss.createQueue(s.name, { name: s.name, ...queueOptions });
    await boss.schedule(s.name, s.cron);
    if (opts.workers === false) continue;
    await boss.work(s.name, polling, async () => {
      const result = await s.run(db, config);
      log.info({ job: s.name, ...result }, 'scheduled job done');
    });
  }
  // Message delivery: every minute as a safety net, plus jobs timed for each retry (see delivery-worker.ts).
  await boss.createQueue(DELIVERY_QUEUE, { name: DELIVERY_QUEUE, ...queueOptions });
  await boss.schedule(DELIVERY_QUEUE, '* * * * *');
  const delivery = opts.delivery;
  if (opts.workers !== false && delivery) {
    await boss.work(DELIVERY_QUEUE, polling, async () => {
      await delivery.kick();
    });
  }
  await boss.createQueue('score-video', { name: 'score-video', ...queueOptions });
  if (opts.workers !== false) {
    await boss.work<{ videoId: string }>('score-video', polling, async ([job]) => {
      await scoreVideo(db, job!.data.videoId, scoringDeps(config), () => new Date());
    });
  }
  await registerCrewWorkers(boss, db, config, log, {
    workers: opts.workers !== false,
    now: opts.now ?? (() => new Date()),
    pollingIntervalSeconds: polling.pollingIntervalSeconds,
  });
  return boss;
}
