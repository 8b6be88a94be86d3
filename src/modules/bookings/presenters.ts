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
  paymentStatus: z.enum(['pending', 'paid', 'refunded', 'not_required']),
  source: z.string(),
  statusReason: z.string().nullable(),
  cancellationCause: z.string().nullable(),
  customerRating: z.number().int().nullable(),
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
    status: b.status, paymentStatus: b.paymentStatus, source: b.source, statusReason: b.statusReason,
    cancellationCause: b.cancellationCause, customerRating: b.customerRating, createdAt: b.createdAt,
    confirmedAt: b.confirmedAt, startedAt: b.startedAt, completedAt: b.completedAt, cancelledAt: b.cancelledAt, declinedAt: b.declinedAt,
  };
}

/** What the customer sees: the slot and state, not which contractor or their details. */
export const customerBookingView = bookingView.pick({
  id: true, date: true, slot: true, startsAt: true, endsAt: true, status: true, paymentStatus: true, createdAt: true,
});
