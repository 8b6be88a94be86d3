import { describe, expect, it } from 'vitest';
import { urgentExpectation, urgentSlot, type BookingRules } from './slot-time.js';

const rules: Pick<BookingRules, 'zone' | 'windows'> = {
  zone: 'Europe/London',
  windows: { am: { start: '08:00', end: '12:00' }, pm: { start: '13:00', end: '17:00' } },
};
const at = (iso: string) => new Date(iso);

describe('urgentSlot: the slot an urgent job is for (SPEC "Urgent dispatch")', () => {
  it.each([
    // [now (UTC; winter = London), date, slot, startsNow, startsAt]
    ['2026-11-23T06:30:00Z', '2026-11-23', 'am', false, '2026-11-23T08:00:00.000Z'], // before 08:00 -> today am
    ['2026-11-23T09:15:00Z', '2026-11-23', 'am', true, '2026-11-23T09:15:00.000Z'], // inside am -> now
    ['2026-11-23T11:59:00Z', '2026-11-23', 'am', true, '2026-11-23T11:59:00.000Z'],
    ['2026-11-23T12:00:00Z', '2026-11-23', 'pm', false, '2026-11-23T13:00:00.000Z'], // am has ended -> today pm
    ['2026-11-23T12:30:00Z', '2026-11-23', 'pm', false, '2026-11-23T13:00:00.000Z'], // lunch gap -> today pm
    ['2026-11-23T16:00:00Z', '2026-11-23', 'pm', true, '2026-11-23T16:00:00.000Z'],
    ['2026-11-23T17:00:00Z', '2026-11-24', 'am', false, '2026-11-24T08:00:00.000Z'], // pm has ended -> tomorrow am
    ['2026-11-23T21:45:00Z', '2026-11-24', 'am', false, '2026-11-24T08:00:00.000Z'],
    ['2026-11-23T23:30:00Z', '2026-11-24', 'am', false, '2026-11-24T08:00:00.000Z'], // before midnight
    ['2026-11-24T00:10:00Z', '2026-11-24', 'am', false, '2026-11-24T08:00:00.000Z'], // just after midnight
  ] as const)('at %s it is for %s %s', (now, date, slot, startsNow, startsAt) => {
    const u = urgentSlot(at(now), rules);
    expect(u).toMatchObject({ date, slot, startsNow });
    expect(u.startsAt.toISOString()).toBe(startsAt);
    expect(u.endsAt.getTime()).toBeGreaterThan(at(now).getTime());
  });

  it('runs to the end of the window, or two hours when it starts late', () => {
    expect(urgentSlot(at('2026-11-23T09:00:00Z'), rules).endsAt.toISOString()).toBe('2026-11-23T12:00:00.000Z');
    expect(urgentSlot(at('2026-11-23T16:30:00Z'), rules).endsAt.toISOString()).toBe('2026-11-23T18:30:00.000Z');
  });

  it('uses local time on BST days and across both 2026 DST changes', () => {
    // 2026-07-01 17:30 BST (16:30 UTC) is after the day's last window in London.
    expect(urgentSlot(at('2026-07-01T16:30:00Z'), rules)).toMatchObject({ date: '2026-07-02', slot: 'am' });
    expect(urgentSlot(at('2026-07-01T16:30:00Z'), rules).startsAt.toISOString()).toBe('2026-07-02T07:00:00.000Z');
    // 15:30 UTC = 16:30 BST: still the pm slot.
    expect(urgentSlot(at('2026-07-01T15:30:00Z'), rules)).toMatchObject({ date: '2026-07-01', slot: 'pm', startsNow: true });
    // Evening before the clocks go forward (Sat 28 Mar, GMT) -> Sunday am at 08:00 BST = 07:00 UTC.
    const spring = urgentSlot(at('2026-03-28T18:00:00Z'), rules);
    expect(spring).toMatchObject({ date: '2026-03-29', slot: 'am' });
    expect(spring.startsAt.toISOString()).toBe('2026-03-29T07:00:00.000Z');
    // Evening before the clocks go back (Sat 24 Oct, BST) -> Sunday am at 08:00 GMT = 08:00 UTC.
    const autumn = urgentSlot(at('2026-10-24T17:00:00Z'), rules);
    expect(autumn).toMatchObject({ date: '2026-10-25', slot: 'am' });
    expect(autumn.startsAt.toISOString()).toBe('2026-10-25T08:00:00.000Z');
    // 07:30 UTC on the spring day is 08:30 BST: inside the am slot.
    expect(urgentSlot(at('2026-03-29T07:30:00Z'), rules)).toMatchObject({ date: '2026-03-29', slot: 'am', startsNow: true });
  });

  it('tells the customer when to expect the contractor', () => {
    const evening = at('2026-11-23T19:00:00Z');
    expect(urgentExpectation(urgentSlot(evening, rules), evening, rules.zone)).toBe(
      'Expect the contractor tomorrow from 08:00 (morning slot)',
    );
    const lunch = at('2026-11-23T12:20:00Z');
    expect(urgentExpectation(urgentSlot(lunch, rules), lunch, rules.zone)).toBe('Expect the contractor today from 13:00 (afternoon slot)');
    const morning = at('2026-11-23T09:00:00Z');
    expect(urgentExpectation(urgentSlot(morning, rules), morning, rules.zone)).toBe('A contractor can come now, before 12:00 today');
  });
});
