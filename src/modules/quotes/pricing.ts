/**
 * Quote pricing (SPEC "Quotes"). Pure integer arithmetic in pence; every rounding is half up to
 * the penny. Multipliers are basis points (13000 = x1.3) so no float ever touches money.
 */

export type QuoteStyle = 'fixed' | 'fixed_optionals' | 'hhh';
export type CustomerType = 'homeowner' | 'landlord' | 'pm' | 'commercial';
export type TierKey = 'handy_fix' | 'hassle_free' | 'high_standard';

export type LineItem = { id: string; skuCode: string | null; description: string; pricePence: number; quantity: number };
export type Tier = {
  key: TierKey;
  name: string;
  multiplierBp: number;
  warrantyMonths: number;
  popular: boolean;
  extraItems: LineItem[];
};
export type Selection = { tier: TierKey | null; optionalItemIds: string[] };

export const DEFAULT_TIERS: Tier[] = [
  { key: 'handy_fix', name: 'Handy Fix', multiplierBp: 10_000, warrantyMonths: 1, popular: false, extraItems: [] },
  { key: 'hassle_free', name: 'Hassle-Free', multiplierBp: 13_000, warrantyMonths: 6, popular: true, extraItems: [] },
  { key: 'high_standard', name: 'High Standard', multiplierBp: 16_000, warrantyMonths: 12, popular: false, extraItems: [] },
];

/** Customer-type modifier in percent of the price: pm -15%, commercial +20%. */
export const CUSTOMER_MODIFIER_PERCENT: Record<CustomerType, number> = { homeowner: 100, landlord: 100, pm: 85, commercial: 120 };

/** round(a x b / c) with halves rounded up, for non-negative integers. */
export function mulDivHalfUp(a: number, b: number, c: number): number {
  if (a < 0 || b < 0 || c <= 0) throw new RangeError('mulDivHalfUp takes non-negative integers');
  return Math.floor((2 * a * b + c) / (2 * c));
}

export const itemsTotal = (items: LineItem[]) => items.reduce((sum, i) => sum + i.pricePence * i.quantity, 0);

export type QuotePricing = {
  style: QuoteStyle;
  lineItems: LineItem[];
  optionalItems: LineItem[];
  tiers: Tier[];
  customerType: CustomerType;
  depositPercent: number;
};
export type Price = { subtotalPence: number; totalPence: number; depositPence: number };

export class SelectionError extends Error {}

/** The price of one selection: items, then the tier multiplier, then the customer-type modifier. */
export function priceSelection(q: QuotePricing, sel: Selection): Price {
  let subtotal = itemsTotal(q.lineItems);
  if (q.style === 'hhh') {
    const tier = q.tiers.find((t) => t.key === sel.tier);
    if (!tier) throw new SelectionError(`choose one of the tiers: ${q.tiers.map((t) => t.key).join(', ')}`);
    subtotal = mulDivHalfUp(subtotal, tier.multiplierBp, 10_000) + itemsTotal(tier.extraItems);
  } else if (sel.tier) {
    throw new SelectionError('this quote has no tiers');
  }
  if (sel.optionalItemIds.length) {
    if (q.style !== 'fixed_optionals') throw new SelectionError('this quote has no optional items');
    const chosen = sel.optionalItemIds.map((id) => {
      const item = q.optionalItems.find((o) => o.id === id);
      if (!item) throw new SelectionError(`unknown optional item ${id}`);
      return item;
    });
    if (new Set(sel.optionalItemIds).size !== sel.optionalItemIds.length) throw new SelectionError('an optional item is listed twice');
    subtotal += itemsTotal(chosen);
  }
  const total = mulDivHalfUp(subtotal, CUSTOMER_MODIFIER_PERCENT[q.customerType], 100);
  return { subtotalPence: subtotal, totalPence: total, depositPence: mulDivHalfUp(total, q.depositPercent, 100) };
}

/** What a new quote shows before the customer chooses: the popular tier, no optional items. */
export function defaultSelection(q: Pick<QuotePricing, 'style' | 'tiers'>): Selection {
  if (q.style !== 'hhh') return { tier: null, optionalItemIds: [] };
  return { tier: (q.tiers.find((t) => t.popular) ?? q.tiers[0]!).key, optionalItemIds: [] };
}
