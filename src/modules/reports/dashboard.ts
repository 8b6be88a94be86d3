import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { addDays, isoWeekday, localToday } from '../availability/index.js';

/** The lead funnel's stages: a lead counts at a stage once its history has ever reached it. */
export const FUNNEL_STAGES = ['enquiry', 'quoted', 'sent', 'viewed', 'booked', 'completed'] as const;

type Count = { key: string; n: number };
const counts = (rows: { key: string; n: number | string }[]): Count[] => rows.map((r) => ({ key: r.key, n: Number(r.n) }));

/** The week (Monday to Sunday, business time zone) that holds a date. */
export function weekOf(date: string): { from: string; to: string } {
  const from = addDays(date, 1 - isoWeekday(date));
  return { from, to: addDays(from, 6) };
}

/**
 * The staff dashboard's figures, each read straight from the tables that own them (no cached
 * counters to drift): bookings by status, the lead funnel, quote engagement, the estimator
 * queue's open items with their age, unfilled urgent jobs, receipts waiting, unsent and failed messages.
 */
export async function loadDashboard(db: Queryable, now: Date, zone: string, quoteWindowDays = 30) {
  const today = localToday(now, zone);
  const week = weekOf(today);
  const rows = async <T>(q: ReturnType<typeof sql>) => (await db.execute(q)).rows as T[];

  const bookingsByStatus = async (from: string, to: string) =>
    counts(
      await rows(sql`select status::text as key, count(*) as n from bookings where date between ${from} and ${to} group by 1 order by 1`),
    );

  const [bookingsToday, bookingsWeek, leadsByState, leadsBySource] = await Promise.all([
    bookingsByStatus(today, today),
    bookingsByStatus(week.from, week.to),
    rows<Count>(sql`select state::text as key, count(*) as n from leads group by 1 order by 1`).then(counts),
    rows<Count>(sql`select source::text as key, count(*) as n from leads group by 1 order by 1`).then(counts),
  ]);

  const funnelRows = await rows<{ stage: string; source: string; n: string }>(sql`
    with reached as (
      select l.id, l.source::text as source, h.to_state::text as state
      from leads l join lead_history h on h.lead_id = l.id
    )
    select 'enquiry' as stage, source::text as source, count(*) as n from leads group by 2
    union all
    select s.stage, r.source, count(distinct r.id)
    from reached r join (values ('quoted','quote_generated'),('sent','quote_sent'),('viewed','quote_viewed'),('booked','booked'),('completed','completed')) s(stage, state)
      on s.state = r.state
    group by 1, 2`);
  const funnel = FUNNEL_STAGES.map((stage) => {
    const mine = funnelRows.filter((r) => r.stage === stage);
    return { stage, total: mine.reduce((a, r) => a + Number(r.n), 0), bySource: mine.map((r) => ({ key: r.source, n: Number(r.n) })) };
  });

  const since = new Date(now.getTime() - quoteWindowDays * 86_400_000);
  const [quoteRow] = await rows<{ created: string; sent: string; viewed: string; accepted: string }>(sql`
    select count(*) as created, count(sent_at) as sent, count(viewed_at) as viewed, count(accepted_at) as accepted
    from quotes where created_at >= ${since}`);

  const estimator = (
    await rows<{
      id: string;
      lead_id: string;
      customer_name: string;
      status: string;
      priority: number;
      created_at: Date;
      claimed_at: Date | null;
    }>(sql`
      select q.id, q.lead_id, l.customer_name, q.status::text as status, q.priority, q.created_at, q.claimed_at
      from estimator_queue q join leads l on l.id = q.lead_id
      where q.status in ('queued','claimed') order by q.priority desc, q.created_at asc, q.id asc limit 50`)
  ).map((r) => ({
    id: r.id,
    leadId: r.lead_id,
    customerName: r.customer_name,
    status: r.status,
    priority: r.priority,
    createdAt: new Date(r.created_at),
    ageMinutes: Math.max(0, Math.floor((now.getTime() - new Date(r.created_at).getTime()) / 60_000)),
  }));

  const unfilled = (
    await rows<{
      id: string;
      job_id: string;
      lead_id: string | null;
      date: string;
      slot: string;
      flagged_at: Date | null;
      postcode: string;
    }>(sql`
      select d.id, d.job_id, d.lead_id, d.date::text as date, d.slot::text as slot, d.flagged_at, j.postcode
      from urgent_dispatches d join jobs j on j.id = d.job_id
      where d.status = 'unfilled' order by d.flagged_at desc nulls last limit 50`)
  ).map((r) => ({
    id: r.id,
    jobId: r.job_id,
    leadId: r.lead_id,
    date: r.date,
    slot: r.slot,
    flaggedAt: r.flagged_at ? new Date(r.flagged_at) : null,
    postcode: r.postcode,
  }));

  const [receipts] = await rows<{ n: string; oldest: Date | null }>(sql`
    select count(*) as n, min(created_at) as oldest from payments where status = 'pending_review'`);
  const [outbox] = await rows<{ unsent: string; stuck: string; failed: string }>(sql`
    select count(*) filter (where sent_at is null and status <> 'failed') as unsent,
           count(*) filter (where sent_at is null and status <> 'failed' and created_at < ${new Date(now.getTime() - 15 * 60_000)}) as stuck,
           count(*) filter (where status = 'failed') as failed
    from outbox_messages`);

  return {
    today,
    week,
    bookings: { today: bookingsToday, week: bookingsWeek },
    leads: { byState: leadsByState, bySource: leadsBySource, funnel },
    quotes: {
      windowDays: quoteWindowDays,
      created: Number(quoteRow!.created),
      sent: Number(quoteRow!.sent),
      viewed: Number(quoteRow!.viewed),
      accepted: Number(quoteRow!.accepted),
    },
    estimator,
    unfilledUrgent: unfilled,
    receipts: { awaitingReview: Number(receipts!.n), oldestAt: receipts!.oldest ? new Date(receipts!.oldest) : null },
    messages: { unsent: Number(outbox!.unsent), unsentOver15Minutes: Number(outbox!.stuck), failed: Number(outbox!.failed) },
  };
}
