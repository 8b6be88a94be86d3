import { and, eq, gt, lt, ne, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { hashToken, newToken } from '../../shared/tokens.js';
import type { Principal } from './principal.js';
import { userSessions, users } from './schema.js';

export async function createSession(db: Queryable, userId: string, ttlHours: number, opts: { mfaEnrolmentOnly?: boolean } = {}) {
  const token = newToken();
  const expiresAt = new Date(Date.now() + ttlHours * 3_600_000);
  await db
    .insert(userSessions)
    .values({ tokenHash: hashToken(token), userId, expiresAt, mfaEnrolmentOnly: opts.mfaEnrolmentOnly ?? false });
  // Opportunistic clean-up of this user's dead sessions keeps the table small without a job.
  await db.delete(userSessions).where(and(eq(userSessions.userId, userId), lt(userSessions.expiresAt, sql`now()`)));
  return { token, expiresAt };
}

export type ResolvedSession = Principal & { mfaEnrolmentOnly: boolean };

/**
 * The user behind a session token, if the session is within both its absolute lifetime and its
 * idle timeout and the user is active. Use moves the idle clock (written at most once a minute).
 */
export async function resolveSession(db: Queryable, token: string, idleMinutes = 480): Promise<ResolvedSession | null> {
  const tokenHash = hashToken(token);
  const [row] = await db
    .select({
      userId: users.id,
      role: users.role,
      contractorId: users.contractorId,
      name: users.name,
      mfaEnrolmentOnly: userSessions.mfaEnrolmentOnly,
      lastSeenAt: userSessions.lastSeenAt,
    })
    .from(userSessions)
    .innerJoin(users, eq(users.id, userSessions.userId))
    .where(
      and(
        eq(userSessions.tokenHash, tokenHash),
        gt(userSessions.expiresAt, sql`now()`),
        gt(userSessions.lastSeenAt, sql`now() - make_interval(mins => ${idleMinutes})`),
        eq(users.isActive, true),
      ),
    );
  if (!row) return null;
  if (Date.now() - row.lastSeenAt.getTime() > 60_000) {
    await db
      .update(userSessions)
      .set({ lastSeenAt: sql`now()` })
      .where(eq(userSessions.tokenHash, tokenHash));
  }
  const { lastSeenAt: _seen, ...principal } = row;
  return principal;
}

/** Processes holding live streams for a sign-in LISTEN here and end them when it ends. */
export const SESSION_ENDED_CHANNEL = 'handy_session_ended';

export async function endSession(db: Queryable, token: string): Promise<void> {
  await db.delete(userSessions).where(eq(userSessions.tokenHash, hashToken(token)));
  await db.execute(sql`select pg_notify(${SESSION_ENDED_CHANNEL}, ${hashToken(token)})`);
}

/** Ends every session of a user, or every one but the caller's own (after a password change). */
export async function endUserSessions(db: Queryable, userId: string, keepToken?: string): Promise<number> {
  const rows = await db
    .delete(userSessions)
    .where(and(eq(userSessions.userId, userId), keepToken ? ne(userSessions.tokenHash, hashToken(keepToken)) : undefined))
    .returning({ h: userSessions.tokenHash });
  return rows.length;
}
