import type pg from 'pg';
import { RateLimiterPostgres } from 'rate-limiter-flexible';

export type ThrottleSettings = {
  perAccount: number;
  perIp: number;
  windowSeconds: number;
  blockSeconds: number;
  maxBlockSeconds: number;
};

/** Wait this long before trying again (sign-in refused without looking at the password). */
export type Verdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

// The table comes from our migrations (the app role may not create tables). One limiter per app
// sweeps rows expired over an hour ago every five minutes (an unref'd timer), for every prefix.
const limiter = (pool: pg.Pool, keyPrefix: string, points: number, duration: number, sweep = false) =>
  new RateLimiterPostgres({
    storeClient: pool,
    storeType: 'pool',
    tableName: 'rate_limits',
    tableCreated: true,
    clearExpiredByTimeout: sweep,
    keyPrefix,
    points,
    duration,
  });

/**
 * Wrong passwords counted per account and per client IP in PostgreSQL (rate-limiter-flexible),
 * so every process sees the same counts. Past the limit the key is blocked; each further block
 * within a day lasts twice as long (exponential back-off, capped). While blocked, sign-in answers
 * 429 before the password is even checked, so the right password waits too.
 */
export class LoginThrottle {
  private readonly account: RateLimiterPostgres;
  private readonly ip: RateLimiterPostgres;
  /** How many times a key was blocked in the last day: the exponent of the next block. */
  private readonly blockCount: RateLimiterPostgres;
  /** A present key is blocked until it expires. */
  private readonly blocked: RateLimiterPostgres;

  constructor(
    pool: pg.Pool,
    private readonly s: ThrottleSettings,
  ) {
    this.account = limiter(pool, 'login_account', s.perAccount, s.windowSeconds, true);
    this.ip = limiter(pool, 'login_ip', s.perIp, s.windowSeconds);
    this.blockCount = limiter(pool, 'login_blocks', 1_000_000, 86_400);
    this.blocked = limiter(pool, 'login_blocked', 1, s.maxBlockSeconds);
  }

  private keys(email: string, ip: string) {
    return [
      { rl: this.account, key: `account:${email.trim().toLowerCase()}` },
      { rl: this.ip, key: `ip:${ip}` },
    ];
  }

  /** Before checking the password: is either key blocked, or has it just reached its limit? */
  async check(email: string, ip: string): Promise<Verdict> {
    let waitMs = 0;
    for (const { rl, key } of this.keys(email, ip)) {
      const block = await this.blocked.get(key);
      if (block && block.msBeforeNext > 0) {
        waitMs = Math.max(waitMs, block.msBeforeNext);
        continue;
      }
      const count = await rl.get(key);
      if (count && count.consumedPoints >= rl.points) waitMs = Math.max(waitMs, await this.block(rl, key));
    }
    return waitMs > 0 ? { allowed: false, retryAfterSeconds: Math.ceil(waitMs / 1000) } : { allowed: true };
  }

  private async block(rl: RateLimiterPostgres, key: string): Promise<number> {
    const n = (await this.blockCount.penalty(key, 1)).consumedPoints;
    const seconds = Math.min(this.s.blockSeconds * 2 ** Math.min(n - 1, 30), this.s.maxBlockSeconds);
    await this.blocked.set(key, 1, seconds);
    // After the block the count starts again; the next block (within a day) lasts twice as long.
    await rl.delete(key);
    return seconds * 1000;
  }

  /** A wrong password (or an unknown account) counts against both keys. */
  async failed(email: string, ip: string): Promise<void> {
    for (const { rl, key } of this.keys(email, ip)) await rl.penalty(key, 1);
  }

  /** A successful sign-in clears the account's count (the IP's stays: one IP, many accounts). */
  async succeeded(email: string, ip: string): Promise<void> {
    await this.account.delete(this.keys(email, ip)[0]!.key);
  }
}
