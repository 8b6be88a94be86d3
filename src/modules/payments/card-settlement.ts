import { eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { alertStaff, links, messagingBaseUrl } from '../notifications/index.js';
import type { ProviderEvent } from './gateway.js';
import { recordRefund } from './refunds.js';
import { payments, webhookEvents } from './schema.js';

type Payment = typeof payments.$inferSelect;
export type WebhookOutcome =
  'duplicate' | 'ignored' | 'unknown_payment' | 'booked' | 'already_booked' | 'refunded_no_slot' | 'released' | 'stale';

/** Records a provider event once: false when it was seen before (its effect is then already there). */
export async function recordProviderEvent(tx: Queryable, event: ProviderEvent, now: Date) {
  const [recorded] = await tx
    .insert(webhookEvents)
    .values({ id: event.id, type: event.type, payload: event, receivedAt: now })
    .onConflictDoNothing()
    .returning();
  return !!recorded;
}

/** The payment the event is about, locked for the event's effect; null for an intent we never made. */
export async function lockPaymentOfEvent(tx: Queryable, event: ProviderEvent): Promise<Payment | null> {
  const intentId = event.data?.object?.id;
  const [p] = intentId ? await tx.select().from(payments).where(eq(payments.providerRef, intentId)).for('update') : [];
  return p ?? null;
}

export async function recordEventOutcome(tx: Queryable, eventId: string, outcome: WebhookOutcome, paymentId: string | null) {
  await tx.update(webhookEvents).set({ outcome, paymentId }).where(eq(webhookEvents.id, eventId));
}

/** A payment only moves forward: a success after a success or refund changes nothing. */
export const settled = (p: Payment) => p.status === 'succeeded' || p.status === 'refunded';

export async function markPaymentBooked(tx: Queryable, paymentId: string, bookingId: string, now: Date) {
  await tx.update(payments).set({ status: 'succeeded', bookingId, updatedAt: now }).where(eq(payments.id, paymentId));
}

/**
 * Paid, but no booking could be made (the slot went to someone else, or what was paid for is no
 * longer on offer): never a double booking. The payment is flagged for staff with the reason
 * (`why`, a code; `reason`, words for the alert), its full refund recorded (sent after commit)
 * and staff alerted.
 */
export async function flagPaidWithoutSlot(tx: Queryable, p: Payment, why: string, now: Date, reason?: string) {
  await tx
    .update(payments)
    .set({ status: 'succeeded', flag: `${reason ? 'not booked' : 'slot unavailable'} after payment: ${why}`, updatedAt: now })
    .where(eq(payments.id, p.id));
  const refund = await recordRefund(
    tx,
    { ...p, status: 'succeeded' },
    p.amountPence,
    reason ?? 'Paid after the slot was no longer available',
  );
  await alertStaff(
    tx,
    'paid_without_slot',
    {
      paymentId: p.id,
      jobId: p.jobId,
      date: p.date,
      slot: p.slot,
      ...(reason ? { reason } : {}),
      paymentsUrl: links.staffPayments(messagingBaseUrl()),
    },
    `payment:${p.id}`,
  );
  return refund;
}

/** A failed or cancelled PaymentIntent ends a payment that was still waiting; false when it was not. */
export async function markPaymentNotPaid(tx: Queryable, p: Payment, eventType: string, now: Date) {
  if (p.status !== 'requires_payment') return false;
  await tx
    .update(payments)
    .set({ status: eventType === 'payment_intent.canceled' ? 'cancelled' : 'failed', updatedAt: now })
    .where(eq(payments.id, p.id));
  return true;
}
