import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';

export type CalendarFilter = { from: string; to: string; area?: string; skill?: string; contractorLimit: number };

/**
 * The staff calendar's read model for a date range: the contractors (filtered by area and skill),
 * their bookings in any status, the customers' live holds (expired ones block nobody, so they are
 * left out), and business closures. One query per kind, bounded by the range and the contractor set.
 */
export async function loadCalendar(db: Queryable, f: CalendarFilter, now: Date) {
  const area = f.area ? `${f.area.toUpperCase().replace(/\s+/g, '')}%` : null;
  const contractors = (
    await db.execute<{
      id: string;
      name: string;
      outcode: string | null;
      on_shift: boolean;
      profile_completion_score: number;
      max_concurrent_jobs: number;
    }>(sql`
      select c.id, c.name, c.outcode, c.on_shift, c.profile_completion_score, c.max_concurrent_jobs
      from contractors c
      where c.is_active
        and (${area}::text is null or c.outcode like ${area})
        and (${f.skill ?? null}::text is null or exists (select 1 from contractor_skills s where s.contractor_id = c.id and s.task_id = ${f.skill ?? null}))
      order by c.name, c.id
      limit ${f.contractorLimit}`)
  ).rows.map((r) => ({
    id: r.id,
    name: r.name,
    outcode: r.outcode,
    onShift: r.on_shift,
    profileCompletionScore: r.profile_completion_score,
    maxConcurrentJobs: r.max_concurrent_jobs,
  }));
  const ids = JSON.stringify(contractors.map((c) => c.id));

  const bookings = (
    await db.execute<{
      id: string;
      contractor_id: string;
      date: string;
      slot: 'am' | 'pm';
      status: string;
      payment_status: string;
      job_id: string;
      postcode: string;
      description: string | null;
    }>(sql`
      select b.id, b.contractor_id, b.date::text as date, b.slot::text as slot, b.status::text as status, b.payment_status::text as payment_status,
             b.job_id, j.postcode, j.description
      from bookings b join jobs j on j.id = b.job_id
      where b.date between ${f.from} and ${f.to}
        and b.contractor_id in (select jsonb_array_elements_text(${ids}::jsonb)::uuid)
      order by b.date, b.slot, b.created_at`)
  ).rows.map((r) => ({
    id: r.id,
    contractorId: r.contractor_id,
    date: r.date,
    slot: r.slot,
    status: r.status,
    paymentStatus: r.payment_status,
    jobId: r.job_id,
    postcode: r.postcode,
    description: r.description,
  }));

  const holds = (
    await db.execute<{ id: string; contractor_id: string; date: string; slot: 'am' | 'pm'; expires_at: Date; job_id: string }>(sql`
      select id, contractor_id, date::text as date, slot::text as slot, expires_at, job_id
      from slot_claims
      where kind = 'hold' and expires_at > ${now} and date between ${f.from} and ${f.to}
        and contractor_id in (select jsonb_array_elements_text(${ids}::jsonb)::uuid)`)
  ).rows.map((r) => ({
    id: r.id,
    contractorId: r.contractor_id,
    date: r.date,
    slot: r.slot,
    expiresAt: new Date(r.expires_at),
    jobId: r.job_id,
  }));

  const closures = (
    await db.execute<{ date: string; reason: string }>(
      sql`select date::text as date, reason from business_closures where date between ${f.from} and ${f.to} order by date`,
    )
  ).rows;

  return { from: f.from, to: f.to, contractors, bookings, holds, closures };
}
