import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema.js';

export type Db = NodePgDatabase<typeof schema>;
/** A transaction handle; it has the same query API as Db. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything that can run a query: the pool-backed Db or an open transaction. */
export type Queryable = Db | Tx;

// DATE columns stay 'YYYY-MM-DD' strings: a JS Date would shift them across time zones.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
// int8 (count(*)) as number: our counts are far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Database = { db: Db; pool: pg.Pool; close: () => Promise<void> };

export function connect(url: string, max = 20, onError: (err: Error) => void = () => {}): Database {
  // A bounded wait for a connection: with the database gone, requests fail fast (503) instead of queueing.
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 5000 });
  // A client erroring (server restart, pg_terminate_backend) must not crash the process. The pool
  // only listens on idle clients; a checked-out one emits 'error' with no listener, which Node
  // turns into an uncaught exception, so every client gets one for life. Its query fails on its
  // own, and on release the pool discards the broken client and later connects afresh.
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  const db = drizzle(pool, { schema, casing: 'snake_case' });
  return { db, pool, close: () => pool.end() };
}
