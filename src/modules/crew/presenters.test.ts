import { describe, expect, it } from 'vitest';
import { leaks, rowWith } from '../../../test/helpers/rows.js';
import { presentJob, presentPlace } from './presenters.js';

describe('crew presenters', () => {
  it('name their fields: a column added later and the receipt path stay out', () => {
    expect(leaks(presentJob(rowWith({ id: 'j1', requiredWorkers: 3, reservedCount: 1, confirmedCount: 0 }), []))).toBe(false);
    const place = presentPlace(rowWith({ id: 'p1', receiptPath: '/uploads/x.png', idempotencyKey: 'k' }));
    expect(leaks(place)).toBe(false);
    expect(JSON.stringify(place)).not.toMatch(/uploads|"k"/);
  });
});
