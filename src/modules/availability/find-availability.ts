import { and, gte, lte, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { type JobSpec, pickTeam, visitsByTrade } from '../jobs/index.js';
import { AppError } from '../../shared/errors.js';
import { executePrepared } from '../../db/prepared.js';
import { eligibleContractorSlots, type SlotRequest, type Viewer } from './eligibility-sql.js';
import { businessClosures } from './schema.js';
import { bookableRange, type BookingRules, datesBetween, isSlotBookable, type Slot, slotInstants, SLOTS } from './slot-time.js';

export type DayAvailability = {
  date: string;
  closed: boolean;
  closureReason: string | null;
  slots: { slot: Slot; startsAt: Date; endsAt: Date; bookable: boolean; contractorCount: number; visits: number }[];
};

/**
 * Mixed-trade jobs: in slots where nobody is qualified for every primary task, the slot is still
 * offered when every trade visit has an eligible contractor and they can be distinct people (a
 * team exists). Its count is the smallest visit's candidate count; `visits` says how many come.
 */
async function teamSlots(db: Queryable, spec: JobSpec, slots: SlotRequest[], viewer: Viewer, now: Date) {
  const out = new Map<string, { count: number; visits: number }>();
  const visits = visitsByTrade(spec);
  if (visits.length < 2 || !slots.length) return out;
  const perVisit: Map<string, string[]>[] = [];
  for (const v of visits) {
    const rows = await executePrepared<{ contractor_id: string; date: string; slot: Slot }>(
      db,
      sql`select contractor_id, date::text as date, slot from (${eligibleContractorSlots(v, slots, viewer, now)}) e`,
    );
    const bySlot = new Map<string, string[]>();
    for (const r of rows.rows) bySlot.set(`${r.date}/${r.slot}`, [...(bySlot.get(`${r.date}/${r.slot}`) ?? []), r.contractor_id]);
    perVisit.push(bySlot);
  }
  for (const w of slots) {
    const key = `${w.date}/${w.slot}`;
    const lists = perVisit.map((m) => m.get(key) ?? []);
    if (pickTeam(lists)) out.set(key, { count: Math.min(...lists.map((l) => l.length)), visits: visits.length });
  }
  return out;
}

/** Checks a requested range against the bookable window; defaults to the whole window. */
export function resolveRange(range: { from?: string; to?: string }, now: Date, rules: BookingRules) {
  const window = bookableRange(now, rules);
  const from = range.from ?? window.first;
  const to = range.to ?? window.last;
  if (from > to) throw new AppError('INVALID_RANGE', '`from` must not be after `to`', { from, to });
  if (from < window.first || to > window.last) {
    throw new AppError('DATE_OUT_OF_RANGE', `Bookable dates run from ${window.first} to ${window.last}`, {
      from,
      to,
      firstBookable: window.first,
      lastBookable: window.last,
    });
  }
  return { from, to };
}

/** The slots that may be offered at all (not past, inside the window), before contractor rules. */
export function bookableSlots(from: string, to: string, now: Date, rules: BookingRules): SlotRequest[] {
  return datesBetween(from, to).flatMap((date) =>
    SLOTS.filter((slot) => isSlotBookable(date, slot, now, rules)).map((slot) => ({ date, slot, ...rules.windows[slot] })),
  );
}

/**
 * Per date and slot, how many contractors could take this job: one statement for the whole range.
 */
export async function findAvailability(
  db: Queryable,
  spec: JobSpec,
  range: { from?: string; to?: string },
  viewer: Viewer,
  rules: BookingRules,
  now: Date,
): Promise<{ from: string; to: string; days: DayAvailability[] }> {
  const { from, to } = resolveRange(range, now, rules);
  const wanted = bookableSlots(from, to, now, rules);
  const [counts, closures] = await Promise.all([
    wanted.length
      ? executePrepared<{ date: string; slot: Slot; n: number }>(
          db,
          sql`select date::text as date, slot, count(*)::int as n from (${eligibleContractorSlots(spec, wanted, viewer, now)}) e group by date, slot`,
        )
      : Promise.resolve({ rows: [] as { date: string; slot: Slot; n: number }[] }),
    db
      .select()
      .from(businessClosures)
      .where(and(gte(businessClosures.date, from), lte(businessClosures.date, to))),
  ]);
  const countOf = new Map(counts.rows.map((r) => [`${r.date}/${r.slot}`, r.n]));
  const teams = await teamSlots(
    db,
    spec,
    wanted.filter((w) => !countOf.get(`${w.date}/${w.slot}`)),
    viewer,
    now,
  );
  const closedOn = new Map(closures.map((c) => [c.date, c.reason]));
  const offerable = new Set(wanted.map((w) => `${w.date}/${w.slot}`));

  const days = datesBetween(from, to).map((date) => {
    const closed = closedOn.has(date);
    return {
      date,
      closed,
      closureReason: closedOn.get(date) ?? null,
      slots: SLOTS.map((slot) => {
        const { startsAt, endsAt } = slotInstants(date, slot, rules);
        const bookable = !closed && offerable.has(`${date}/${slot}`);
        const key = `${date}/${slot}`;
        const team = bookable ? teams.get(key) : undefined;
        const contractorCount = bookable ? (countOf.get(key) ?? team?.count ?? 0) : 0;
        return { slot, startsAt, endsAt, bookable, contractorCount, visits: team && !countOf.get(key) ? team.visits : 1 };
      }),
    };
  });
  return { from, to, days };
}
