import { setTimeout as sleep } from 'node:timers/promises';
import type { Db, Tx } from './client.js';
import { isRetryableTxError, pgErrorOf } from './errors.js';

type Log = { warn: (obj: object, msg: string) => void };
let log: Log | null = null;

/** Where retries are reported (the app's logger); silent until set. */
export function setRetryLog(l: Log | null): void {
  log = l;
}

/** Transactions retried, by SQLSTATE, since start: the load test and /ready read these. */
export const retryCounts: Record<string, number> = {};

/**
 * Runs `work` in a transaction and runs the whole transaction again when PostgreSQL aborted it
 * for a deadlock, a serialization failure or a NOWAIT lock (see RETRYABLE_SQLSTATES): nothing of
 * the failed attempt was committed, so starting over is always correct. Attempts are bounded and
 * spaced by a short random back-off so the contenders do not collide again in lock-step; the
 * last failure is rethrown (the HTTP layer answers it with 503 and Retry-After).
 * `work` must not have effects outside the database (no HTTP calls, no files): it may run twice.
 */
export async function transactionWithRetry<T>(db: Db, work: (tx: Tx) => Promise<T>, opts: { attempts?: number } = {}): Promise<T> {
  const attempts = opts.attempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (err) {
      if (attempt >= attempts || !isRetryableTxError(err)) throw err;
      const code = pgErrorOf(err)!.code;
      retryCounts[code] = (retryCounts[code] ?? 0) + 1;
      log?.warn({ sqlstate: code, attempt }, 'transaction aborted by the database; retrying');
      await sleep(Math.random() * 15 * 2 ** attempt);
    }
  }
}
