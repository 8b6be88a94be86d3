import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { hashToken, newToken } from '../../shared/tokens.js';
import type { Principal } from './principal.js';
import { userSessions, users } from './schema.js';

export async function createSession(db: Queryable, userId: string, ttlHours: number) {
  const token = newToken();
  const expiresAt = new Date(Date.now() + ttlHours * 3_600_000);
  await db.insert(userSessions).values({ tokenHash: hashToken(token), userId, expiresAt });
  // Opportunistic clean-up of this user's dead sessions keeps the table small without a job.
  await db.delete(userSessions).where(and(eq(userSessions.userId, userId), lt(userSessions.expiresAt, sql`now()`)));
  return { token, expiresAt };
}

export async function resolveSession(db: Queryable, token: string): Promise<Principal | null> {
  const [row] = await db
    .select({ userId: users.id, role: users.role, contractorId: users.contractorId, name: users.name })
    .from(userSessions)
    .innerJoin(users, eq(users.id, userSessions.userId))
    .where(and(eq(userSessions.tokenHash, hashToken(token)), gt(userSessions.expiresAt, sql`now()`), eq(users.isActive, true)));
  return row ?? null;
}

/** Processes holding live streams for a sign-in LISTEN here and end them when it ends. */
export const SESSION_ENDED_CHANNEL = 'handy_session_ended';

export async function endSession(db: Queryable, token: string): Promise<void> {
  await db.delete(userSessions).where(eq(userSessions.tokenHash, hashToken(token)));
  await db.execute(sql`select pg_notify(${SESSION_ENDED_CHANNEL}, ${hashToken(token)})`);
}
