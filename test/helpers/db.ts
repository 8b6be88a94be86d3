import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { connect, type Database } from '../../src/db/client.js';

export type TestDatabase = Database & { url: string; name: string; drop: () => Promise<void> };

/** A fresh database cloned from the migrated template: fast, and isolated per test file. */
export async function createTestDatabase(poolMax = 20): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const name = `handy_test_${randomBytes(6).toString('hex')}`;
  const admin = connect(adminUrl, 1);
  await admin.pool.query(`create database ${name} template ${inject('templateDatabase')}`);
  await admin.close();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const database = connect(u.toString(), poolMax);
  return {
    ...database,
    url: u.toString(),
    name,
    drop: async () => {
      await database.close();
      const a = connect(adminUrl, 1);
      await a.pool.query(`drop database if exists ${name} with (force)`);
      await a.close();
    },
  };
}
