import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { AppError } from '../../shared/errors.js';
import type { Slot } from '../availability/index.js';
import { assertJobNotBooked } from '../bookings/index.js';
import type { ScoredCandidate } from '../matching/index.js';
import { notifyOffer } from './notify.js';
import { offers, urgentDispatches } from './schema.js';

/**
 * A customer asks one contractor directly: a request offer in that contractor's queue, open for
 * `ttlMinutes`, on the job's live dispatch (one is opened if there is none). One transaction; the
 * offer reaches the contractor's app by NOTIFY when it commits. 409 when the job already has a
 * contractor or this one was already asked.
 */
export async function requestContractor(
  db: Db,
  jobId: string,
  slot: { date: string; slot: Slot },
  chosen: ScoredCandidate,
  ttlMinutes: number,
  now: Date,
) {
  return db.transaction(async (tx) => {
    const [live] = await tx
      .select()
      .from(urgentDispatches)
      .where(and(eq(urgentDispatches.jobId, jobId), inArray(urgentDispatches.status, ['targeted', 'broadcast'])))
      .for('update');
    await assertJobNotBooked(tx, jobId);
    const dispatch =
      live ??
      (
        await tx
          .insert(urgentDispatches)
          .values({ jobId, date: slot.date, slot: slot.slot, status: 'targeted', createdAt: now })
          .returning()
      )[0]!;
    const [o] = await tx
      .insert(offers)
      .values({
        dispatchId: dispatch.id,
        kind: 'request',
        contractorId: chosen.contractorId,
        priority: 'normal',
        matchScore: chosen.matchScore,
        reasons: chosen.reasons,
        expiresAt: new Date(now.getTime() + ttlMinutes * 60_000),
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!o) throw new AppError('ALREADY_REQUESTED', 'You have already asked this contractor', null);
    await notifyOffer(tx, { type: 'offer.new', offerId: o.id, contractorId: o.contractorId });
    return o;
  });
}
