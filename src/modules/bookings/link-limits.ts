import { and, asc, eq, gt, ne, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { slotClaims } from './schema.js';

/**
 * Serialises everything a customer link (one job) does that counts against its limits: holds
 * and waitlist entries. A row lock on the job, taken inside the caller's transaction, so two
 * sessions of one link can never both see room for one more.
 */
export async function lockLink(tx: Queryable, jobId: string) {
  await tx.execute(sql`select id from jobs where id = ${jobId} for update`);
}

/**
 * SPEC "Limits per customer link": one link holds at most `max` slots across its sessions. Before
 * another session's hold is taken, the link's oldest live holds are released to make room (so a
 * loop with fresh session ids never holds more than `max`). Call with the link locked.
 */
export async function makeRoomForHold(tx: Queryable, jobId: string, sessionId: string, now: Date, max: number) {
  const live = await tx
    .select({ id: slotClaims.id })
    .from(slotClaims)
    .where(and(eq(slotClaims.jobId, jobId), eq(slotClaims.kind, 'hold'), ne(slotClaims.sessionId, sessionId), gt(slotClaims.expiresAt, now)))
    .orderBy(asc(slotClaims.createdAt), asc(slotClaims.id));
  const excess = live.length - (max - 1);
  for (const h of live.slice(0, Math.max(0, excess))) await tx.delete(slotClaims).where(eq(slotClaims.id, h.id));
  return Math.max(0, excess);
}
