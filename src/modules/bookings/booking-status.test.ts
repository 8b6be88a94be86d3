import { describe, expect, it } from 'vitest';
import { BOOKING_STATUSES, canTransition, isActive, needsReason, type BookingStatus } from './booking-status.js';

const ALLOWED: [BookingStatus, BookingStatus][] = [
  ['pending_confirmation', 'confirmed'],
  ['pending_confirmation', 'declined'],
  ['pending_confirmation', 'cancelled'],
  ['confirmed', 'in_progress'],
  ['confirmed', 'cancelled'],
  ['in_progress', 'completed'],
];

describe('booking status machine', () => {
  it('allows exactly the SPEC transitions', () => {
    for (const from of BOOKING_STATUSES) {
      for (const to of BOOKING_STATUSES) {
        const expected = ALLOWED.some(([f, t]) => f === from && t === to);
        expect(canTransition(from, to), `${from} -> ${to}`).toBe(expected);
      }
    }
  });
  it('treats pending, confirmed and in progress as blocking', () => {
    expect(BOOKING_STATUSES.filter(isActive)).toEqual(['pending_confirmation', 'confirmed', 'in_progress']);
  });
  it('needs a reason to cancel or decline', () => {
    expect(BOOKING_STATUSES.filter(needsReason)).toEqual(['cancelled', 'declined']);
  });
});
