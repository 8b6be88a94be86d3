import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { closeUnpaid, lockOverdueUnpaidBookings, remindUnpaidBookings } from '../modules/payments/index.js';
import { moveBooking } from './move-booking.js';

/**
 * Scheduled (every minute, and timed for each receipt deadline): bank-transfer bookings waiting
 * for their receipt.
 * 1. payments: customers whose deadline is near are reminded, once (its own transaction);
 * 2. one transaction over the overdue ones (SKIP LOCKED): bookings + leads: cancelled (cause
 *    payment_not_received), slot freed, the lead follows; payments: the waiting payment is
 *    cancelled and the customer told.
 */
export async function expireUnpaidBookings(db: Db, config: Config, now: Date): Promise<{ reminded: number; cancelled: number }> {
  const reminded = await remindUnpaidBookings(db, config, now);
  const cancelled = await db.transaction(async (tx) => {
    const overdue = await lockOverdueUnpaidBookings(tx, now);
    for (const id of overdue) {
      const b = await moveBooking(
        tx,
        id,
        { to: 'cancelled', cause: 'payment_not_received', reason: 'No bank-transfer receipt by the deadline', actor: 'system' },
        now,
      );
      await closeUnpaid(tx, b, now);
    }
    return overdue.length;
  });
  return { reminded, cancelled };
}
