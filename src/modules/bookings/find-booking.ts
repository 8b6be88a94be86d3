import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { AppError, notFound } from '../../shared/errors.js';
import { ACTIVE_STATUSES } from './booking-status.js';
import { bookings } from './schema.js';

/** One booking by id; 404 when there is none. `lock`: FOR UPDATE, for a flow about to change it. */
export async function findBooking(tx: Queryable, bookingId: string, opts: { lock?: boolean } = {}) {
  const q = tx.select().from(bookings).where(eq(bookings.id, bookingId));
  const [b] = opts.lock ? await q.for('update') : await q;
  if (!b) throw notFound('Booking', { id: bookingId });
  return b;
}

/**
 * 409 JOB_ALREADY_BOOKED when the job has an active booking (any visit): a job has one
 * contractor per visit, so nothing may start booking it again (dispatch, staff booking, an
 * urgent accept). `hint` says what to do instead.
 */
export async function assertJobNotBooked(tx: Queryable, jobId: string, hint = '') {
  const [active] = await tx
    .select({ id: bookings.id })
    .from(bookings)
    .where(and(eq(bookings.jobId, jobId), inArray(bookings.status, [...ACTIVE_STATUSES])))
    .orderBy(asc(bookings.visit))
    .limit(1);
  if (active)
    throw new AppError('JOB_ALREADY_BOOKED', `This job already has an active booking${hint ? `: ${hint}` : ''}`, {
      jobId,
      bookingId: active.id,
    });
}
