import { and, asc, eq, gt, ne, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { slotClaims } from './schema.js';

/**
 * Serialises everything a customer link (one job) does that counts against its limits: holds
 * and waitlist entries. A transaction-scoped advisory lock on the job (the same key handy_hold
 * takes), so two sessions of one link can never both see room for one more. Not a row lock on
 * the job: that would write the job's row on every hold.
 */
export async function lockLink(tx: Queryable, jobId: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`link:${jobId}`}))`);
}

/**
 * SPEC "Limits per customer link": one link holds at most `max` slots across its sessions. Before
 * another session's hold is taken, the link's oldest live holds are released to make room (so a
 * loop with fresh session ids never holds more than `max`). Call with the link locked.
 */
export async function makeRoomForHold(tx: Queryable, jobId: string, sessionId: string, now: Date, max: number) {
  // Counted per session: a mixed-trade hold is one claim per visit but one held slot.
  const live = await tx
    .select({ sessionId: slotClaims.sessionId, since: sql<Date>`min(${slotClaims.createdAt})` })
    .from(slotClaims)
    .where(
      and(eq(slotClaims.jobId, jobId), eq(slotClaims.kind, 'hold'), ne(slotClaims.sessionId, sessionId), gt(slotClaims.expiresAt, now)),
    )
    .groupBy(slotClaims.sessionId)
    .orderBy(sql`min(${slotClaims.createdAt})`, asc(slotClaims.sessionId));
  const excess = Math.max(0, live.length - (max - 1));
  for (const h of live.slice(0, excess)) {
    await tx
      .delete(slotClaims)
      .where(and(eq(slotClaims.jobId, jobId), eq(slotClaims.kind, 'hold'), eq(slotClaims.sessionId, h.sessionId!)));
  }
  return excess;
}
