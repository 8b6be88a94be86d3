import type { Db } from '../db/client.js';
import { AppError } from '../shared/errors.js';
import { type HoldSettings, lockSession, sessionHold } from '../modules/bookings/index.js';
import { createCardPayment, openCardPayment, type PaymentGateway, storeIntent } from '../modules/payments/index.js';
import { quoteSpec, quoteStatus, quoteUnavailable } from '../modules/quotes/index.js';
import type { quotes } from '../modules/quotes/schema.js';

type Quote = typeof quotes.$inferSelect;

/**
 * Card checkout of a live hold. The booking is not made here: the signed webhook makes it when
 * Stripe says the payment succeeded (settle-card-payment.ts).
 * 1. quotes: a deposit is due and the job has its requirements;
 * 2. one transaction, under the session's lock: the quote is active; the session's open card
 *    payment is reused, else the live hold (bookings) gets a new payment row (payments);
 * 3. after commit: Stripe makes the PaymentIntent, with the payment id as its idempotency key
 *    (a retry never makes a second one), and payments stores it.
 */
export async function startCardCheckout(db: Db, gateway: PaymentGateway, q: Quote, sessionId: string, s: HoldSettings) {
  if (q.depositPence <= 0) throw new AppError('NO_DEPOSIT_DUE', 'No deposit is due on this quote; check out without a card', null);
  const spec = await quoteSpec(db, q);

  const payment = await db.transaction(async (tx) => {
    await lockSession(tx, spec.jobId, sessionId);
    if (quoteStatus(q, s.now) !== 'active') throw quoteUnavailable(quoteStatus(q, s.now), 'This quote can no longer be paid');
    const open = await openCardPayment(tx, spec.jobId, sessionId);
    if (open) return open;
    const hold = await sessionHold(tx, spec.jobId, sessionId);
    if (!hold) throw new AppError('NO_HOLD', 'Hold a slot before paying', null);
    if (hold.expiresAt! <= s.now)
      throw new AppError('HOLD_EXPIRED', 'Your hold on this slot has expired; hold it again', { date: hold.date, slot: hold.slot });
    return createCardPayment(tx, {
      amountPence: q.depositPence,
      jobId: spec.jobId,
      quoteId: q.id,
      sessionId,
      date: hold.date,
      slot: hold.slot,
      now: s.now,
    });
  });

  if (payment.providerRef && payment.clientSecret) return payment;
  const intent = await gateway.createDeposit({
    paymentId: payment.id,
    amountPence: payment.amountPence,
    currency: payment.currency,
    description: `Deposit, quote v${q.version}`,
    metadata: { paymentId: payment.id, quoteId: q.id, jobId: spec.jobId },
  });
  return storeIntent(db, payment.id, intent, s.now);
}
