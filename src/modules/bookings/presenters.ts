import { z } from 'zod';
import { BOOKING_STATUSES } from './booking-status.js';
import type { bookings } from './schema.js';

export const bookingView = z.object({
  id: z.uuid(),
  jobId: z.uuid(),
  contractorId: z.uuid(),
  date: z.string(),
  slot: z.enum(['am', 'pm']),
  startsAt: z.date(),
  endsAt: z.date(),
  status: z.enum(BOOKING_STATUSES),
  paymentStatus: z.enum(['pending', 'paid', 'refunded', 'not_required', 'awaiting_receipt']),
  /** Bank transfer: the receipt must be uploaded by then, or the booking is cancelled and the slot freed. */
  receiptDueAt: z.date().nullable(),
  source: z.string(),
  statusReason: z.string().nullable(),
  cancellationCause: z.string().nullable(),
  customerRating: z.number().int().nullable(),
  customerReview: z.string().nullable(),
  depositPence: z.number().int().nullable(),
  createdAt: z.date(),
  confirmedAt: z.date().nullable(),
  startedAt: z.date().nullable(),
  completedAt: z.date().nullable(),
  cancelledAt: z.date().nullable(),
  declinedAt: z.date().nullable(),
});

export function presentBooking(b: typeof bookings.$inferSelect): z.infer<typeof bookingView> {
  return {
    id: b.id, jobId: b.jobId, contractorId: b.contractorId, date: b.date, slot: b.slot, startsAt: b.startsAt, endsAt: b.endsAt,
    status: b.status, paymentStatus: b.paymentStatus, receiptDueAt: b.receiptDueAt, source: b.source, statusReason: b.statusReason,
    cancellationCause: b.cancellationCause, customerRating: b.customerRating, customerReview: b.customerReview, depositPence: b.depositPence,
    createdAt: b.createdAt,
    confirmedAt: b.confirmedAt, startedAt: b.startedAt, completedAt: b.completedAt, cancelledAt: b.cancelledAt, declinedAt: b.declinedAt,
  };
}

/** What the customer sees: the slot and state, not which contractor or their details. */
export const customerBookingView = bookingView.pick({
  id: true, date: true, slot: true, startsAt: true, endsAt: true, status: true, paymentStatus: true, receiptDueAt: true, createdAt: true,
  cancellationCause: true, statusReason: true, customerRating: true, customerReview: true, depositPence: true,
});
