import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';
import { connect } from '../src/db/client.js';
import { startEmbeddedPostgres, type EmbeddedServer } from '../src/db/embedded.js';
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * One PostgreSQL for the run (a throwaway embedded cluster, or DATABASE_URL's server) and one
 * migrated template database; every test file clones the template into its own database.
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedServer | null = null;
  let dir: string | null = null;
  let adminUrl: string;
  if (process.env.DATABASE_URL) {
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = '/postgres';
    adminUrl = u.toString();
  } else {
    dir = await mkdtemp(path.join(tmpdir(), 'handy-test-'));
    embedded = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), throwaway: true });
    adminUrl = embedded.url('postgres');
  }
  const template = `handy_template_${process.pid}`;
  const admin = connect(adminUrl, 2);
  await admin.pool.query(`drop database if exists ${template}`);
  await admin.close();
  await ensureDatabase(adminUrl, template);
  const u = new URL(adminUrl);
  u.pathname = `/${template}`;
  const tpl = connect(u.toString(), 2);
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
    await embedded?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  };
}
