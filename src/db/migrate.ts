import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
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

const expected = (JSON.parse(readFileSync(path.join(MIGRATIONS_DIR, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] }).entries
  .length;

/** How many committed migrations the database has not applied (for /ready). */
export async function pendingMigrations({ db }: Pick<Database, 'db'>): Promise<number> {
  const res = await db.execute<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return Math.max(0, expected - res.rows[0]!.n);
}
