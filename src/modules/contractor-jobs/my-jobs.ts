import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { allowedNext, type BookingStatus } from '../bookings/index.js';

/** What a contractor may do to their own booking (the staff-only moves are not theirs). */
const CONTRACTOR_MOVES: readonly BookingStatus[] = ['confirmed', 'declined', 'in_progress', 'completed', 'cancelled'];
/** The customer's address and contact are the contractor's business only once they have the job. */
const CONTACT_VISIBLE: readonly BookingStatus[] = ['confirmed', 'in_progress'];

type Row = {
  id: string;
  status: BookingStatus;
  date: string;
  slot: 'am' | 'pm';
  starts_at: string;
  ends_at: string;
  source: string;
  status_reason: string | null;
  customer_rating: number | null;
  completed_at: string | null;
  postcode: string;
  outcode: string;
  description: string | null;
  tasks: string[];
  customer_name: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  lead_description: string | null;
  notes: string | null;
  photos: { id: string; mime: string; createdAt: string }[];
};

export type MyJob = ReturnType<typeof present>;

function present(r: Row, today: string) {
  const visible = CONTACT_VISIBLE.includes(r.status);
  return {
    bookingId: r.id,
    status: r.status,
    date: r.date,
    slot: r.slot,
    startsAt: new Date(r.starts_at),
    endsAt: new Date(r.ends_at),
    isToday: r.date === today,
    source: r.source,
    statusReason: r.status_reason,
    customerRating: r.customer_rating,
    completedAt: r.completed_at ? new Date(r.completed_at) : null,
    job: {
      area: r.outcode,
      // The full address only once confirmed; before that the area is enough to decide.
      address: visible ? [r.address, r.postcode].filter(Boolean).join(', ') : null,
      description: r.description ?? r.lead_description,
      tasks: r.tasks,
    },
    customer: visible && r.customer_name ? { name: r.customer_name, phone: r.phone, email: r.email } : null,
    allowedTransitions: allowedNext(r.status).filter((s) => CONTRACTOR_MOVES.includes(s)),
    notes: r.notes,
    photos: r.photos.map((p) => ({ id: p.id, mime: p.mime, createdAt: new Date(p.createdAt) })),
  };
}

/**
 * A contractor's jobs with what they need on the day: the job, the customer (once confirmed),
 * their notes and photos. `upcoming`: active bookings from today on, soonest first; `history`:
 * completed ones, newest first. One statement.
 */
export async function myJobs(
  db: Queryable,
  contractorId: string,
  view: 'upcoming' | 'history',
  today: string,
  bookingId?: string,
): Promise<MyJob[]> {
  const filter = bookingId
    ? sql`b.id = ${bookingId}`
    : view === 'upcoming'
      ? sql`b.status in ('pending_confirmation','confirmed','in_progress') and (b.date >= ${today}::date or b.status = 'in_progress')`
      : sql`b.status = 'completed'`;
  const order = view === 'upcoming' ? sql`b.starts_at asc, b.id` : sql`b.completed_at desc nulls last, b.id`;
  const res = await db.execute<Row>(sql`
    select b.id, b.status, b.date::text as date, b.slot, b.starts_at, b.ends_at, b.source, b.status_reason, b.customer_rating, b.completed_at,
           j.postcode, j.outcode, j.description,
           (select coalesce(array_agg(t.name order by t.display_order), '{}') from job_task_requirements r join contractor_tasks t on t.id = r.task_id where r.job_id = j.id) as tasks,
           l.customer_name, l.phone, l.email, l.address, l.description as lead_description,
           rep.notes,
           (select coalesce(json_agg(json_build_object('id', p.id, 'mime', p.mime, 'createdAt', p.created_at) order by p.created_at), '[]'::json)
              from booking_photos p where p.booking_id = b.id) as photos
    from bookings b
    join jobs j on j.id = b.job_id
    left join lateral (select * from leads where leads.job_id = j.id order by created_at desc limit 1) l on true
    left join booking_reports rep on rep.booking_id = b.id
    where b.contractor_id = ${contractorId} and ${filter}
    order by ${order}
    limit 200`);
  return res.rows.map((r) => present(r, today));
}

/** Completed jobs and the ratings customers gave them. */
export async function ratingSummary(db: Queryable, contractorId: string) {
  const res = await db.execute<{ completed: number; rated: number; average: string | null }>(sql`
    select count(*)::int as completed, count(customer_rating)::int as rated, round(avg(customer_rating)::numeric, 2)::text as average
    from bookings where contractor_id = ${contractorId} and status = 'completed'`);
  const r = res.rows[0]!;
  return { completed: r.completed, rated: r.rated, averageRating: r.average === null ? null : Number(r.average) };
}
