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

/** Installs nothing, guesses nothing: validates config, brings up the database, migrates, serves. */
async function main() {
  const config = loadConfig();
  const log = pino({ level: config.LOG_LEVEL });
  const { url, embedded } = await provisionDatabase(config, (m) => log.info(m));
  const database = connect(url, config.DB_POOL_MAX);
  await runMigrations(database);
  await seedTasks(database.db);
  await seedSkus(database.db);
  let demoLinks: string[] = [];
  if (!config.SKIP_DEMO_DATA) {
    const demo = await loadDemoDataIfEmpty(database.db, config, log);
    if (demo) log.info(demo, 'demo data loaded');
    // Links are shown once: only their hashes are kept for job links.
    demoLinks = (demo?.leads ?? []).map((l) => `  ${l.customer}: ${l.quoteLink ? `quote ${l.quoteLink}  ` : ''}job ${l.jobLink}`);
  }

  // The queue always starts (requests enqueue work); its workers run only with RUN_WORKERS.
  const boss = await startQueue(url, database.db, config, log, { workers: config.RUN_WORKERS });
  const app = await buildApp({ db: database.db, databaseUrl: url, config, now: () => new Date(), queue: boss }, { logger: log });
  const address = await app.listen({ port: config.PORT, host: config.HOST });
  const shown = address.replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  console.log(`\nHandy is running at ${shown}  (API docs: ${shown}/docs, OpenAPI: ${shown}/openapi.json)\n`);
  if (demoLinks.length) console.log(`Demo customer links (shown on first start only):\n${demoLinks.join('\n')}\nEnquiry form: ${shown}/enquire\n`);

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
