/**
 * What a failed query means, whoever wrapped it. drizzle wraps the driver's error in a
 * DrizzleQueryError whose `.cause` is the pg error carrying the SQLSTATE, so every check here
 * walks the cause chain instead of reading the outer object.
 */
export type PgError = Error & { code: string; constraint?: string; detail?: string; table?: string; column?: string };

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** The PostgreSQL error (with its SQLSTATE) inside `err`, however deeply wrapped; null if none. */
export function pgErrorOf(err: unknown): PgError | null {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && SQLSTATE.test(code)) return e as PgError;
  }
  return null;
}

/**
 * Errors after which running the whole transaction again is correct: deadlock (40P01),
 * serialization failure (40001), and lock_not_available (55P03), which only our own NOWAIT
 * locks raise (no lock_timeout is configured).
 */
export const RETRYABLE_SQLSTATES = new Set(['40P01', '40001', '55P03']);

export function isRetryableTxError(err: unknown): boolean {
  const pg = pgErrorOf(err);
  return !!pg && RETRYABLE_SQLSTATES.has(pg.code);
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const CONNECTION_MESSAGES = [
  'Connection terminated',
  'connection terminated',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
  'timeout exceeded when trying to connect',
  'Connection ended unexpectedly',
];

/**
 * The database is unreachable or went away mid-query: class 08 (connection exception), 57P01-03
 * (terminated by an administrator, crash shutdown, cannot connect now), 53300 (too many
 * connections), or a socket-level error from the driver. The request can be retried later.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const pg = pgErrorOf(err);
  if (pg && (pg.code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(pg.code))) return true;
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && CONNECTION_MESSAGES.some((m) => message.includes(m))) return true;
  }
  return false;
}
