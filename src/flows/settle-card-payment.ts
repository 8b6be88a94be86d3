import { eq } from 'drizzle-orm';
import type { Config } from '../config.js';
import type { Db, Tx } from '../db/client.js';
import { transactionWithRetry } from '../db/retry.js';
import { bookingRules, type Slot } from '../modules/availability/index.js';
import { dropSessionHold, tryCheckoutInTx } from '../modules/bookings/index.js';
import { loadJobSpec } from '../modules/jobs/index.js';
import { leadOfJob, lockLeadForPath, moveLeadIfIn } from '../modules/leads/index.js';
import {
  executeRefund,
  flagPaidWithoutSlot,
  lockPaymentOfEvent,
  markPaymentBooked,
  markPaymentNotPaid,
  type PaymentGateway,
  type ProviderEvent,
  recordEventOutcome,
  recordProviderEvent,
  settled,
  type WebhookOutcome,
} from '../modules/payments/index.js';
import type { payments } from '../modules/payments/schema.js';
import { quotes } from '../modules/quotes/schema.js';
import { QUOTE_BOOKED_PATH, quoteBooked } from './quote-booked.js';

type Payment = typeof payments.$inferSelect;
type Settled = { outcome: WebhookOutcome; refundId?: string };

/**
 * A verified Stripe event, processed once. One transaction (retried whole: Stripe is only called
 * after commit):
 * 1. payments: the event id is recorded (a replay or duplicate stops here, changing nothing) and
 *    its payment locked;
 * 2. succeeded: book the paid slot (bookPaid), or, when it cannot be booked (slot gone, quote
 *    superseded, lead closed), the compensation: flag the payment, record a full refund and alert staff;
 *    failed / cancelled: the payment ends, the hold is dropped and the lead goes back to quote_viewed;
 * 3. payments: the event's outcome is recorded.
 * After commit: a recorded card refund is sent to Stripe.
 * Events may arrive out of order; a payment only moves forward (a failure after a success is
 * ignored; a success after a failure books if the slot can still be had, else refunds).
 */
export async function settleCardPayment(
  db: Db,
  gateway: PaymentGateway | null,
  event: ProviderEvent,
  config: Config,
  now: Date,
): Promise<WebhookOutcome> {
  const result = await transactionWithRetry(db, async (tx): Promise<Settled> => {
    if (!(await recordProviderEvent(tx, event, now))) return { outcome: 'duplicate' };
    const p = await lockPaymentOfEvent(tx, event);
    let r: Settled;
    if (!p) r = { outcome: 'unknown_payment' };
    else if (event.type === 'payment_intent.succeeded') r = settled(p) ? { outcome: 'stale' } : await bookPaid(tx, p, config, now);
    else if (event.type === 'payment_intent.payment_failed' || event.type === 'payment_intent.canceled') {
      r = (await markPaymentNotPaid(tx, p, event.type, now)) ? await releasePaymentHold(tx, p, now) : { outcome: 'stale' };
    } else r = { outcome: 'ignored' };
    await recordEventOutcome(tx, event.id, r.outcome, p?.id ?? null);
    return r;
  });
  if (result.refundId) await executeRefund(db, gateway, result.refundId);
  return result.outcome;
}

/**
 * A successful payment books the held slot (after expiry, any eligible contractor for the same
 * slot) through the same checkout and slot guard as everyone else, then the quote is accepted
 * and the lead assigned. When the checkout says it did not book, the compensation runs instead.
 */
async function bookPaid(tx: Tx, p: Payment, config: Config, now: Date): Promise<Settled> {
  const stale = p.quoteId ? await whyPaidQuoteIsOff(tx, p.quoteId) : null;
  if (stale) {
    // Money was taken for something no longer on offer: the webhook is answered (Stripe stops
    // retrying), the hold let go, the deposit refunded and staff told why.
    await dropSessionHold(tx, p.jobId, p.sessionId);
    const refund = await flagPaidWithoutSlot(tx, p, stale.code, now, stale.reason);
    return { outcome: 'refunded_no_slot', refundId: refund?.id };
  }
  const spec = { ...(await loadJobSpec(tx, p.jobId)), jobId: p.jobId };
  const settings = { rules: bookingRules(config), ttlSeconds: config.HOLD_TTL_SECONDS, now };
  const booked = await tryCheckoutInTx(
    tx,
    spec,
    p.sessionId,
    settings,
    { date: p.date, slot: p.slot as Slot },
    { quoteId: p.quoteId!, depositPence: p.amountPence, paid: true },
  );
  if (!booked.ok) {
    const refund = await flagPaidWithoutSlot(tx, p, booked.code, now);
    return { outcome: 'refunded_no_slot', refundId: refund?.id };
  }
  if (!booked.replayed)
    await quoteBooked(tx, p.quoteId!, { actor: 'system', reason: `paid, booking ${booked.booking.id}`, now, mustBeActive: false });
  await markPaymentBooked(tx, p.id, booked.booking.id, now);
  return { outcome: booked.replayed ? 'already_booked' : 'booked' };
}

/**
 * Why a quote paid for can no longer be booked, or null: a newer version replaced it while the
 * customer paid (SPEC: only the latest version can be paid), or its lead was closed meanwhile
 * (lost, expired, cancelled: the lead could not follow the booking). A quote that merely lapsed
 * while the customer paid is still honoured.
 */
async function whyPaidQuoteIsOff(tx: Tx, quoteId: string) {
  const [q] = await tx.select({ supersededAt: quotes.supersededAt, leadId: quotes.leadId }).from(quotes).where(eq(quotes.id, quoteId));
  if (!q) return null;
  if (q.supersededAt) return { code: 'QUOTE_SUPERSEDED', reason: 'a newer version of the quote replaced the one paid for' };
  const lead = await lockLeadForPath(tx, q.leadId, QUOTE_BOOKED_PATH);
  if (!lead.canGo) return { code: `LEAD_${lead.state.toUpperCase()}`, reason: `the enquiry was marked ${lead.state} meanwhile` };
  return null;
}

/** The payment did not go through: its hold is let go and a quote's lead goes back to looking. */
async function releasePaymentHold(tx: Tx, p: Payment, now: Date): Promise<Settled> {
  await dropSessionHold(tx, p.jobId, p.sessionId);
  const lead = p.quoteId ? await leadOfJob(tx, p.jobId) : null;
  if (lead) await moveLeadIfIn(tx, lead, ['slot_held'], { to: 'quote_viewed', actor: 'system', reason: 'payment did not go through', now });
  return { outcome: 'released' };
}
