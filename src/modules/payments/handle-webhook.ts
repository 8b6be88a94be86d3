import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { transactionWithRetry } from '../../db/retry.js';
import { bookingRules, type Slot } from '../availability/index.js';
import { checkoutInTx } from '../bookings/index.js';
import { AppError, statusOf } from '../../shared/errors.js';
import { slotClaims } from '../bookings/schema.js';
import type { Config } from '../../config.js';
import { loadJobSpec } from '../jobs/index.js';
import { moveLeadAlong, moveLeadIfIn } from '../leads/index.js';
import { leads } from '../leads/schema.js';
import { alertStaff, links, messagingBaseUrl } from '../notifications/index.js';
import { quotes } from '../quotes/schema.js';
import type { PaymentGateway, ProviderEvent } from './gateway.js';
import { executeRefund, recordRefund } from './refunds.js';
import { payments, webhookEvents } from './schema.js';

type Payment = typeof payments.$inferSelect;
export type WebhookOutcome = 'duplicate' | 'ignored' | 'unknown_payment' | 'booked' | 'already_booked' | 'refunded_no_slot' | 'released' | 'stale';

async function releaseHoldOf(tx: Tx, p: Payment, now: Date) {
  await tx.delete(slotClaims).where(and(eq(slotClaims.jobId, p.jobId), eq(slotClaims.sessionId, p.sessionId), eq(slotClaims.kind, 'hold')));
  if (!p.quoteId) return;
  const [lead] = await tx.select({ id: leads.id }).from(leads).where(eq(leads.jobId, p.jobId));
  if (lead) await moveLeadIfIn(tx, lead.id, ['slot_held'], { to: 'quote_viewed', actor: 'system', reason: 'payment did not go through', now });
}

/** A successful payment books the held slot; after expiry, any eligible contractor for the same slot. */
async function bookPaid(tx: Tx, p: Payment, config: Config, now: Date): Promise<{ outcome: WebhookOutcome; refundId?: string }> {
  const spec = { ...(await loadJobSpec(tx, p.jobId)), jobId: p.jobId };
  const settings = { rules: bookingRules(config), ttlSeconds: config.HOLD_TTL_SECONDS, now };
  try {
    const { booking, replayed } = await checkoutInTx(tx, spec, p.sessionId, settings, { date: p.date, slot: p.slot as Slot }, {
      quoteId: p.quoteId!,
      depositPence: p.amountPence,
      paid: true,
      onBooked: async (t, b) => {
        await t.update(quotes).set({ acceptedAt: now }).where(eq(quotes.id, p.quoteId!));
        const [lead] = await t.select({ id: leads.id }).from(leads).where(eq(leads.jobId, p.jobId));
        if (lead) await moveLeadAlong(t, lead.id, ['quote_viewed', 'slot_held', 'booked', 'assigned'], { actor: 'system', reason: `paid, booking ${b.id}`, now });
      },
    });
    await tx.update(payments).set({ status: 'succeeded', bookingId: booking.id, updatedAt: now }).where(eq(payments.id, p.id));
    return { outcome: replayed ? 'already_booked' : 'booked' };
  } catch (err) {
    if (!(err instanceof AppError) || statusOf(err) !== 409) throw err;
    // Paid, but the slot has gone to someone else: never a double booking. Staff are told and
    // the deposit goes back.
    await tx.update(payments).set({ status: 'succeeded', flag: `slot unavailable after payment: ${err.code}`, updatedAt: now }).where(eq(payments.id, p.id));
    const refund = await recordRefund(tx, { ...p, status: 'succeeded' }, p.amountPence, 'Paid after the slot was no longer available');
    await alertStaff(tx, 'paid_without_slot', { paymentId: p.id, jobId: p.jobId, date: p.date, slot: p.slot, paymentsUrl: links.staffPayments(messagingBaseUrl()) }, `payment:${p.id}`);
    return { outcome: 'refunded_no_slot', refundId: refund?.id };
  }
}

/**
 * A verified provider event, processed once: the event id is recorded in the same transaction
 * as its effect, so a replay or duplicate changes nothing. Events may arrive out of order; a
 * payment only moves forward (a failure after a success is ignored; a success after a failure
 * books if the slot can still be had, else refunds).
 */
export async function handleProviderEvent(db: Db, gateway: PaymentGateway | null, event: ProviderEvent, config: Config, now: Date) {
  // Database work only (Stripe is called after commit), so an aborted attempt is run again whole.
  const result = await transactionWithRetry(db, async (tx) => {
    const [recorded] = await tx.insert(webhookEvents).values({ id: event.id, type: event.type, payload: event, receivedAt: now }).onConflictDoNothing().returning();
    if (!recorded) return { outcome: 'duplicate' as WebhookOutcome };
    const intentId = event.data?.object?.id;
    const [p] = intentId ? await tx.select().from(payments).where(eq(payments.providerRef, intentId)).for('update') : [];
    let r: { outcome: WebhookOutcome; refundId?: string };
    if (!p) r = { outcome: 'unknown_payment' };
    else if (event.type === 'payment_intent.succeeded') {
      r = p.status === 'succeeded' || p.status === 'refunded' ? { outcome: 'stale' } : await bookPaid(tx, p, config, now);
    } else if (event.type === 'payment_intent.payment_failed' || event.type === 'payment_intent.canceled') {
      if (p.status === 'requires_payment') {
        await tx.update(payments).set({ status: event.type === 'payment_intent.canceled' ? 'cancelled' : 'failed', updatedAt: now }).where(eq(payments.id, p.id));
        await releaseHoldOf(tx, p, now);
        r = { outcome: 'released' };
      } else r = { outcome: 'stale' };
    } else r = { outcome: 'ignored' };
    await tx.update(webhookEvents).set({ outcome: r.outcome, paymentId: p?.id ?? null }).where(eq(webhookEvents.id, event.id));
    return r;
  });
  if (result.refundId) await executeRefund(db, gateway, result.refundId);
  return result.outcome;
}
