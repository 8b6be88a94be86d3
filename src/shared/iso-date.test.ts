import { describe, expect, it } from 'vitest';
import { isIsoDate } from './iso-date.js';

describe('isIsoDate', () => {
  it('accepts real calendar dates, leap days included', () => {
    for (const d of ['2026-11-22', '2028-02-29', '2000-02-29', '2026-12-31', '2027-01-01', '2026-04-30', '1900-01-01', '2999-12-31'])
      expect(isIsoDate(d), d).toBe(true);
  });
  it('refuses dates that do not exist and other shapes', () => {
    for (const d of [
      '2026-02-29',
      '2100-02-29',
      '2026-04-31',
      '2026-11-00',
      '1899-12-31',
      '3000-01-01',
      '2026-02-30',
      '2026-13-01',
      '2026-00-10',
      '2026-11-31',
      '2026-1-2',
      '2026-11-22T00:00',
      ' 2026-11-22',
      '',
    ])
      expect(isIsoDate(d), d).toBe(false);
  });
});
