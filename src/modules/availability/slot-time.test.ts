import { describe, expect, it } from 'vitest';
import {
  addDays,
  bookableRange,
  datesBetween,
  isoWeekday,
  isSlotBookable,
  slotInstants,
  windowCovers,
  type BookingRules,
} from './slot-time.js';

const rules: BookingRules = {
  zone: 'Europe/London',
  windows: { am: { start: '08:00', end: '12:00' }, pm: { start: '13:00', end: '17:00' } },
  windowDays: 28,
  sameDay: false,
  sameDayCutoff: '10:00',
};

describe('slotInstants', () => {
  it('uses GMT in winter', () => {
    const { startsAt, endsAt } = slotInstants('2026-01-15', 'am', rules);
    expect(startsAt.toISOString()).toBe('2026-01-15T08:00:00.000Z');
    expect(endsAt.toISOString()).toBe('2026-01-15T12:00:00.000Z');
  });
  it('uses BST in summer', () => {
    expect(slotInstants('2026-07-01', 'pm', rules).startsAt.toISOString()).toBe('2026-07-01T12:00:00.000Z');
  });
  it('is correct on the day clocks go forward (29 March 2026, 01:00 GMT -> 02:00 BST)', () => {
    const am = slotInstants('2026-03-29', 'am', rules);
    expect(am.startsAt.toISOString()).toBe('2026-03-29T07:00:00.000Z');
    expect(am.endsAt.getTime() - am.startsAt.getTime()).toBe(4 * 3600_000);
    // The day before is still GMT.
    expect(slotInstants('2026-03-28', 'am', rules).startsAt.toISOString()).toBe('2026-03-28T08:00:00.000Z');
  });
  it('is correct on the day clocks go back (25 October 2026)', () => {
    expect(slotInstants('2026-10-25', 'am', rules).startsAt.toISOString()).toBe('2026-10-25T08:00:00.000Z');
    expect(slotInstants('2026-10-24', 'am', rules).startsAt.toISOString()).toBe('2026-10-24T07:00:00.000Z');
  });
  it('honours configured windows', () => {
    const custom = { ...rules, windows: { am: { start: '07:30', end: '11:30' }, pm: { start: '12:30', end: '18:00' } } };
    expect(slotInstants('2026-01-15', 'pm', custom).endsAt.toISOString()).toBe('2026-01-15T18:00:00.000Z');
  });
});

describe('bookable window', () => {
  it('runs from tomorrow to 28 days ahead by default', () => {
    expect(bookableRange(new Date('2026-11-23T07:00:00Z'), rules)).toEqual({ first: '2026-11-24', last: '2026-12-21' });
  });
  it('uses the London date, not the UTC one, around midnight in summer', () => {
    // 23:30 UTC on 30 June is 00:30 BST on 1 July: tomorrow is 2 July.
    expect(bookableRange(new Date('2026-06-30T23:30:00Z'), rules).first).toBe('2026-07-02');
  });
  it('opens today when same-day booking is on and it is before the cut-off', () => {
    const sameDay = { ...rules, sameDay: true };
    expect(bookableRange(new Date('2026-11-23T09:59:00Z'), sameDay).first).toBe('2026-11-23');
    expect(bookableRange(new Date('2026-11-23T10:00:00Z'), sameDay).first).toBe('2026-11-24');
  });
  it('never offers a slot that has started', () => {
    const sameDay = { ...rules, sameDay: true };
    const now = new Date('2026-11-23T09:00:00Z');
    expect(isSlotBookable('2026-11-23', 'am', now, sameDay)).toBe(false);
    expect(isSlotBookable('2026-11-23', 'pm', now, sameDay)).toBe(true);
    expect(isSlotBookable('2026-11-23', 'pm', now, rules)).toBe(false);
  });
  it('rejects dates past the window and in the past', () => {
    const now = new Date('2026-11-23T07:00:00Z');
    expect(isSlotBookable('2026-12-21', 'pm', now, rules)).toBe(true);
    expect(isSlotBookable('2026-12-22', 'am', now, rules)).toBe(false);
    expect(isSlotBookable('2026-11-22', 'am', now, rules)).toBe(false);
  });
});

describe('calendar helpers', () => {
  it('numbers weekdays ISO style', () => {
    expect(isoWeekday('2026-11-23')).toBe(1);
    expect(isoWeekday('2026-11-29')).toBe(7);
    expect(isoWeekday('2028-02-29')).toBe(2);
  });
  it('adds days across month, year and leap-day boundaries, backwards too', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-03-28', 28)).toBe('2026-04-25');
    expect(() => addDays('2026-02-30', 1)).toThrow(/invalid date/);
  });
  it('remembers slot instants without sharing the Date objects it returns', () => {
    const a = slotInstants('2026-03-29', 'am', rules);
    a.startsAt.setTime(0);
    expect(slotInstants('2026-03-29', 'am', rules).startsAt.toISOString()).toBe('2026-03-29T07:00:00.000Z');
  });
  it('lists dates across a DST change and month end', () => {
    expect(datesBetween('2026-10-24', '2026-10-26')).toEqual(['2026-10-24', '2026-10-25', '2026-10-26']);
    expect(datesBetween('2026-02-27', '2026-03-01')).toHaveLength(3);
  });
  it('covers a slot only when the whole window fits', () => {
    const am = rules.windows.am;
    expect(windowCovers({ start: '08:00', end: '12:00' }, am)).toBe(true);
    expect(windowCovers({ start: '08:00:00', end: '17:00:00' }, am)).toBe(true);
    expect(windowCovers({ start: '08:30', end: '17:00' }, am)).toBe(false);
    expect(windowCovers({ start: '07:00', end: '11:59' }, am)).toBe(false);
  });
});
