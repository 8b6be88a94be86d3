import { describe, expect, it } from 'vitest';
import {
  canMove,
  countsValid,
  counterDelta,
  HELD,
  jobTarget,
  LIVE,
  PLACE_MOVES,
  PLACE_STATUSES,
  placesLeft,
  statusForCounts,
  type PlaceAction,
} from './crew-states.js';
import { channelText, jobText, placeText, pounds, shownPlacesLeft, when } from './crew-text.js';
import { parseNewJob } from './telegram.js';

const counts = (reservedCount: number, confirmedCount: number, requiredWorkers = 3) => ({ reservedCount, confirmedCount, requiredWorkers });

describe('crew place moves', () => {
  it('follow the table: receipt from reserved only; approve/reject/cancel before confirmation; expiry only unpaid', () => {
    expect(canMove('reserved', 'submit_receipt')).toBe(true);
    expect(canMove('receipt_submitted', 'submit_receipt')).toBe(false);
    expect(canMove('receipt_submitted', 'approve')).toBe(true);
    expect(canMove('confirmed', 'approve')).toBe(false);
    expect(canMove('confirmed', 'cancel')).toBe(false);
    expect(canMove('receipt_submitted', 'cancel')).toBe(true);
    expect(canMove('receipt_submitted', 'expire')).toBe(false);
    expect(canMove('reserved', 'expire')).toBe(true);
    for (const end of ['rejected', 'cancelled', 'expired'] as const) {
      for (const a of Object.keys(PLACE_MOVES) as PlaceAction[]) expect(canMove(end, a), `${end} ${a}`).toBe(false);
    }
  });

  it('change the counters by the move alone (every start state of a move weighs the same)', () => {
    for (const [action, m] of Object.entries(PLACE_MOVES)) {
      const deltas = m.from.map((f) => counterDelta(f, m.to));
      expect(new Set(deltas.map((d) => JSON.stringify(d))).size, action).toBe(1);
    }
    expect(counterDelta(null, 'reserved')).toEqual({ reserved: 1, confirmed: 0 });
    expect(counterDelta('receipt_submitted', 'confirmed')).toEqual({ reserved: -1, confirmed: 1 });
    expect(counterDelta('reserved', 'receipt_submitted')).toEqual({ reserved: 0, confirmed: 0 });
    expect(counterDelta('reserved', 'expired')).toEqual({ reserved: -1, confirmed: 0 });
    expect(counterDelta('confirmed', 'cancelled')).toEqual({ reserved: 0, confirmed: -1 });
  });

  it('count exactly the live states, held ones in reserved_count', () => {
    expect(PLACE_STATUSES.filter((s) => LIVE.includes(s))).toEqual(['reserved', 'receipt_submitted', 'confirmed']);
    expect(HELD).toEqual(['reserved', 'receipt_submitted']);
  });
});

describe('crew job status', () => {
  it('open and full follow the counters; staff statuses stay', () => {
    expect(statusForCounts('open', counts(2, 1))).toBe('full');
    expect(statusForCounts('full', counts(1, 1))).toBe('open');
    expect(statusForCounts('in_progress', counts(0, 0))).toBe('in_progress');
    expect(statusForCounts('draft', counts(0, 0))).toBe('draft');
    expect(jobTarget('post', counts(0, 3))).toBe('full');
    expect(jobTarget('post', counts(0, 0))).toBe('open');
  });

  it('places left and the invariant', () => {
    expect(placesLeft(counts(1, 1))).toBe(1);
    expect(countsValid(counts(2, 1))).toBe(true);
    expect(countsValid(counts(3, 1))).toBe(false);
    expect(countsValid(counts(-1, 0))).toBe(false);
  });
});

describe('crew texts', () => {
  const job = {
    id: '11111111-2222-4333-8444-555555555555',
    title: 'Office move',
    description: 'Bring gloves',
    outcode: 'SW11',
    date: '2026-12-01',
    slot: 'am' as const,
    startsAt: new Date('2026-12-01T08:00:00Z'),
    endsAt: new Date('2026-12-01T12:00:00Z'),
    placeFeePence: 2500,
    requiredWorkers: 3,
    reservedCount: 1,
    confirmedCount: 1,
    status: 'open' as const,
  };

  it('shows places left and the deep link while places are free', () => {
    const text = channelText(job, 'Europe/London', 'handy_bot');
    expect(text).toContain('Places left: 1 of 3');
    expect(text).toContain('place fee £25.00');
    expect(text).toContain('https://t.me/handy_bot?start=job_11111111-2222-4333-8444-555555555555');
    expect(when(job, 'Europe/London')).toBe('Tue 1 Dec 2026, 08:00-12:00');
  });

  it('says full (no link) when full, cancelled when cancelled', () => {
    expect(channelText({ ...job, reservedCount: 2 }, 'Europe/London', 'b')).toContain('FULL: all 3 places taken');
    expect(channelText({ ...job, reservedCount: 2 }, 'Europe/London', 'b')).not.toContain('t.me');
    expect(jobText({ ...job, status: 'cancelled' }, 'Europe/London')).toContain('CANCELLED');
    expect(shownPlacesLeft({ ...job, status: 'cancelled' })).toBe(-1);
    expect(shownPlacesLeft(job)).toBe(1);
  });

  it('tells a contractor what to do with a reservation', () => {
    const t = placeText(
      { status: 'reserved', feePence: 2500, expiresAt: new Date('2026-11-23T07:30:00Z'), rejectReason: null },
      'Office move',
      'Europe/London',
    );
    expect(t).toContain('Pay the place fee of £25.00');
    expect(t).toContain('before 07:30');
    expect(pounds(5)).toBe('£0.05');
  });
});

describe('/newjob', () => {
  it('parses a slot or times, fee in pounds, tasks and description', () => {
    expect(
      parseNewJob('Office move | SW11 1AA | 2026-12-01 | am | 3 | 25.50 | general-odd-jobs, furniture-assembly | Bring gloves'),
    ).toEqual({
      title: 'Office move',
      postcode: 'SW11 1AA',
      date: '2026-12-01',
      slot: 'am',
      startTime: null,
      endTime: null,
      requiredWorkers: 3,
      placeFeePence: 2550,
      taskIds: ['general-odd-jobs', 'furniture-assembly'],
      description: 'Bring gloves',
    });
    expect(parseNewJob('Site clear | E1 | 2026-12-02 | 07:30-15:00 | 5 | £0')).toMatchObject({
      slot: null,
      startTime: '07:30',
      endTime: '15:00',
      placeFeePence: 0,
      taskIds: [],
      description: null,
    });
  });

  it('refuses anything else with the format', () => {
    for (const bad of [
      '',
      'x | y',
      'Office move | SW11 | 2026-12-01 | noon | 3 | 25',
      'Office move | SW11 | 2026-12-01 | am | 0 | 25',
      'Office move | SW11 | 2026-12-01 | am | 3 | lots',
    ]) {
      expect(() => parseNewJob(bad), bad).toThrow(/Format/);
    }
  });
});
