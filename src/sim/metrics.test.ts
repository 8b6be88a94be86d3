import { describe, expect, it } from 'vitest';
import { gini, mean, percentile } from './metrics.js';

describe('simulation metrics', () => {
  it('gini is 0 for equal shares and (n-1)/n when one has everything', () => {
    expect(gini([3, 3, 3, 3])).toBe(0);
    expect(gini([0, 0, 0, 8])).toBeCloseTo(0.75, 10);
    // Mean absolute difference form: sum |xi - xj| / (2 n^2 mean) = 8 / (2 * 9 * 2) for [1, 2, 3]
    expect(gini([3, 1, 2])).toBeCloseTo(8 / 36, 10);
    expect(gini([])).toBe(0);
  });
  it('percentile is nearest-rank; mean of nothing is 0', () => {
    expect(percentile([5, 1, 4, 2, 3, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([2], 90)).toBe(2);
    expect(mean([])).toBe(0);
    expect(mean([1, 2, 6])).toBe(3);
  });
});
