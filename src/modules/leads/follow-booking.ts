import { and, eq, inArray, ne } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { ACTIVE_STATUSES } from '../bookings/schema.js';
import { bookings } from '../bookings/schema.js';
import { moveLeadIfIn } from './move-lead.js';
import { leads } from './schema.js';

type BookingRow = Pick<typeof bookings.$inferSelect, 'id' | 'jobId' | 'cancellationCause' | 'statusReason'>;
/** What happened to the booking: its new status, or a re-dispatch (cancelled to go urgent). */
export type BookingChange = 'in_progress' | 'completed' | 'cancelled' | 'declined' | 'redispatched';

/** The lead a job came from; null for a job staff made without one. */
export async function leadOfJob(tx: Queryable, jobId: string): Promise<string | null> {
  const [lead] = await tx.select({ id: leads.id }).from(leads).where(eq(leads.jobId, jobId)).limit(1);
  return lead?.id ?? null;
}

/**
 * SPEC "A lead follows its booking", in the booking's transaction: started -> in_progress,
 * completed -> completed, cancelled or declined with no other active booking -> cancelled (the
 * booking's cause as reason), re-dispatched -> dispatching. A lead elsewhere stays put.
 */
export async function leadFollowsBooking(tx: Queryable, b: BookingRow, change: BookingChange, m: { actor: string; now: Date }) {
  const leadId = await leadOfJob(tx, b.jobId);
  if (!leadId) return null;
  const move = (from: Parameters<typeof moveLeadIfIn>[2], to: Parameters<typeof moveLeadIfIn>[3]['to'], reason: string) =>
    moveLeadIfIn(tx, leadId, from, { to, actor: m.actor, reason, now: m.now });
  const ref = `booking ${b.id}`;
  switch (change) {
    case 'in_progress':
      // A lead still at booked (a staff booking) is first attached to its contractor.
      await move(['booked', 'dispatching'], 'assigned', ref);
      return move(['assigned'], 'in_progress', `${ref} started`);
    case 'completed':
      return move(['in_progress'], 'completed', `${ref} completed`);
    case 'redispatched':
      return move(['booked', 'assigned'], 'dispatching', `${ref} re-dispatched as urgent`);
    case 'cancelled':
    case 'declined': {
      const [other] = await tx
        .select({ id: bookings.id })
        .from(bookings)
        .where(and(eq(bookings.jobId, b.jobId), ne(bookings.id, b.id), inArray(bookings.status, [...ACTIVE_STATUSES])))
        .limit(1);
      if (other) return null;
      // The reason is the booking's cause itself (customer, business, no_show, payment_not_received...).
      return move(['booked', 'dispatching', 'assigned'], 'cancelled', b.cancellationCause ?? change);
    }
  }
}
