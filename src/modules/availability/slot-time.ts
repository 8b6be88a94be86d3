import { DateTime } from 'luxon';
import type { ScoreWeights } from '../matching/index.js';

/** Pure slot arithmetic in the business time zone. No I/O. */

import { SLOTS, type Slot } from '../../shared/slots.js';

export { SLOTS, type Slot };
export type SlotWindows = Record<Slot, { start: string; end: string }>;

export type BookingRules = {
  zone: string;
  windows: SlotWindows;
  windowDays: number;
  sameDay: boolean;
  sameDayCutoff: string;
  /** How holds, checkout and dispatch pick a contractor (MATCH_WEIGHTS); SPEC's points when absent. */
  scoreWeights?: ScoreWeights;
};

export { isIsoDate } from '../../shared/iso-date.js';

// Time-zone arithmetic is the costliest part of a hold or an availability answer in CPU, and its
// answers never change: a slot's instants are remembered (bounded; cleared when full).
const instants = new Map<string, { start: number; end: number }>();

/** The instants a slot starts and ends, DST-correct for its own date. */
export function slotInstants(date: string, slot: Slot, rules: Pick<BookingRules, 'zone' | 'windows'>) {
  const w = rules.windows[slot];
  const key = `${date}|${w.start}|${w.end}|${rules.zone}`;
  let known = instants.get(key);
  if (!known) {
    const start = DateTime.fromISO(`${date}T${w.start}`, { zone: rules.zone });
    const end = DateTime.fromISO(`${date}T${w.end}`, { zone: rules.zone });
    if (!start.isValid || !end.isValid) throw new Error(`invalid slot ${date} ${slot}`);
    if (instants.size > 20_000) instants.clear();
    known = { start: start.toMillis(), end: end.toMillis() };
    instants.set(key, known);
  }
  return { startsAt: new Date(known.start), endsAt: new Date(known.end) };
}

const DAY_MS = 86_400_000;
/** A calendar date (YYYY-MM-DD) as the UTC midnight it names; NaN when it is not a real date. */
function utcMidnight(date: string): number {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) throw new Error(`invalid date ${date}`);
  return ms;
}

/** ISO weekday (1 = Monday ... 7 = Sunday) of a calendar date. */
export function isoWeekday(date: string): number {
  return new Date(utcMidnight(date)).getUTCDay() || 7;
}

/** Calendar arithmetic on dates: no time zone is involved, so plain UTC days are exact. */
export function addDays(date: string, days: number): string {
  return new Date(utcMidnight(date) + days * DAY_MS).toISOString().slice(0, 10);
}

export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** Today's date where the business is. */
export function localToday(now: Date, zone: string): string {
  return DateTime.fromJSDate(now, { zone }).toISODate()!;
}

/**
 * First and last bookable dates: from tomorrow (or today when same-day booking is on and the
 * local clock is before the cut-off) to windowDays ahead of today.
 */
export function bookableRange(now: Date, rules: BookingRules): { first: string; last: string } {
  // The answer changes at most once a minute (the cut-off is HH:mm).
  const key = `${Math.floor(now.getTime() / 60_000)}|${rules.zone}|${rules.sameDay}|${rules.sameDayCutoff}|${rules.windowDays}`;
  if (lastRange?.key === key) return { ...lastRange.range };
  const range = computeBookableRange(now, rules);
  lastRange = { key, range };
  return range;
}

let lastRange: { key: string; range: { first: string; last: string } } | null = null;

function computeBookableRange(now: Date, rules: BookingRules): { first: string; last: string } {
  const local = DateTime.fromJSDate(now, { zone: rules.zone });
  const today = local.toISODate()!;
  const beforeCutoff = local.toFormat('HH:mm') < rules.sameDayCutoff;
  const first = rules.sameDay && beforeCutoff ? today : addDays(today, 1);
  return { first, last: addDays(today, rules.windowDays) };
}

/** Whether a customer may book this slot now (closures are checked by the caller's data). */
export function isSlotBookable(date: string, slot: Slot, now: Date, rules: BookingRules): boolean {
  const { first, last } = bookableRange(now, rules);
  if (date < first || date > last) return false;
  return slotInstants(date, slot, rules).startsAt.getTime() > now.getTime();
}

/** "HH:MM[:SS]" -> minutes after midnight. */
export function minutesOf(time: string): number {
  const [h, m] = time.split(':');
  return Number(h) * 60 + Number(m);
}

/** A working window covers a slot when the slot lies entirely inside it. */
export function windowCovers(window: { start: string; end: string }, slot: { start: string; end: string }): boolean {
  return minutesOf(window.start) <= minutesOf(slot.start) && minutesOf(window.end) >= minutesOf(slot.end);
}

/**
 * The slot urgent work is for (SPEC "Urgent dispatch"): the current slot while it has not ended;
 * between windows, after the day's last window or before the first, the next slot that has not
 * ended (12:00-13:00 -> today pm; after 17:00 -> tomorrow am; before 08:00 -> today am). The
 * booking starts now, or when that window opens, and runs to the window's end, at least two
 * hours. `startsNow` says whether a contractor can come straight away (else: expect them from
 * `startsAt`). Every instant is computed for its own date, so DST days are right.
 */
export function urgentSlot(now: Date, rules: Pick<BookingRules, 'zone' | 'windows'>) {
  const today = localToday(now, rules.zone);
  const next = [today, addDays(today, 1)]
    .flatMap((date) => SLOTS.map((slot) => ({ date, slot, ...slotInstants(date, slot, rules) })))
    .find((w) => w.endsAt.getTime() > now.getTime())!;
  const startsNow = next.startsAt.getTime() <= now.getTime();
  const startsAt = startsNow ? now : next.startsAt;
  const minEnd = new Date(startsAt.getTime() + 2 * 3_600_000);
  return { date: next.date, slot: next.slot, startsAt, endsAt: next.endsAt > minEnd ? next.endsAt : minEnd, startsNow };
}

/** What the customer is told: when to expect the contractor, in the business's words and zone. */
export function urgentExpectation(u: ReturnType<typeof urgentSlot>, now: Date, zone: string): string {
  if (u.startsNow) return `A contractor can come now, before ${DateTime.fromJSDate(u.endsAt, { zone }).toFormat('HH:mm')} today`;
  const at = DateTime.fromJSDate(u.startsAt, { zone });
  const day =
    u.date === localToday(now, zone) ? 'today' : u.date === addDays(localToday(now, zone), 1) ? 'tomorrow' : at.toFormat('cccc d LLLL');
  return `Expect the contractor ${day} from ${at.toFormat('HH:mm')} (${u.slot === 'am' ? 'morning' : 'afternoon'} slot)`;
}
