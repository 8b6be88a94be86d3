import { describe, expect, it } from 'vitest';
import { DETECTION_CASES } from './detection-cases.js';
import { detectSkus, detectWithCoverage, editDistance, normalise } from './detect-skus.js';
import { SKUS } from './sku-data.js';

const catalog = SKUS.map((s) => ({ code: s.code, keywords: s.keywords }));
const CONFIDENT = 50;

/** Micro precision and recall over the labelled enquiries. */
export function evaluate() {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const misses: string[] = [];
  for (const c of DETECTION_CASES) {
    const got = new Set(
      detectSkus(c.text, catalog)
        .filter((d) => d.confidence >= CONFIDENT)
        .map((d) => d.code),
    );
    for (const code of got)
      if (c.expected.includes(code)) tp++;
      else {
        fp++;
        misses.push(`+${code}: ${c.text}`);
      }
    for (const code of c.expected)
      if (!got.has(code)) {
        fn++;
        misses.push(`-${code}: ${c.text}`);
      }
  }
  return { precision: tp / (tp + fp), recall: tp / (tp + fn), misses };
}

describe('normalisation', () => {
  it('lower-cases, drops punctuation, folds US words and plurals', () => {
    expect(normalise('Leaky FAUCETS, shelves & TVs!')).toEqual(['leaky', 'tap', 'shelf', 'and', 'tv']);
  });
  it('measures typos with transpositions', () => {
    expect(editDistance('leeking', 'leaking')).toBe(1);
    expect(editDistance('gutetr', 'gutter')).toBe(1);
    expect(editDistance('tap', 'door')).toBeGreaterThan(2);
  });
});

describe('detectSkus', () => {
  it('is confident on an exact phrase and less so on a typo', () => {
    const [exact] = detectSkus('leaking tap', catalog);
    const [typo] = detectSkus('leeking tap', catalog);
    expect(exact).toMatchObject({ code: 'PLB-TAP-REPAIR', confidence: 100 });
    expect(typo!.code).toBe('PLB-TAP-REPAIR');
    expect(typo!.confidence).toBeLessThan(100);
    expect(typo!.confidence).toBeGreaterThanOrEqual(80);
  });
  it('reads quantities', () => {
    expect(detectSkus('please mount 3 tvs', catalog)[0]).toMatchObject({ code: 'GEN-TV', quantity: 3 });
    expect(detectSkus('two new taps', catalog)[0]).toMatchObject({ code: 'PLB-TAP-FIT', quantity: 2 });
  });
  it('finds nothing in unrelated text', () => {
    expect(detectSkus('What are your opening hours?', catalog)).toEqual([]);
  });
  it(`reaches precision and recall of at least 0.9 on ${DETECTION_CASES.length} labelled enquiries`, () => {
    expect(DETECTION_CASES.length).toBeGreaterThanOrEqual(40);
    const r = evaluate();
    expect(r.misses, r.misses.join('\n')).toBeDefined();
    expect(r.precision, r.misses.join('\n')).toBeGreaterThanOrEqual(0.9);
    expect(r.recall, r.misses.join('\n')).toBeGreaterThanOrEqual(0.9);
  });
});

describe('detectWithCoverage', () => {
  const codes = (text: string) => detectWithCoverage(text, catalog).detections.map((d) => [d.code, d.quantity]);
  it('finds every job in a mixed enquiry, with quantities', () => {
    expect(codes('need 3 doors hung and a shelf put up').sort()).toEqual([
      ['CAR-DOOR-HANG', 3],
      ['CAR-HANG', 1],
    ]);
    expect(codes('assemble 2 wardrobes')).toEqual([['CAR-FLATPACK', 2]]);
    expect(codes('hang 3 doors')).toEqual([['CAR-DOOR-HANG', 3]]);
  });
  it('names what no detection covers, so part of a job is never quoted as the whole', () => {
    expect(detectWithCoverage('bleed 5 radiators and put up a shelf', catalog)).toMatchObject({
      detections: [expect.objectContaining({ code: 'CAR-HANG' })],
      uncovered: ['radiator'],
    });
  });
  it('thinks none of the labelled enquiries partial: places and colours are not jobs', () => {
    const partial = DETECTION_CASES.filter((c) => c.expected.length && detectWithCoverage(c.text, catalog).uncovered.length);
    expect(partial.map((c) => c.text)).toEqual([]);
    expect(detectWithCoverage('fix the leaking tap in the kitchen and the back door', catalog).uncovered).toEqual(['door']);
  });
  it('leaves rooms and surfaces alone, and counts a detected SKU’s own words as covered', () => {
    for (const text of ['my kitchen tap is leaking', 'mount my tv on the wall', 'assemble an ikea wardrobe', 'the light switch is broken'])
      expect(detectWithCoverage(text, catalog).uncovered, text).toEqual([]);
  });
});
