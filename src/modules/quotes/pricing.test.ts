import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TIERS,
  defaultSelection,
  mulDivHalfUp,
  priceSelection,
  SelectionError,
  type LineItem,
  type QuotePricing,
} from './pricing.js';

const item = (id: string, pricePence: number, quantity = 1): LineItem => ({ id, skuCode: null, description: id, pricePence, quantity });
const quote = (over: Partial<QuotePricing> = {}): QuotePricing => ({
  style: 'fixed',
  lineItems: [item('a', 4500), item('b', 1250, 2)],
  optionalItems: [],
  tiers: [],
  customerType: 'homeowner',
  depositPercent: 20,
  ...over,
});
const none = { tier: null, optionalItemIds: [] };

describe('rounding', () => {
  it('rounds halves up to the penny', () => {
    expect(mulDivHalfUp(1, 50, 100)).toBe(1); // 0.5 -> 1
    expect(mulDivHalfUp(1, 49, 100)).toBe(0);
    expect(mulDivHalfUp(250, 85, 100)).toBe(213); // 212.5 -> 213
    expect(mulDivHalfUp(2, 25, 100)).toBe(1); // 0.5 -> 1
  });
});

describe('fixed', () => {
  it('sums price x quantity; deposit is 20% by default', () => {
    expect(priceSelection(quote(), none)).toEqual({ subtotalPence: 7000, totalPence: 7000, depositPence: 1400 });
  });
  it.each([
    ['homeowner', 7000],
    ['landlord', 7000],
    ['pm', 5950],
    ['commercial', 8400],
  ] as const)('applies the %s modifier', (customerType, total) => {
    expect(priceSelection(quote({ customerType }), none).totalPence).toBe(total);
  });
  it('rounds the modifier and the deposit half up', () => {
    // 4510 x 0.85 = 3833.5 -> 3834; deposit 20% = 766.8 -> 767
    expect(priceSelection(quote({ lineItems: [item('a', 4510)], customerType: 'pm' }), none)).toEqual({
      subtotalPence: 4510,
      totalPence: 3834,
      depositPence: 767,
    });
    // 1 x 1.2 = 1.2 -> 1; deposit of 1 at 50% = 0.5 -> 1
    expect(priceSelection(quote({ lineItems: [item('a', 1)], customerType: 'commercial', depositPercent: 50 }), none)).toEqual({
      subtotalPence: 1,
      totalPence: 1,
      depositPence: 1,
    });
  });
  it('honours a custom deposit percent', () => {
    expect(priceSelection(quote({ depositPercent: 35 }), none).depositPence).toBe(2450);
  });
  it('refuses tiers and optional items', () => {
    expect(() => priceSelection(quote(), { tier: 'hassle_free', optionalItemIds: [] })).toThrow(SelectionError);
    expect(() => priceSelection(quote(), { tier: null, optionalItemIds: ['x'] })).toThrow(SelectionError);
  });
});

describe('fixed_optionals', () => {
  const q = quote({ style: 'fixed_optionals', optionalItems: [item('o1', 999), item('o2', 2001, 3)] });
  it('adds only the ticked optional items, then the modifier', () => {
    expect(priceSelection(q, none).totalPence).toBe(7000);
    expect(priceSelection(q, { tier: null, optionalItemIds: ['o2'] }).totalPence).toBe(13003);
    expect(priceSelection({ ...q, customerType: 'pm' }, { tier: null, optionalItemIds: ['o1', 'o2'] })).toEqual({
      subtotalPence: 14002,
      totalPence: 11902,
      depositPence: 2380, // 11901.7 -> 11902; 2380.4 -> 2380
    });
  });
  it('refuses unknown or repeated optional items', () => {
    expect(() => priceSelection(q, { tier: null, optionalItemIds: ['nope'] })).toThrow(/unknown optional item/);
    expect(() => priceSelection(q, { tier: null, optionalItemIds: ['o1', 'o1'] })).toThrow(/twice/);
  });
});

describe('hhh', () => {
  const q = quote({ style: 'hhh', tiers: DEFAULT_TIERS });
  it('prices the three tiers at x1.0, x1.3 and x1.6', () => {
    expect(priceSelection(q, { tier: 'handy_fix', optionalItemIds: [] }).totalPence).toBe(7000);
    expect(priceSelection(q, { tier: 'hassle_free', optionalItemIds: [] }).totalPence).toBe(9100);
    expect(priceSelection(q, { tier: 'high_standard', optionalItemIds: [] }).totalPence).toBe(11200);
  });
  it('rounds the tier multiple half up, adds tier extras, then applies the modifier', () => {
    const tiers = DEFAULT_TIERS.map((t) => (t.key === 'hassle_free' ? { ...t, multiplierBp: 12_500, extraItems: [item('x', 1000)] } : t));
    // 4501 x 1.25 = 5626.25 -> 5626; + 1000 = 6626; commercial x1.2 = 7951.2 -> 7951; deposit 1590.2 -> 1590
    expect(
      priceSelection(
        { ...q, tiers, lineItems: [item('a', 4501)], customerType: 'commercial' },
        { tier: 'hassle_free', optionalItemIds: [] },
      ),
    ).toEqual({
      subtotalPence: 6626,
      totalPence: 7951,
      depositPence: 1590,
    });
  });
  it('needs a tier, and defaults to the popular one (Hassle-Free)', () => {
    expect(() => priceSelection(q, none)).toThrow(/choose one of the tiers/);
    expect(defaultSelection(q)).toEqual({ tier: 'hassle_free', optionalItemIds: [] });
    expect(DEFAULT_TIERS.map((t) => [t.name, t.warrantyMonths])).toEqual([
      ['Handy Fix', 1],
      ['Hassle-Free', 6],
      ['High Standard', 12],
    ]);
  });
});
