import type { Db } from '../db/client.js';
import { findBooking } from '../modules/bookings/index.js';
import { paymentApprovedMessage, paymentRejectedMessage } from '../modules/notifications/index.js';
import { lockPendingReceipt, markReceiptApproved, markReceiptRejected } from '../modules/payments/index.js';
import { moveBooking } from './move-booking.js';

/**
 * Staff approve a bank-transfer receipt, one transaction:
 * 1. payments: the pending receipt is locked (409 once decided), succeeds, the booking is paid, audited;
 * 2. notifications: the customer is told;
 * 3. bookings: a booking still pending confirmation is confirmed.
 */
export async function approveReceipt(db: Db, paymentId: string, userId: string, now: Date, ip: string | null = null) {
  return db.transaction(async (tx) => {
    const p = await lockPendingReceipt(tx, paymentId);
    const approved = await markReceiptApproved(tx, p, userId, now, ip);
    await paymentApprovedMessage(tx, p.bookingId!, p.amountPence);
    const booking = await findBooking(tx, p.bookingId!);
    if (booking.status === 'pending_confirmation')
      await moveBooking(tx, booking.id, { to: 'confirmed', actor: `staff:${userId}`, reason: 'deposit received' }, now);
    return approved;
  });
}

/**
 * Staff reject a receipt with a reason, one transaction:
 * 1. payments: the pending receipt is locked and rejected, audited;
 * 2. notifications: the customer is told why;
 * 3. bookings + leads: the booking is cancelled (cause customer), its slot freed, the lead follows.
 */
export async function rejectReceipt(db: Db, paymentId: string, userId: string, reason: string, now: Date, ip: string | null = null) {
  return db.transaction(async (tx) => {
    const p = await lockPendingReceipt(tx, paymentId);
    const rejected = await markReceiptRejected(tx, p, userId, reason, now, ip);
    await paymentRejectedMessage(tx, p.bookingId!, reason);
    await moveBooking(
      tx,
      p.bookingId!,
      { to: 'cancelled', cause: 'customer', reason: `Payment rejected: ${reason}`, actor: `staff:${userId}` },
      now,
    );
    return rejected;
  });
}
