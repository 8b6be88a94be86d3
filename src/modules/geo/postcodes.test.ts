import { describe, expect, it } from 'vitest';
import { AppError, statusOf } from '../../shared/errors.js';
import { geocode, haversineMiles, outcodeTable, parsePostcode } from './postcodes.js';

describe('parsePostcode', () => {
  it.each([
    ['sw11 1aa', 'SW11 1AA', 'SW11'],
    ['EC1A1BB', 'EC1A 1BB', 'EC1A'],
    ['  m1 1ae ', 'M1 1AE', 'M1'],
    ['W1A 0AX', 'W1A 0AX', 'W1A'],
    ['sw11', 'SW11', 'SW11'],
  ])('%s -> %s', (input, postcode, outcode) => {
    expect(parsePostcode(input)).toEqual({ postcode, outcode });
  });
  it.each(['', 'hello', '12345', 'SW11 1A', 'SW11 AAA'])('rejects %j', (input) => {
    expect(parsePostcode(input)).toBeNull();
  });
});

describe('geocode', () => {
  it('uses the outward code centroid from the vendored table', () => {
    const g = geocode('SW11 1AA');
    expect(g.outcode).toBe('SW11');
    expect(g.latitude).toBeCloseTo(outcodeTable().get('SW11')!.latitude, 6);
  });
  it('is a 422 for an unknown outward code, never a guess', () => {
    try {
      geocode('ZZ99 9ZZ');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect(statusOf(e as AppError)).toBe(422);
      expect((e as AppError).code).toBe('UNKNOWN_POSTCODE');
    }
  });
  it('is a 422 for text that is not a postcode', () => {
    expect(() => geocode('not a postcode')).toThrow(/not a UK postcode/);
  });
  it('loads all rows', () => {
    expect(outcodeTable().size).toBe(2975);
  });
});

describe('haversineMiles', () => {
  it('is zero for the same point and symmetric', () => {
    const a = { latitude: 51.5, longitude: -0.1 };
    const b = { latitude: 53.48, longitude: -2.24 };
    expect(haversineMiles(a, a)).toBe(0);
    expect(haversineMiles(a, b)).toBeCloseTo(haversineMiles(b, a), 10);
  });
  it('matches the known London-Manchester great-circle distance (~163 miles)', () => {
    expect(haversineMiles({ latitude: 51.5074, longitude: -0.1278 }, { latitude: 53.4808, longitude: -2.2426 })).toBeGreaterThan(160);
    expect(haversineMiles({ latitude: 51.5074, longitude: -0.1278 }, { latitude: 53.4808, longitude: -2.2426 })).toBeLessThan(165);
  });
});
