import { pino } from 'pino';
import { mkdir } from 'node:fs/promises';
import { loadConfig, type Config } from './config.js';
import { ensureAppRole, fileSecret, grantAppRole, urlAs } from './db/app-role.js';
import { useAppSecret } from './shared/secrets.js';
import { connect } from './db/client.js';
import { runMigrations } from './db/migrate.js';
import { provisionDatabase } from './db/provision.js';
import { buildApp } from './http/app.js';
import { requestSerializer } from './http/log-redaction.js';
import { startQueue } from './jobs/queue.js';
import { seedTasks } from './modules/catalog/seed-tasks.js';
import { seedSkus } from './modules/intake/sku-catalog.js';
import { loadDemoDataIfEmpty } from './seed/demo-data.js';

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

/** Installs nothing, guesses nothing: validates config, brings up the database, migrates, serves. */
async function main() {
  const config = loadConfig();
  const log = pino({
    level: config.LOG_LEVEL,
    serializers: { req: requestSerializer },
    // Credentials never reach the logs, whatever a log line happens to include.
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.token'], censor: '[redacted]' },
  });
  const { url, embedded } = await provisionDatabase(config, (m) => log.info(m));
  await mkdir(config.DATA_DIR, { recursive: true, mode: 0o700 });
  if (!config.APP_SECRET && config.NODE_ENV === 'production' && config.DATABASE_URL) {
    throw new Error('Invalid configuration:\n  APP_SECRET: required in production with DATABASE_URL (every process must share it)');
  }
  useAppSecret(config.APP_SECRET ?? (await fileSecret(config.DATA_DIR, 'app-secret', 32)));

  // Migrations, seeds and the job queue's own schema run as the owner; requests as the app role.
  const owner = connect(url, 4);
  await runMigrations(owner);
  await seedTasks(owner.db);
  await seedSkus(owner.db);
  if (!config.SKIP_DEMO_DATA) {
    const demo = await loadDemoDataIfEmpty(owner.db, config, log);
    if (demo) log.info(demo, 'demo data loaded');
  }
  await owner.close();
  const appUrl = await appRoleUrl(config, url, embedded !== null);
  if (appUrl === url) log.warn('the app connects as the database owner: set DATABASE_APP_URL to a least-privilege role');
  const database = connect(appUrl, config.DB_POOL_MAX);

  // The queue always starts (requests enqueue work); its workers run only with RUN_WORKERS.
  const boss = await startQueue(url, database.db, config, log, { workers: config.RUN_WORKERS });
  const app = await buildApp({ db: database.db, databaseUrl: appUrl, config, now: () => new Date(), queue: boss }, { logger: log });
  const address = await app.listen({ port: config.PORT, host: config.HOST });
  const shown = address.replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  console.log(`\nHandy is running at ${shown}  (API docs: ${shown}/docs, OpenAPI: ${shown}/openapi.json)\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await app.close();
    await boss.stop({ graceful: true, wait: true }).catch(() => {});
    await database.close();
    await embedded?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
