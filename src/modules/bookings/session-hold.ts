import { and, asc, eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { slotClaims } from './schema.js';

/** The session's hold on the job (a mixed-trade hold: its first visit's claim), expired or not; null without one. */
export async function sessionHold(tx: Queryable, jobId: string, sessionId: string) {
  const [hold] = await tx
    .select()
    .from(slotClaims)
    .where(and(eq(slotClaims.jobId, jobId), eq(slotClaims.sessionId, sessionId), eq(slotClaims.kind, 'hold')))
    .orderBy(asc(slotClaims.visit))
    .limit(1);
  return hold ?? null;
}

/** Drops the session's hold inside the caller's transaction (a payment that did not go through). */
export async function dropSessionHold(tx: Queryable, jobId: string, sessionId: string) {
  await tx.delete(slotClaims).where(and(eq(slotClaims.jobId, jobId), eq(slotClaims.sessionId, sessionId), eq(slotClaims.kind, 'hold')));
}
