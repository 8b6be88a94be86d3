import { DateTime } from 'luxon';
import type { ScoreWeights } from '../matching/score.js';

/** Pure slot arithmetic in the business time zone. No I/O. */

export const SLOTS = ['am', 'pm'] as const;
export type Slot = (typeof SLOTS)[number];
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

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(value: string): boolean {
  return ISO_DATE.test(value) && DateTime.fromISO(value, { zone: 'UTC' }).isValid;
}

/** The instants a slot starts and ends, DST-correct for its own date. */
export function slotInstants(date: string, slot: Slot, rules: Pick<BookingRules, 'zone' | 'windows'>) {
  const w = rules.windows[slot];
  const start = DateTime.fromISO(`${date}T${w.start}`, { zone: rules.zone });
  const end = DateTime.fromISO(`${date}T${w.end}`, { zone: rules.zone });
  if (!start.isValid || !end.isValid) throw new Error(`invalid slot ${date} ${slot}`);
  return { startsAt: start.toJSDate(), endsAt: end.toJSDate() };
}

/** ISO weekday (1 = Monday ... 7 = Sunday) of a calendar date. */
export function isoWeekday(date: string): number {
  return DateTime.fromISO(date, { zone: 'UTC' }).weekday;
}

export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
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
 * The slot urgent work falls in: today, the morning window until it ends, else the afternoon.
 * The booking starts now (or when the window opens) and runs to the window's end, at least two hours.
 */
export function urgentSlot(now: Date, rules: Pick<BookingRules, 'zone' | 'windows'>) {
  const date = localToday(now, rules.zone);
  const am = slotInstants(date, 'am', rules);
  const slot: Slot = now < am.endsAt ? 'am' : 'pm';
  const w = slotInstants(date, slot, rules);
  const startsAt = now > w.startsAt ? now : w.startsAt;
  const minEnd = new Date(startsAt.getTime() + 2 * 3_600_000);
  return { date, slot, startsAt, endsAt: w.endsAt > minEnd ? w.endsAt : minEnd };
}
