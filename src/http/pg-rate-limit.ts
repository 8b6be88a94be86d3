import type pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Db } from '../db/client.js';
import { AppError } from '../shared/errors.js';

/** drizzle keeps the pg pool it was built on; the limiters talk to it directly. */
export const poolOf = (db: Db) => (db as unknown as { $client: pg.Pool }).$client;

/**
 * A fixed-window limit kept in PostgreSQL (rate-limiter-flexible's RateLimiterPostgres on our
 * rate_limits table), so every process counts together. `take` uses one point or throws 429.
 */
export function pgLimit(db: Db, keyPrefix: string, points: number, seconds: number, what: string) {
  const rl = new RateLimiterPostgres({
    storeClient: poolOf(db),
    storeType: 'pool',
    tableName: 'rate_limits',
    tableCreated: true,
    clearExpiredByTimeout: false,
    keyPrefix,
    points,
    duration: seconds,
  });
  return {
    async take(key: string): Promise<void> {
      try {
        await rl.consume(key, 1);
      } catch (e) {
        if (!(e instanceof RateLimiterRes)) throw e;
        const retryAfterSeconds = Math.ceil(e.msBeforeNext / 1000);
        throw new AppError('RATE_LIMITED', `Too many ${what}; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
      }
    },
  };
}
