import { and, gte, lte, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { unprocessable } from '../../http/errors.js';
import type { JobSpec } from '../jobs/job-spec.js';
import { eligibleContractorSlots, type SlotRequest, type Viewer } from './eligibility-sql.js';
import { businessClosures } from './schema.js';
import { bookableRange, datesBetween, isSlotBookable, slotInstants, SLOTS, type BookingRules, type Slot } from './slot-time.js';

export type DayAvailability = {
  date: string;
  closed: boolean;
  closureReason: string | null;
  slots: { slot: Slot; startsAt: Date; endsAt: Date; bookable: boolean; contractorCount: number }[];
};

/** Checks a requested range against the bookable window; defaults to the whole window. */
export function resolveRange(range: { from?: string; to?: string }, now: Date, rules: BookingRules) {
  const window = bookableRange(now, rules);
  const from = range.from ?? window.first;
  const to = range.to ?? window.last;
  if (from > to) throw unprocessable('INVALID_RANGE', '`from` must not be after `to`', { from, to });
  if (from < window.first || to > window.last) {
    throw unprocessable('DATE_OUT_OF_RANGE', `Bookable dates run from ${window.first} to ${window.last}`, {
      from, to, firstBookable: window.first, lastBookable: window.last,
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
      ? db.execute<{ date: string; slot: Slot; n: number }>(
          sql`select date::text as date, slot, count(*)::int as n from (${eligibleContractorSlots(spec, wanted, viewer, now)}) e group by date, slot`,
        )
      : Promise.resolve({ rows: [] as { date: string; slot: Slot; n: number }[] }),
    db.select().from(businessClosures).where(and(gte(businessClosures.date, from), lte(businessClosures.date, to))),
  ]);
  const countOf = new Map(counts.rows.map((r) => [`${r.date}/${r.slot}`, r.n]));
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
        return { slot, startsAt, endsAt, bookable, contractorCount: bookable ? (countOf.get(`${date}/${slot}`) ?? 0) : 0 };
      }),
    };
  });
  return { from, to, days };
}
