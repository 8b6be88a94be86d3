import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { Transition } from '../modules/bookings/index.js';
import type { PaymentGateway } from '../modules/payments/index.js';
import { cancelBooking } from './cancel-booking.js';
import { completeBooking } from './complete-booking.js';
import { declineBooking } from './decline-booking.js';
import { moveBooking } from './move-booking.js';

/**
 * A status change asked for by staff or the contractor: cancelling, declining and completing are
 * their own flows (refund policy and the customer told; skills and notes); confirm and start are
 * one transaction of move-booking (the lead follows a start).
 */
export async function changeBookingStatus(
  db: Db,
  gateway: PaymentGateway | null,
  bookingId: string,
  t: Transition,
  config: Config,
  now: Date,
) {
  if (t.to === 'cancelled') return (await cancelBooking(db, gateway, bookingId, { ...t, to: 'cancelled' }, config, now)).booking;
  if (t.to === 'declined') return (await declineBooking(db, gateway, bookingId, { ...t, to: 'declined' }, config, now)).booking;
  if (t.to === 'completed') return completeBooking(db, bookingId, { actor: t.actor, contractorId: t.contractorId }, now);
  return db.transaction((tx) => moveBooking(tx, bookingId, t, now));
}
