import cluster from 'node:cluster';
import { pino } from 'pino';
import { isClusterWorker, runPrimary } from './cluster.js';
import { loadConfig, type Config } from './config.js';
import { connect, type Database } from './db/client.js';
import { takeOverShutdownSignals, type EmbeddedServer } from './db/embedded.js';
import { isDatabaseUnavailable } from './db/errors.js';
import { runMigrations } from './db/migrate.js';
import { provisionDatabase } from './db/provision.js';
import { buildApp, type App } from './http/app.js';
import { startQueue } from './jobs/queue.js';
import { seedTasks } from './modules/catalog/seed-tasks.js';
import { seedSkus } from './modules/intake/sku-catalog.js';
import { loadDemoDataIfEmpty } from './seed/demo-data.js';
import { EXIT, StartupError } from './startup-error.js';
import { closeGracefully } from './http/close-gracefully.js';
import { startChannels, type ChannelsRuntime } from './modules/channels/runtime.js';
import { startDeliveryWorker, type DeliveryWorker } from './modules/notifications/delivery-worker.js';
import { configureMessaging } from './modules/notifications/outbox.js';

type Running = {
  app?: App;
  boss?: Awaited<ReturnType<typeof startQueue>>;
  database?: Database;
  embedded?: EmbeddedServer | null;
  delivery?: DeliveryWorker;
  channels?: ChannelsRuntime;
};

/** One sentence for a start-up failure: what failed and what to do, with an exit code to match. */
function explain(err: unknown, config: Config | null): StartupError {
  if (err instanceof StartupError) return err;
  const e = err as NodeJS.ErrnoException & { syscall?: string; port?: number };
  const message = e instanceof Error ? e.message : String(err);
  if (!config) return new StartupError(`${message.replace(/\n\s*/g, ' ')} (fix the environment variable named and start again)`, EXIT.CONFIG);
  if (e.code === 'EADDRINUSE' && e.syscall === 'listen') {
    return new StartupError(`port ${config.PORT} is already in use by another program; stop it or set PORT to a free port`, EXIT.TEMPFAIL);
  }
  if (e.code === 'EACCES' || e.code === 'EPERM') return new StartupError(`permission denied (${message}); fix the permissions or set DATA_DIR / UPLOAD_DIR`, EXIT.CANTCREAT);
  if (isDatabaseUnavailable(err) || (e.code === '28P01' || e.code === '3D000')) {
    const where = config.DATABASE_URL ? 'the database at DATABASE_URL' : 'the embedded database';
    return new StartupError(`cannot reach ${where} (${message}); check that it is running and the URL and credentials are right`, EXIT.TEMPFAIL);
  }
  if (/DEMO_PASSWORD/.test(message)) return new StartupError(`${message}, or set SKIP_DEMO_DATA=true`, EXIT.CONFIG);
  return new StartupError(`${message} (unexpected; the log above has details)`, EXIT.SOFTWARE);
}

async function main() {
  let config: Config | null = null;
  const running: Running = {};
  const log = pino({ level: process.env.LOG_LEVEL && /^(fatal|error|warn|info|debug|trace|silent)$/.test(process.env.LOG_LEVEL) ? process.env.LOG_LEVEL : 'info' });
  // The cluster is stopped by our own shutdown, after requests and workers (not by the package first).
  takeOverShutdownSignals();

  let stopping: Promise<void> | null = null;
  // Set in a cluster's primary: signals go to the HTTP processes first, then `stop` runs.
  let stopCluster: ((code: number) => Promise<void>) | null = null;
  const stop = (reason: string, code: number) =>
    (stopping ??= (async () => {
      log.info({ reason }, 'shutting down');
      const budget = (config?.SHUTDOWN_TIMEOUT_SECONDS ?? 10) * 1000;
      // A shutdown that hangs is cut short: the supervisor should not wait for ever.
      setTimeout(() => {
        log.error('shutdown did not finish in time; exiting');
        process.exit(code || EXIT.SOFTWARE);
      }, budget + 15_000).unref();
      if (running.app) await closeGracefully(running.app, budget, log);
      await running.delivery?.stop().catch((err: unknown) => log.warn({ err }, 'delivery stop'));
      await running.channels?.close().catch((err: unknown) => log.warn({ err }, 'channels stop'));
      await running.boss?.stop({ graceful: true, wait: true, timeout: budget }).catch((err: unknown) => log.warn({ err }, 'queue stop'));
      await running.database?.close().catch(() => {});
      await running.embedded?.stop().catch((err: unknown) => log.warn({ err }, 'database stop'));
      log.info('stopped');
      process.exit(code);
    })());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void (stopCluster ? stopCluster(EXIT.OK) : stop(signal, EXIT.OK)));
  // A bug in one request must not take the others down with it; one that corrupts the process's
  // state (an exception nobody caught) ends it, cleanly, for the supervisor to restart.
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled promise rejection'));
  process.on('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception');
    void stop('uncaughtException', EXIT.SOFTWARE);
  });

  try {
    config = loadConfig();
    log.level = config.LOG_LEVEL;
    const { url, embedded } = await provisionDatabase(
      config,
      (m) => log.info({ component: 'postgres' }, m.trim()),
      (m) => log.warn({ component: 'postgres' }, m),
    );
    running.embedded = embedded;
    const database = connect(url, config.DB_POOL_MAX, (err) => log.warn({ err: err.message }, 'database connection lost'));
    running.database = database;
    // In a cluster the primary prepares the database once, before any HTTP process starts.
    if (!isClusterWorker()) {
      await runMigrations(database);
      await seedTasks(database.db);
      await seedSkus(database.db);
      if (!config.SKIP_DEMO_DATA) {
        const demo = await loadDemoDataIfEmpty(database.db, config, log);
        if (demo) log.info(demo, 'demo data loaded');
      }
    }
    if (cluster.isPrimary && config.WEB_CONCURRENCY > 1) {
      await database.close();
      running.database = undefined;
      const primary = runPrimary(config, url, log, (code) => stop('HTTP processes stopped', code), (m) => console.log(m));
      stopCluster = primary.stop;
      return;
    }
    // A process whose primary is gone (killed) has nobody to hand it connections: it stops.
    if (isClusterWorker()) process.on('disconnect', () => void stop('cluster primary gone', EXIT.OK));

    configureMessaging(config);
    const channels = await startChannels(config, database.db, log);
    running.channels = channels;
    // The queue always starts (requests enqueue work); its workers run only with RUN_WORKERS.
    // The delivery worker needs the queue and the queue wakes the worker: a late-bound reference.
    const deliveryRef: { worker?: DeliveryWorker } = {};
    const delivery: DeliveryWorker = { kick: () => deliveryRef.worker?.kick() ?? Promise.resolve(null), stop: async () => deliveryRef.worker?.stop() };
    running.delivery = delivery;
    const boss = await startQueue(url, database.db, config, log, { workers: config.RUN_WORKERS, delivery });
    running.boss = boss;
    if (config.RUN_WORKERS) {
      deliveryRef.worker = await startDeliveryWorker({ db: database.db, providers: channels.providers, config, now: () => new Date() }, { databaseUrl: url, queue: boss, log });
    }
    let queueRunning = true;
    boss.on('stopped', () => (queueRunning = false));
    const app = await buildApp(
      { db: database.db, databaseUrl: url, config, now: () => new Date(), queue: boss, queueRunning: () => queueRunning, channels },
      { logger: log },
    );
    running.app = app;
    const address = await app.listen({ port: config.PORT, host: config.HOST });
    const shown = address.replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
    if (!isClusterWorker()) console.log(`\nHandy is running at ${shown}  (API docs: ${shown}/docs, OpenAPI: ${shown}/openapi.json)\n`);
  } catch (err) {
    const failure = explain(err, config);
    log.debug({ err }, 'start-up failure');
    console.error(`Handy could not start: ${failure.message}`);
    // Leave nothing running behind (an embedded PostgreSQL would block the next start).
    await stop('start-up failed', failure.exitCode);
  }
}

void main();
