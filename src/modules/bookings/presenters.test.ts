import { describe, expect, it } from 'vitest';
import { leaks, rowWith } from '../../../test/helpers/rows.js';
import { BOOKING_EVENT_FIELDS, BOOKING_FIELDS, MATCH_FIELDS, presentBooking, presentBookingEvent, presentMatch } from './presenters.js';

describe('booking presenters list what they show', () => {
  it.each([
    ['booking', presentBooking, BOOKING_FIELDS],
    ['booking event', presentBookingEvent, BOOKING_EVENT_FIELDS],
    ['matching history row', presentMatch, MATCH_FIELDS],
  ] as const)('a %s shows exactly its listed columns', (_name, present, fields) => {
    const out = present(rowWith({ id: 'x', claimId: 'c1', sessionId: 's1', breakdown: { skill: 1 }, notes: 'n' }));
    expect(Object.keys(out).sort()).toEqual([...fields].sort());
    expect(leaks(out)).toBe(false);
  });
});
