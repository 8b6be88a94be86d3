import { eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { notFound } from '../../shared/errors.js';
import { bookings } from './schema.js';

/** One booking by id; 404 when there is none. `lock`: FOR UPDATE, for a flow about to change it. */
export async function findBooking(tx: Queryable, bookingId: string, opts: { lock?: boolean } = {}) {
  const q = tx.select().from(bookings).where(eq(bookings.id, bookingId));
  const [b] = opts.lock ? await q.for('update') : await q;
  if (!b) throw notFound('Booking', { id: bookingId });
  return b;
}
