import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { type HoldSettings, lockSession } from '../bookings/index.js';
import { slotClaims } from '../bookings/schema.js';
import { quoteSpec, quoteStatus, quoteUnavailable } from '../quotes/index.js';
import { AppError } from '../../shared/errors.js';
import type { quotes } from '../quotes/schema.js';
import type { PaymentGateway } from './gateway.js';
import { payments } from './schema.js';

type Quote = typeof quotes.$inferSelect;

/**
 * Card checkout of a live hold: one payment row per checkout session (concurrent checkouts share
 * it), then a Stripe PaymentIntent for the quote's deposit, created outside any transaction with
 * the payment id as its idempotency key, so retries never make a second one. The booking is made
 * when the signed webhook says the payment succeeded.
 */
export async function startCardCheckout(db: Db, gateway: PaymentGateway, q: Quote, sessionId: string, s: HoldSettings) {
  if (q.depositPence <= 0) throw new AppError('NO_DEPOSIT_DUE', 'No deposit is due on this quote; check out without a card', null);
  const spec = await quoteSpec(db, q);
  const payment = await db.transaction(async (tx) => {
    await lockSession(tx, spec.jobId, sessionId);
    if (quoteStatus(q, s.now) !== 'active') throw quoteUnavailable(quoteStatus(q, s.now), 'This quote can no longer be paid');
    const [open] = await tx
      .select()
      .from(payments)
      .where(and(eq(payments.jobId, spec.jobId), eq(payments.sessionId, sessionId), eq(payments.kind, 'card'), eq(payments.status, 'requires_payment')));
    if (open) return open;
    const [hold] = await tx.select().from(slotClaims).where(and(eq(slotClaims.jobId, spec.jobId), eq(slotClaims.sessionId, sessionId), eq(slotClaims.kind, 'hold')));
    if (!hold) throw new AppError('NO_HOLD', 'Hold a slot before paying', null);
    if (hold.expiresAt! <= s.now) throw new AppError('HOLD_EXPIRED', 'Your hold on this slot has expired; hold it again', { date: hold.date, slot: hold.slot });
    const [created] = await tx
      .insert(payments)
      .values({
        kind: 'card', status: 'requires_payment', amountPence: q.depositPence, jobId: spec.jobId, quoteId: q.id, sessionId,
        date: hold.date, slot: hold.slot, createdAt: s.now, updatedAt: s.now,
      })
      .returning();
    return created!;
  });
  if (payment.providerRef && payment.clientSecret) return payment;
  const intent = await gateway.createDeposit({
    paymentId: payment.id,
    amountPence: payment.amountPence,
    currency: payment.currency,
    description: `Deposit, quote v${q.version}`,
    metadata: { paymentId: payment.id, quoteId: q.id, jobId: spec.jobId },
  });
  const [stored] = await db
    .update(payments)
    .set({ providerRef: intent.id, clientSecret: intent.clientSecret, updatedAt: s.now })
    .where(eq(payments.id, payment.id))
    .returning();
  return stored!;
}
