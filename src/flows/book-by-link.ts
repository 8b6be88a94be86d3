import type { Db } from '../db/client.js';
import { transactionWithRetry } from '../db/retry.js';
import { AppError, notFound } from '../shared/errors.js';
import type { Slot } from '../modules/availability/index.js';
import { checkoutInTx, type HoldSettings, holdSlot, releaseHold } from '../modules/bookings/index.js';
import type { CustomerLink } from '../modules/customer/index.js';
import { moveLeadIfIn } from '../modules/leads/index.js';
import { awaitReceipt } from '../modules/payments/index.js';
import { markQuoteViewed } from '../modules/quotes/index.js';
import { quoteBooked } from './quote-booked.js';

/*
 * Holding, releasing and checking out through a customer link: the quote link (/q/{token}) and
 * the job link (/customer/jobs/{token}) both resolve to a CustomerLink, so both follow these.
 * While a quote is still being decided on, the lead follows the hold; once it is booked, holds
 * only move the booking (no lead moves).
 */

function assertHasTasks(link: CustomerLink) {
  if (!link.spec.tasks.some((t) => t.isPrimary))
    throw new AppError('NO_REQUIREMENTS', 'This job has no task requirements yet; we will be in touch', null);
}

const deciding = (link: CustomerLink) => (link.quote && !link.quote.acceptedAt ? link.quote : null);

/**
 * 1. bookings: hold the slot (its own transaction, retried whole on a serialisation failure);
 * 2. quotes + leads: the quote counts as viewed (a hold means it was seen), and a lead looking at
 *    its quote goes to slot_held (a side move: a lead already past it stays).
 */
export async function holdByLink(db: Db, link: CustomerLink, req: { sessionId: string; date: string; slot: Slot }, s: HoldSettings) {
  assertHasTasks(link);
  const held = await holdSlot(db, { spec: link.spec, digest: link.digest, ...req }, s);
  const quote = deciding(link);
  if (quote) {
    await db.transaction(async (tx) => {
      await markQuoteViewed(tx, quote, s.now);
      await moveLeadIfIn(tx, quote.leadId, ['quote_viewed'], {
        to: 'slot_held',
        actor: 'customer',
        reason: `${req.date} ${req.slot}`,
        now: s.now,
      });
    });
  }
  return held;
}

/** 1. bookings: release the session's hold (404 without one); 2. leads: slot_held goes back to quote_viewed. */
export async function releaseByLink(db: Db, link: CustomerLink, sessionId: string, now: Date) {
  const quote = deciding(link);
  if (quote) assertHasTasks(link);
  if (!(await releaseHold(db, link.jobId, sessionId))) throw notFound('Hold');
  if (quote) {
    await db.transaction((tx) =>
      moveLeadIfIn(tx, quote.leadId, ['slot_held'], { to: 'quote_viewed', actor: 'customer', reason: 'hold released', now }),
    );
  }
}

/**
 * Bank-transfer (or no-deposit) checkout, one transaction:
 * 1. bookings: the hold becomes a booking (a retry returns the same one; 409 when no contractor is free);
 * 2. quotes + leads: the quote is accepted (410 if superseded or expired meanwhile: nothing is kept)
 *    and the lead goes on to assigned;
 * 3. payments: the booking waits for the bank-transfer receipt (deadline RECEIPT_UPLOAD_HOURS).
 * Steps 2 and 3 run for a new booking only.
 */
export async function checkoutByLink(
  db: Db,
  link: CustomerLink,
  sessionId: string,
  s: HoldSettings & { receiptHours: number },
  intended?: { date: string; slot: Slot },
) {
  assertHasTasks(link);
  const quote = link.quote;
  return transactionWithRetry(db, async (tx) => {
    const booked = await checkoutInTx(
      tx,
      link.spec,
      sessionId,
      s,
      intended,
      quote ? { quoteId: quote.id, depositPence: quote.depositPence } : undefined,
    );
    if (!quote || booked.replayed) return booked;
    await quoteBooked(tx, quote.id, { actor: 'customer', reason: `booking ${booked.booking.id}`, now: s.now, mustBeActive: true });
    const booking = await awaitReceipt(tx, booked.booking, s.receiptHours, s.now);
    return { ...booked, booking };
  });
}
