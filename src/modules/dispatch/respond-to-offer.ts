import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { transactionWithRetry } from '../../db/retry.js';
import { ACTIVE_BOOKING_STATUSES, bookingRules, slotInstants, urgentSlot } from '../availability/index.js';
import { claimSlot, contractorHasCapacity, recordBooking } from '../bookings/index.js';
import { AppError, forbidden, notFound } from '../../shared/errors.js';
import { jobMatchingHistory } from '../bookings/schema.js';
import { contractors } from '../contractors/schema.js';
import { moveLeadIfIn } from '../leads/index.js';
import { advanceDispatch } from './advance-dispatch.js';
import { notifyOffer } from './notify.js';
import { offerRecipients, offers, urgentDispatches } from './schema.js';
import type { DispatchDeps } from './start-dispatch.js';

type Offer = typeof offers.$inferSelect;

/** Checks that this contractor may answer this offer now; throws the precise refusal otherwise. */
async function lockAnswerable(tx: Parameters<Parameters<Db['transaction']>[0]>[0], offerId: string, contractorId: string, now: Date) {
  const [offer] = await tx.select().from(offers).where(eq(offers.id, offerId)).for('update');
  if (!offer) throw notFound('Offer', { id: offerId });
  if (offer.kind === 'broadcast') {
    const [r] = await tx.select().from(offerRecipients).where(and(eq(offerRecipients.offerId, offerId), eq(offerRecipients.contractorId, contractorId)));
    if (!r) throw forbidden('This broadcast was not sent to you');
    if (r.declinedAt) throw new AppError('OFFER_DECLINED', 'You declined this offer', null);
  } else if (offer.contractorId !== contractorId) {
    throw forbidden('This offer is for another contractor');
  }
  const [me] = await tx.select({ isActive: contractors.isActive, onShift: contractors.onShift }).from(contractors).where(eq(contractors.id, contractorId));
  if (!me?.isActive) throw new AppError('CONTRACTOR_INACTIVE', 'An inactive contractor cannot take offers', null);
  if (!me.onShift) throw new AppError('OFF_SHIFT', 'Clock in to take offers', null);
  if (offer.status !== 'offered') throw new AppError(`OFFER_${offer.status.toUpperCase() as Uppercase<typeof offer.status>}`, `This offer is ${offer.status}`, { status: offer.status });
  if (offer.expiresAt <= now) throw new AppError('OFFER_EXPIRED', 'This offer has expired', { expiresAt: offer.expiresAt });
  return offer;
}

/**
 * The first accept wins: the offer row lock serialises accepts, the dispatch must still be open,
 * and the contractor's slot is claimed through the same UNIQUE guard as every booking. The job
 * is booked to the winner and every other open offer for it is withdrawn, in one transaction.
 */
export async function acceptOffer(db: Db, offerId: string, contractorId: string, d: DispatchDeps) {
  // All database work (the NOTIFY too), so a transaction aborted by a deadlock is simply run again.
  return transactionWithRetry(db, async (tx) => {
    const offer = await lockAnswerable(tx, offerId, contractorId, d.now);
    const [dispatch] = await tx.select().from(urgentDispatches).where(eq(urgentDispatches.id, offer.dispatchId)).for('update');
    if (!dispatch || (dispatch.status !== 'targeted' && dispatch.status !== 'broadcast')) {
      throw new AppError('ALREADY_TAKEN', 'Someone else has taken this job', { status: dispatch?.status });
    }
    // The slot claim before the contractor lock, the order every booking path keeps (see contractorHasCapacity).
    const claim = await claimSlot(tx, { kind: 'booking', contractorId, date: dispatch.date, slot: dispatch.slot, jobId: dispatch.jobId, now: d.now });
    if (!claim) throw new AppError('SLOT_CONFLICT', 'You are already booked in this slot', { date: dispatch.date, slot: dispatch.slot });
    if (!(await contractorHasCapacity(tx, contractorId, dispatch.date)).ok) throw new AppError('CONTRACTOR_AT_CAPACITY', `You have as many open jobs on ${dispatch.date} as you can take`, { date: dispatch.date });
    const rules = bookingRules(d.config);
    // Urgent work starts now when the dispatch's slot is the current one; an accept that comes
    // after that slot ended keeps the dispatch's own window rather than another slot's times.
    const slot = urgentSlot(d.now, rules);
    const instants = slot.date === dispatch.date && slot.slot === dispatch.slot ? slot : slotInstants(dispatch.date, dispatch.slot, rules);
    // The two-hour minimum can run into the contractor's next slot: a clear 409, not the EXCLUDE constraint's error.
    const clash = await tx.execute(sql`select 1 from bookings where contractor_id = ${contractorId} and status in ${ACTIVE_BOOKING_STATUSES}
                                       and tstzrange(starts_at, ends_at) && tstzrange(${instants.startsAt.toISOString()}::timestamptz, ${instants.endsAt.toISOString()}::timestamptz)`);
    if (clash.rows.length) throw new AppError('SLOT_CONFLICT', 'You have another booking in that time', { date: dispatch.date, slot: dispatch.slot });
    const booking = await recordBooking(tx, claim, {
      status: 'confirmed', source: 'dispatch', actor: `contractor:${contractorId}`, rules, now: d.now, candidates: [],
      instants: { startsAt: instants.startsAt, endsAt: instants.endsAt },
    });
    await tx.update(offers).set({ status: 'accepted', respondedAt: d.now, acceptedBy: contractorId }).where(eq(offers.id, offer.id));
    const withdrawn = await tx
      .update(offers)
      .set({ status: 'withdrawn', respondedAt: d.now })
      .where(and(eq(offers.dispatchId, dispatch.id), ne(offers.id, offer.id), eq(offers.status, 'offered')))
      .returning();
    await tx.update(urgentDispatches).set({ status: 'assigned', assignedContractorId: contractorId, bookingId: booking.id }).where(eq(urgentDispatches.id, dispatch.id));
    // The scored candidates written at dispatch time now belong to this booking.
    await tx.execute(sql`update job_matching_history set booking_id = ${booking.id}, was_selected = (contractor_id = ${contractorId})
                         where job_id = ${dispatch.jobId} and booking_id is null`);
    const [selected] = await tx.select({ id: jobMatchingHistory.id }).from(jobMatchingHistory).where(and(eq(jobMatchingHistory.bookingId, booking.id), eq(jobMatchingHistory.wasSelected, true)));
    if (!selected) {
      await tx.insert(jobMatchingHistory).values({ bookingId: booking.id, jobId: dispatch.jobId, contractorId, matchScore: offer.matchScore ?? 0, breakdown: {}, reasons: offer.reasons, wasSelected: true });
    }
    if (dispatch.leadId) await moveLeadIfIn(tx, dispatch.leadId, ['dispatching'], { to: 'assigned', actor: `contractor:${contractorId}`, reason: 'accepted urgent offer', now: d.now });
    await notifyOffer(tx, { type: 'offer.accepted', offerId: offer.id, contractorId: offer.contractorId });
    for (const w of withdrawn) await notifyOffer(tx, { type: 'offer.withdrawn', offerId: w.id, contractorId: w.contractorId });
    return { offer: { ...offer, status: 'accepted' as const }, booking };
  });
}

/** A decline; when it was the last open targeted offer the broadcast opens. */
export async function declineOffer(db: Db, offerId: string, contractorId: string, reason: string | null, d: DispatchDeps): Promise<Offer> {
  return db.transaction(async (tx) => {
    const offer = await lockAnswerable(tx, offerId, contractorId, d.now);
    if (offer.kind === 'broadcast') {
      await tx.update(offerRecipients).set({ declinedAt: d.now, declineReason: reason }).where(and(eq(offerRecipients.offerId, offerId), eq(offerRecipients.contractorId, contractorId)));
      await notifyOffer(tx, { type: 'offer.withdrawn', offerId, contractorId });
      return offer;
    }
    const [updated] = await tx.update(offers).set({ status: 'declined', respondedAt: d.now, declineReason: reason }).where(eq(offers.id, offerId)).returning();
    // For the staff dispatch board, which shows who declined as it happens.
    await notifyOffer(tx, { type: 'offer.declined', offerId, contractorId });
    if (offer.kind === 'targeted') await advanceDispatch(tx, offer.dispatchId, d);
    return updated!;
  });
}

/** Staff withdraw every open offer of a dispatch (job cancelled, handled by phone, ...). */
export async function cancelDispatch(db: Db, dispatchId: string, d: DispatchDeps) {
  return db.transaction(async (tx) => {
    const [dispatch] = await tx.select().from(urgentDispatches).where(eq(urgentDispatches.id, dispatchId)).for('update');
    if (!dispatch) throw notFound('Dispatch', { id: dispatchId });
    if (dispatch.status === 'assigned') throw new AppError('ALREADY_ASSIGNED', 'This dispatch has been accepted; cancel the booking instead', { bookingId: dispatch.bookingId });
    const withdrawn = await tx.update(offers).set({ status: 'withdrawn', respondedAt: d.now }).where(and(eq(offers.dispatchId, dispatchId), eq(offers.status, 'offered'))).returning();
    await tx.update(urgentDispatches).set({ status: 'cancelled' }).where(eq(urgentDispatches.id, dispatchId));
    for (const w of withdrawn) await notifyOffer(tx, { type: 'offer.withdrawn', offerId: w.id, contractorId: w.contractorId });
    return { withdrawn: withdrawn.length };
  });
}

