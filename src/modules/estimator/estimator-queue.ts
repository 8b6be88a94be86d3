import { and, eq, sql } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Db, Queryable } from '../../db/client.js';
import { moveLead } from '../leads/index.js';
import { AppError, forbidden, notFound } from '../../shared/errors.js';
import { leads } from '../leads/schema.js';
import { createQuote, type QuoteInput } from '../quotes/index.js';
import { estimatorQueue } from './schema.js';

/** Puts a lead in front of the estimators (lead -> estimator_queued). */
export async function queueForEstimator(tx: Queryable, leadId: string, o: { priority: number; reason: string; actor: string; now: Date }) {
  await moveLead(tx, leadId, { to: 'estimator_queued', actor: o.actor, reason: o.reason, now: o.now });
  const [item] = await tx
    .insert(estimatorQueue)
    .values({ leadId, priority: o.priority, reason: o.reason, createdAt: o.now })
    .onConflictDoNothing()
    .returning();
  if (item) return item;
  // Back in the queue after a release: the open item is reused.
  const [open] = await tx
    .select()
    .from(estimatorQueue)
    .where(and(eq(estimatorQueue.leadId, leadId), sql`${estimatorQueue.status} in ('queued','claimed')`));
  return open!;
}

/**
 * One estimator at a time: a conditional UPDATE on status = 'queued' decides concurrent claims
 * (the row lock makes the second claimer re-check and find it taken). Lead -> estimating.
 */
export async function claimItem(db: Db, itemId: string, userId: string, now: Date) {
  return db.transaction(async (tx) => {
    const [item] = await tx
      .update(estimatorQueue)
      .set({ status: 'claimed', assignedTo: userId, claimedAt: now, touchedAt: now })
      .where(and(eq(estimatorQueue.id, itemId), eq(estimatorQueue.status, 'queued')))
      .returning();
    if (!item) {
      const [existing] = await tx.select().from(estimatorQueue).where(eq(estimatorQueue.id, itemId));
      if (!existing) throw notFound('Queue item', { id: itemId });
      throw new AppError('ALREADY_CLAIMED', `This item is ${existing.status}`, {
        status: existing.status,
        assignedTo: existing.assignedTo,
      });
    }
    await moveLead(tx, item.leadId, { to: 'estimating', actor: `staff:${userId}`, reason: 'claimed', now });
    return item;
  });
}

async function lockOwned(tx: Queryable, itemId: string, userId: string, isAdmin: boolean) {
  const [item] = await tx.select().from(estimatorQueue).where(eq(estimatorQueue.id, itemId)).for('update');
  if (!item) throw notFound('Queue item', { id: itemId });
  if (item.status !== 'claimed') throw new AppError('NOT_CLAIMED', `This item is ${item.status}`, { status: item.status });
  if (item.assignedTo !== userId && !isAdmin) throw forbidden('Another estimator has claimed this item');
  return item;
}

/** Gives the item back to the queue (lead -> estimator_queued). */
export async function releaseItem(db: Db, itemId: string, userId: string, isAdmin: boolean, now: Date) {
  return db.transaction(async (tx) => {
    const item = await lockOwned(tx, itemId, userId, isAdmin);
    const [released] = await tx
      .update(estimatorQueue)
      .set({ status: 'queued', assignedTo: null, claimedAt: null, touchedAt: now, lastReminderAt: null })
      .where(eq(estimatorQueue.id, item.id))
      .returning();
    await moveLead(tx, item.leadId, { to: 'estimator_queued', actor: `staff:${userId}`, reason: 'released', now });
    return released!;
  });
}

/** Completing an item is writing its quote (created_by estimator). */
export async function completeItem(db: Db, itemId: string, userId: string, isAdmin: boolean, input: QuoteInput, config: Config, now: Date) {
  return db.transaction(async (tx) => {
    const item = await lockOwned(tx, itemId, userId, isAdmin);
    const [lead] = await tx.select().from(leads).where(eq(leads.id, item.leadId)).for('update');
    const quote = await createQuote(
      tx,
      lead!,
      input,
      { createdBy: 'estimator', userId, actor: `staff:${userId}` },
      {
        now,
        ttlHours: config.QUOTE_TTL_HOURS,
        depositPercent: config.DEFAULT_DEPOSIT_PERCENT,
      },
    );
    await tx.update(estimatorQueue).set({ status: 'completed', completedAt: now, touchedAt: now }).where(eq(estimatorQueue.id, item.id));
    return quote;
  });
}
