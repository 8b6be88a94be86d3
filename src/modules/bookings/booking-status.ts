/** Booking status machine (SPEC "Availability, holds, bookings"). Pure. */
export const BOOKING_STATUSES = ['pending_confirmation', 'confirmed', 'in_progress', 'completed', 'cancelled', 'declined'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** Active (blocking) statuses: they hold the contractor's slot and count towards capacity. */
export const ACTIVE_STATUSES: readonly BookingStatus[] = ['pending_confirmation', 'confirmed', 'in_progress'];

const NEXT: Record<BookingStatus, readonly BookingStatus[]> = {
  pending_confirmation: ['confirmed', 'declined', 'cancelled'],
  confirmed: ['in_progress', 'cancelled'],
  in_progress: ['completed'],
  completed: [],
  cancelled: [],
  declined: [],
};

export const isActive = (s: BookingStatus) => ACTIVE_STATUSES.includes(s);
export const canTransition = (from: BookingStatus, to: BookingStatus) => NEXT[from].includes(to);
export const allowedNext = (from: BookingStatus) => NEXT[from];
/** Terminal states that end a booking early need a reason on record. */
export const needsReason = (to: BookingStatus) => to === 'cancelled' || to === 'declined';
