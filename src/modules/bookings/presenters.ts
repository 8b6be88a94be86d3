import { z } from 'zod';
import { BOOKING_STATUSES } from './booking-status.js';
import { pick } from '../../shared/present.js';
import { type bookingEvents, type bookings, type jobMatchingHistory, paymentStatus } from './schema.js';

export const bookingView = z.object({
  id: z.uuid(),
  jobId: z.uuid(),
  contractorId: z.uuid(),
  date: z.string(),
  slot: z.enum(['am', 'pm']),
  startsAt: z.date(),
  endsAt: z.date(),
  status: z.enum(BOOKING_STATUSES),
  paymentStatus: z.enum(paymentStatus.enumValues),
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

export const BOOKING_FIELDS = [
  'id',
  'jobId',
  'contractorId',
  'date',
  'slot',
  'startsAt',
  'endsAt',
  'status',
  'paymentStatus',
  'receiptDueAt',
  'source',
  'statusReason',
  'cancellationCause',
  'customerRating',
  'customerReview',
  'depositPence',
  'createdAt',
  'confirmedAt',
  'startedAt',
  'completedAt',
  'cancelledAt',
  'declinedAt',
] as const satisfies readonly (keyof typeof bookings.$inferSelect)[];

export function presentBooking(b: typeof bookings.$inferSelect): z.infer<typeof bookingView> {
  return pick(b, BOOKING_FIELDS);
}

export const BOOKING_EVENT_FIELDS = [
  'fromStatus',
  'toStatus',
  'actor',
  'reason',
  'at',
] as const satisfies readonly (keyof typeof bookingEvents.$inferSelect)[];
export const presentBookingEvent = (e: typeof bookingEvents.$inferSelect) => pick(e, BOOKING_EVENT_FIELDS);

export const MATCH_FIELDS = [
  'contractorId',
  'matchScore',
  'wasSelected',
  'reasons',
  'jobCompleted',
  'customerRating',
] as const satisfies readonly (keyof typeof jobMatchingHistory.$inferSelect)[];
export const presentMatch = (m: typeof jobMatchingHistory.$inferSelect) => pick(m, MATCH_FIELDS);

/** What the customer sees: the slot and state, not which contractor or their details. */
export const customerBookingView = bookingView.pick({
  id: true,
  date: true,
  slot: true,
  startsAt: true,
  endsAt: true,
  status: true,
  paymentStatus: true,
  receiptDueAt: true,
  createdAt: true,
  cancellationCause: true,
  statusReason: true,
  customerRating: true,
  customerReview: true,
  depositPence: true,
});
