import type { TestProject } from 'vitest/node';
import { connect } from '../src/db/client.js';
import { scratchServer } from '../src/db/scratch-server.js';
import { runMigrations } from '../src/db/migrate.js';
import { ensureDatabase } from '../src/db/provision.js';
import { seedTasks } from '../src/modules/catalog/seed-tasks.js';
import { seedSkus } from '../src/modules/intake/sku-catalog.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    templateDatabase: string;
  }
}

/**
 * One PostgreSQL for the run (a throwaway embedded cluster, or DATABASE_URL's server) and one
 * migrated template database; every test file clones the template into its own database.
 */
export default async function setup(project: TestProject) {
  const server = await scratchServer();
  const adminUrl = server.adminUrl;
  const template = `handy_template_${process.pid}`;
  const admin = connect(adminUrl, 2);
  await admin.pool.query(`drop database if exists ${template}`);
  await admin.close();
  await ensureDatabase(adminUrl, template);
  const tpl = connect(server.urlFor(template), 2);
  await runMigrations(tpl);
  await seedTasks(tpl.db);
  await seedSkus(tpl.db);
  await tpl.close();

  project.provide('pgAdminUrl', adminUrl);
  project.provide('templateDatabase', template);

  return async () => {
    const a = connect(adminUrl, 2);
    await a.pool.query(`drop database if exists ${template} with (force)`).catch(() => {});
    await a.close();
    await server.stop();
  };
}
