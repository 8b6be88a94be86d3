import type { Db } from '../db/client.js';
import type { Slot } from '../modules/availability/index.js';
import { findBooking, type HoldSettings } from '../modules/bookings/index.js';
import type { CustomerLink } from '../modules/customer/index.js';
import { discardReceipt, submitStoredReceipt } from '../modules/payments/index.js';
import { checkoutByLink } from './book-by-link.js';

/**
 * Paying by bank transfer with the receipt in one upload (the quote page):
 * 1. book the held slot if not booked yet (checkoutByLink: its own transaction, a retry returns the booking);
 * 2. payments: the receipt goes to staff review and the receipt clock stops (its own transaction);
 * the stored file is removed if either step refuses. Two transactions on purpose: a booking made
 * in step 1 stays when the receipt is refused (e.g. one is already waiting for review).
 */
export async function checkoutWithReceipt(
  db: Db,
  link: CustomerLink,
  sessionId: string,
  receipt: { path: string; mime: string },
  s: HoldSettings & { receiptHours: number },
  intended?: { date: string; slot: Slot },
) {
  let booked;
  try {
    booked = await checkoutByLink(db, link, sessionId, s, intended);
  } catch (err) {
    await discardReceipt(receipt.path);
    throw err;
  }
  const payment = await submitStoredReceipt(db, booked.booking.id, receipt, s.now);
  return { payment, booking: await findBooking(db, booked.booking.id) };
}
