// The bookings module's public surface: what other modules, flows and the HTTP app may use.
// Everything else in this folder is private (eslint rule handy/module-surface); its tables
// (schema.ts) may be read by others but written only here or in src/flows (handy/no-foreign-writes).
export { bookUrgent } from './book-urgent.js';
export { recordCandidates, setBookingPayment } from './booking-payment.js';
export type { BookingPaymentPatch } from './booking-payment.js';
export { ACTIVE_STATUSES, BOOKING_STATUSES, allowedNext } from './booking-status.js';
export type { BookingStatus } from './booking-status.js';
export { checkout, checkoutInTx, tryCheckoutInTx } from './checkout.js';
export { claimSlot, lockSession } from './claims.js';
export { assertJobNotBooked, findBooking } from './find-booking.js';
export { holdSlot, releaseHold } from './hold-slot.js';
export type { HoldSettings } from './hold-slot.js';
export { holdView, presentHold, sessionIdSchema } from './hold-view.js';
export { lockLink } from './link-limits.js';
export { customerBookingView, presentBooking } from './presenters.js';
export { contractorHasCapacity, recordBooking } from './record-booking.js';
export { rescheduleBooking } from './reschedule.js';
export { dropSessionHold, sessionHold } from './session-hold.js';
export { sweepExpiredHolds } from './sweep-expired-holds.js';
export { rateBooking, transitionBookingTx } from './transition-booking.js';
export type { CancellationCause, Transition } from './transition-booking.js';
