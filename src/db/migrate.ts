import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { Database } from './client.js';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../drizzle');

/**
 * Applies the committed SQL migrations in order. An advisory lock held on a separate connection
 * lets several processes start at once without racing through the same migration.
 */
export async function runMigrations({ db, pool }: Database): Promise<void> {
  const lock = await pool.connect();
  try {
    await lock.query(`select pg_advisory_lock(hashtext('handy:migrations'))`);
    await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await lock.query(`select pg_advisory_unlock(hashtext('handy:migrations'))`).catch(() => {});
    lock.release();
  }
}
