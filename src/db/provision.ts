import pg from 'pg';
import type { Config } from '../config.js';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded.js';

/** Creates a database on a server if it is missing (CREATE DATABASE has no IF NOT EXISTS). */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`create database "${name.replace(/"/g, '""')}"`);
  } catch (err) {
    // Another process may have created it between the check and the create.
    if ((err as { code?: string }).code !== '42P04') throw err;
  } finally {
    await client.end();
  }
}

/**
 * The database the product runs on: DATABASE_URL when set, else an embedded PostgreSQL whose
 * cluster lives under DATA_DIR/pg and persists across restarts.
 */
export async function provisionDatabase(
  config: Config,
  log: (m: string) => void,
  notice: (m: string) => void = log,
): Promise<{ url: string; embedded: EmbeddedServer | null }> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, embedded: null };
  log(`starting embedded PostgreSQL in ${config.DATA_DIR}/pg on port ${config.EMBEDDED_PG_PORT}`);
  const embedded = await startEmbeddedPostgres({
    dataDir: config.DATA_DIR,
    port: config.EMBEDDED_PG_PORT,
    log,
    notice,
    restartOnExit: true,
  });
  await ensureDatabase(embedded.url('postgres'), 'handy');
  return { url: embedded.url('handy'), embedded };
}
