import cluster from 'node:cluster';
import { pino } from 'pino';
import { isClusterWorker, runPrimary } from './cluster.js';
import { type Config, loadConfig } from './config.js';
import { connect, type Database } from './db/client.js';
import { type EmbeddedServer, takeOverShutdownSignals } from './db/embedded.js';
import { isDatabaseUnavailable } from './db/errors.js';
import { ensureAppRole, fileSecret, grantAppRole, urlAs } from './db/app-role.js';
import { runMigrations } from './db/migrate.js';
import { requestSerializer } from './http/log-redaction.js';
import { useAppSecret } from './shared/secrets.js';
import { mkdir } from 'node:fs/promises';
import { provisionDatabase } from './db/provision.js';
import { buildApp } from './http/app.js';
import type { App } from './http/context.js';
import { startQueue } from './jobs/queue.js';
import { seedTasks } from './modules/catalog/index.js';
import { seedSkus } from './modules/intake/index.js';
import { loadDemoDataIfEmpty } from './seed/demo-data.js';
import { EXIT, StartupError } from './startup-error.js';
import { closeGracefully } from './http/close-gracefully.js';
import { type ChannelsRuntime, startChannels } from './modules/channels/index.js';
import { configureMessaging, type DeliveryWorker, startDeliveryWorker } from './modules/notifications/index.js';

type Running = {
  app?: App;
  boss?: Awaited<ReturnType<typeof startQueue>>;
  database?: Database;
  embedded?: EmbeddedServer | null;
  delivery?: DeliveryWorker;
  channels?: ChannelsRuntime;
};

/**
 * The app's connection: DATABASE_APP_URL when set; with the embedded server, DB_APP_ROLE created
 * here; with only DATABASE_URL, the owner. Grants are (re)applied after every migration.
 */
async function appRoleUrl(config: Config, ownerUrl: string, embedded: boolean): Promise<string> {
  if (config.DATABASE_APP_URL) {
    await grantAppRole(ownerUrl, decodeURIComponent(new URL(config.DATABASE_APP_URL).username));
    return config.DATABASE_APP_URL;
  }
  if (!embedded) return ownerUrl;
  const password = await fileSecret(config.DATA_DIR, 'pg-app-password');
  await ensureAppRole(ownerUrl, config.DB_APP_ROLE, password);
  await grantAppRole(ownerUrl, config.DB_APP_ROLE);
  return urlAs(ownerUrl, config.DB_APP_ROLE, password);
}

/** One sentence for a start-up failure: what failed and what to do, with an exit code to match. */
function explain(err: unknown, config: Config | null): StartupError {
  if (err instanceof StartupError) return err;
  const e = err as NodeJS.ErrnoException & { syscall?: string; port?: number };
  const message = e instanceof Error ? e.message : String(err);
  if (!config)
    return new StartupError(`${message.replace(/\n\s*/g, ' ')} (fix the environment variable named and start again)`, EXIT.CONFIG);
  if (e.code === 'EADDRINUSE' && e.syscall === 'listen') {
    return new StartupError(`port ${config.PORT} is already in use by another program; stop it or set PORT to a free port`, EXIT.TEMPFAIL);
  }
  if (e.code === 'EACCES' || e.code === 'EPERM')
    return new StartupError(`permission denied (${message}); fix the permissions or set DATA_DIR / UPLOAD_DIR`, EXIT.CANTCREAT);
  if (isDatabaseUnavailable(err) || e.code === '28P01' || e.code === '3D000') {
    const where = config.DATABASE_URL ? 'the database at DATABASE_URL' : 'the embedded database';
    return new StartupError(
      `cannot reach ${where} (${message}); check that it is running and the URL and credentials are right`,
      EXIT.TEMPFAIL,
    );
  }
  if (/DEMO_PASSWORD/.test(message)) return new StartupError(`${message}, or set SKIP_DEMO_DATA=true`, EXIT.CONFIG);
  return new StartupError(`${message} (unexpected; the log above has details)`, EXIT.SOFTWARE);
}

async function main() {
  let config: Config | null = null;
  const running: Running = {};
  const log = pino({
    level:
      process.env.LOG_LEVEL && /^(fatal|error|warn|info|debug|trace|silent)$/.test(process.env.LOG_LEVEL) ? process.env.LOG_LEVEL : 'info',
    serializers: { req: requestSerializer },
    // Credentials never reach the logs, whatever a log line happens to include.
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.token'],
      censor: '[redacted]',
    },
  });
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
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => void (stopCluster ? stopCluster(EXIT.OK) : stop(signal, EXIT.OK)));
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
    let demoLinks: string[] = [];
    await mkdir(config.DATA_DIR, { recursive: true, mode: 0o700 });
    if (!config.APP_SECRET && config.NODE_ENV === 'production' && config.DATABASE_URL) {
      throw new StartupError(
        'APP_SECRET is required in production with DATABASE_URL (every process must share it); set it and start again',
        EXIT.CONFIG,
      );
    }
    useAppSecret(config.APP_SECRET ?? (await fileSecret(config.DATA_DIR, 'app-secret', 32)));

    // In a cluster the primary prepares the database once, before any HTTP process starts.
    // Migrations, seeds and the job queue's own schema run as the owner; requests as the app role.
    if (!isClusterWorker()) {
      const owner = connect(url, 4, (err) => log.warn({ err: err.message }, 'database connection lost'));
      try {
        await runMigrations(owner);
        await seedTasks(owner.db);
        await seedSkus(owner.db);
        if (!config.SKIP_DEMO_DATA) {
          const demo = await loadDemoDataIfEmpty(owner.db, config, log);
          if (demo) log.info(demo, 'demo data loaded');
          // Links are shown once: only their hashes are kept for job links.
          demoLinks = (demo?.leads ?? []).map((l) => `  ${l.customer}: ${l.quoteLink ? `quote ${l.quoteLink}  ` : ''}job ${l.jobLink}`);
        }
      } finally {
        await owner.close();
      }
    }
    // The primary sets up the app role once and hands its URL to the HTTP processes.
    const appUrl = isClusterWorker() ? (config.DATABASE_APP_URL ?? url) : await appRoleUrl(config, url, embedded !== null);
    if (!isClusterWorker() && appUrl === url)
      log.warn('the app connects as the database owner: set DATABASE_APP_URL to a least-privilege role');
    const showDemoLinks = (shown: string) => {
      if (demoLinks.length)
        console.log(`Demo customer links (shown on first start only):\n${demoLinks.join('\n')}\nEnquiry form: ${shown}/enquire\n`);
    };
    if (cluster.isPrimary && config.WEB_CONCURRENCY > 1) {
      const primary = runPrimary(
        config,
        url,
        appUrl,
        log,
        (code) => stop('HTTP processes stopped', code),
        (m, shown) => {
          console.log(m);
          showDemoLinks(shown);
        },
      );
      stopCluster = primary.stop;
      return;
    }
    // A process whose primary is gone (killed) has nobody to hand it connections: it stops.
    if (isClusterWorker()) process.on('disconnect', () => void stop('cluster primary gone', EXIT.OK));
    const database = connect(appUrl, config.DB_POOL_MAX, (err) => log.warn({ err: err.message }, 'database connection lost'));
    running.database = database;

    configureMessaging(config);
    const channels = await startChannels(config, database.db, log);
    running.channels = channels;
    // The queue always starts (requests enqueue work); its workers run only with RUN_WORKERS.
    // The delivery worker needs the queue and the queue wakes the worker: a late-bound reference.
    const deliveryRef: { worker?: DeliveryWorker } = {};
    const delivery: DeliveryWorker = {
      kick: () => deliveryRef.worker?.kick() ?? Promise.resolve(null),
      stop: async () => deliveryRef.worker?.stop(),
    };
    running.delivery = delivery;
    const boss = await startQueue(url, database.db, config, log, { workers: config.RUN_WORKERS, delivery });
    running.boss = boss;
    if (config.RUN_WORKERS) {
      deliveryRef.worker = await startDeliveryWorker(
        { db: database.db, providers: channels.providers, config, now: () => new Date() },
        { databaseUrl: appUrl, queue: boss, log },
      );
    }
    let queueRunning = true;
    boss.on('stopped', () => (queueRunning = false));
    const app = await buildApp(
      { db: database.db, databaseUrl: appUrl, config, now: () => new Date(), queue: boss, queueRunning: () => queueRunning, channels },
      { logger: log },
    );
    running.app = app;
    const address = await app.listen({ port: config.PORT, host: config.HOST });
    const shown = address.replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
    if (!isClusterWorker()) {
      console.log(`\nHandy is running at ${shown}  (API docs: ${shown}/docs, OpenAPI: ${shown}/openapi.json)\n`);
      showDemoLinks(shown);
    }
  } catch (err) {
    const failure = explain(err, config);
    log.debug({ err }, 'start-up failure');
    console.error(`Handy could not start: ${failure.message}`);
    // Leave nothing running behind (an embedded PostgreSQL would block the next start).
    await stop('start-up failed', failure.exitCode);
  }
}

void main();
