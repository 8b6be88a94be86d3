import { pino } from 'pino';
import { loadConfig } from './config.js';
import { connect } from './db/client.js';
import { runMigrations } from './db/migrate.js';
import { provisionDatabase } from './db/provision.js';
import { buildApp } from './http/app.js';
import { startQueue } from './jobs/queue.js';
import { seedTasks } from './modules/catalog/seed-tasks.js';
import { seedSkus } from './modules/intake/sku-catalog.js';
import { loadDemoDataIfEmpty } from './seed/demo-data.js';
import { startChannels } from './modules/channels/runtime.js';
import { startDeliveryWorker, type DeliveryWorker } from './modules/notifications/delivery-worker.js';
import { configureMessaging } from './modules/notifications/outbox.js';

/** Installs nothing, guesses nothing: validates config, brings up the database, migrates, serves. */
async function main() {
  const config = loadConfig();
  const log = pino({ level: config.LOG_LEVEL });
  const { url, embedded } = await provisionDatabase(config, (m) => log.info(m));
  const database = connect(url, config.DB_POOL_MAX);
  await runMigrations(database);
  await seedTasks(database.db);
  await seedSkus(database.db);
  if (!config.SKIP_DEMO_DATA) {
    const demo = await loadDemoDataIfEmpty(database.db, config, log);
    if (demo) log.info(demo, 'demo data loaded');
  }

  configureMessaging(config);
  const channels = await startChannels(config, database.db, log);
  // The queue always starts (requests enqueue work); its workers run only with RUN_WORKERS.
  const deliveryRef: { worker?: DeliveryWorker } = {};
  const delivery: DeliveryWorker = { kick: () => deliveryRef.worker?.kick() ?? Promise.resolve(null), stop: async () => deliveryRef.worker?.stop() };
  const boss = await startQueue(url, database.db, config, log, { workers: config.RUN_WORKERS, delivery });
  if (config.RUN_WORKERS) {
    deliveryRef.worker = await startDeliveryWorker({ db: database.db, providers: channels.providers, config, now: () => new Date() }, { databaseUrl: url, queue: boss, log });
  }
  const app = await buildApp({ db: database.db, databaseUrl: url, config, now: () => new Date(), queue: boss, channels }, { logger: log });
  const address = await app.listen({ port: config.PORT, host: config.HOST });
  const shown = address.replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  console.log(`\nHandy is running at ${shown}  (API docs: ${shown}/docs, OpenAPI: ${shown}/openapi.json)\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await app.close();
    await delivery.stop();
    await channels.close();
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
