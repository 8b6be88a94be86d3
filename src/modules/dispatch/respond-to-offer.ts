import { and, eq, ne } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { AppError, forbidden, notFound } from '../../shared/errors.js';
import { contractors } from '../contractors/schema.js';
import { advanceDispatch } from './advance-dispatch.js';
import { notifyOffer } from './notify.js';
import { offerRecipients, offers, urgentDispatches } from './schema.js';
import type { DispatchDeps } from './start-dispatch.js';

type Offer = typeof offers.$inferSelect;

/** Checks that this contractor may answer this offer now; throws the precise refusal otherwise. */
async function lockAnswerable(tx: Tx, offerId: string, contractorId: string, now: Date) {
  const [offer] = await tx.select().from(offers).where(eq(offers.id, offerId)).for('update');
  if (!offer) throw notFound('Offer', { id: offerId });
  if (offer.kind === 'broadcast') {
    const [r] = await tx
      .select()
      .from(offerRecipients)
      .where(and(eq(offerRecipients.offerId, offerId), eq(offerRecipients.contractorId, contractorId)));
    if (!r) throw forbidden('This broadcast was not sent to you');
    if (r.declinedAt) throw new AppError('OFFER_DECLINED', 'You declined this offer', null);
  } else if (offer.contractorId !== contractorId) {
    throw forbidden('This offer is for another contractor');
  }
  const [me] = await tx
    .select({ isActive: contractors.isActive, onShift: contractors.onShift })
    .from(contractors)
    .where(eq(contractors.id, contractorId));
  if (!me?.isActive) throw new AppError('CONTRACTOR_INACTIVE', 'An inactive contractor cannot take offers', null);
  if (!me.onShift) throw new AppError('OFF_SHIFT', 'Clock in to take offers', null);
  if (offer.status !== 'offered')
    throw new AppError(`OFFER_${offer.status.toUpperCase() as Uppercase<typeof offer.status>}`, `This offer is ${offer.status}`, {
      status: offer.status,
    });
  if (offer.expiresAt <= now) throw new AppError('OFFER_EXPIRED', 'This offer has expired', { expiresAt: offer.expiresAt });
  return offer;
}

/**
 * The offer this contractor may accept now, and its dispatch, both locked (the offer row lock
 * serialises accepts); 409 ALREADY_TAKEN when the dispatch is no longer open. The urgent accept
 * flow (src/flows/accept-urgent-offer.ts) then books the slot.
 */
export async function lockAcceptable(tx: Tx, offerId: string, contractorId: string, now: Date) {
  const offer = await lockAnswerable(tx, offerId, contractorId, now);
  const [dispatch] = await tx.select().from(urgentDispatches).where(eq(urgentDispatches.id, offer.dispatchId)).for('update');
  if (!dispatch || (dispatch.status !== 'targeted' && dispatch.status !== 'broadcast')) {
    throw new AppError('ALREADY_TAKEN', 'Someone else has taken this job', { status: dispatch?.status });
  }
  return { offer, dispatch };
}

/** The winner's offer is accepted, every other open one withdrawn and the dispatch assigned; apps hear of it by NOTIFY at commit. */
export async function closeDispatchFor(tx: Tx, offer: Offer, dispatchId: string, contractorId: string, bookingId: string, now: Date) {
  await tx.update(offers).set({ status: 'accepted', respondedAt: now, acceptedBy: contractorId }).where(eq(offers.id, offer.id));
  const withdrawn = await tx
    .update(offers)
    .set({ status: 'withdrawn', respondedAt: now })
    .where(and(eq(offers.dispatchId, dispatchId), ne(offers.id, offer.id), eq(offers.status, 'offered')))
    .returning();
  await tx
    .update(urgentDispatches)
    .set({ status: 'assigned', assignedContractorId: contractorId, bookingId })
    .where(eq(urgentDispatches.id, dispatchId));
  await notifyOffer(tx, { type: 'offer.accepted', offerId: offer.id, contractorId: offer.contractorId });
  for (const w of withdrawn) await notifyOffer(tx, { type: 'offer.withdrawn', offerId: w.id, contractorId: w.contractorId });
  return { ...offer, status: 'accepted' as const };
}

/** A decline; when it was the last open targeted offer the broadcast opens. */
export async function declineOffer(db: Db, offerId: string, contractorId: string, reason: string | null, d: DispatchDeps): Promise<Offer> {
  return db.transaction(async (tx) => {
    const offer = await lockAnswerable(tx, offerId, contractorId, d.now);
    if (offer.kind === 'broadcast') {
      await tx
        .update(offerRecipients)
        .set({ declinedAt: d.now, declineReason: reason })
        .where(and(eq(offerRecipients.offerId, offerId), eq(offerRecipients.contractorId, contractorId)));
      await notifyOffer(tx, { type: 'offer.withdrawn', offerId, contractorId });
      return offer;
    }
    const [updated] = await tx
      .update(offers)
      .set({ status: 'declined', respondedAt: d.now, declineReason: reason })
      .where(eq(offers.id, offerId))
      .returning();
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
    if (dispatch.status === 'assigned')
      throw new AppError('ALREADY_ASSIGNED', 'This dispatch has been accepted; cancel the booking instead', {
        bookingId: dispatch.bookingId,
      });
    const withdrawn = await tx
      .update(offers)
      .set({ status: 'withdrawn', respondedAt: d.now })
      .where(and(eq(offers.dispatchId, dispatchId), eq(offers.status, 'offered')))
      .returning();
    await tx.update(urgentDispatches).set({ status: 'cancelled' }).where(eq(urgentDispatches.id, dispatchId));
    for (const w of withdrawn) await notifyOffer(tx, { type: 'offer.withdrawn', offerId: w.id, contractorId: w.contractorId });
    return { withdrawn: withdrawn.length };
  });
}
