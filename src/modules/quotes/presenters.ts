import { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import { linkToken } from '../../shared/secrets.js';
import { priceSelection } from './pricing.js';
import type { quotes } from './schema.js';

type Quote = typeof quotes.$inferSelect;

const item = z.object({
  id: z.string(),
  skuCode: z.string().nullable(),
  description: z.string(),
  pricePence: z.number().int(),
  quantity: z.number().int(),
});

export const quoteView = z.object({
  id: z.uuid(),
  leadId: z.uuid(),
  version: z.number().int(),
  status: z.enum(['active', 'superseded', 'expired', 'accepted']),
  style: z.enum(['fixed', 'fixed_optionals', 'hhh']),
  customerType: z.string(),
  lineItems: z.array(item),
  optionalItems: z.array(item),
  tiers: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      multiplier: z.number(),
      warrantyMonths: z.number().int(),
      popular: z.boolean(),
      extraItems: z.array(item),
      totalPence: z.number().int(),
      depositPence: z.number().int(),
    }),
  ),
  selection: z.object({ tier: z.string().nullable(), optionalItemIds: z.array(z.string()) }),
  totalPence: z.number().int(),
  depositPence: z.number().int(),
  depositPercent: z.number().int(),
  expiresAt: z.date(),
  sentAt: z.date().nullable(),
  viewedAt: z.date().nullable(),
  acceptedAt: z.date().nullable(),
  createdBy: z.string(),
  url: z.string(),
});

export function quoteStatus(q: Quote, now: Date): z.infer<typeof quoteView>['status'] {
  if (q.acceptedAt) return 'accepted';
  if (q.supersededAt) return 'superseded';
  if (q.expiresAt <= now) return 'expired';
  return 'active';
}

/**
 * The error for acting on a quote that is no longer the live version: expired and superseded are
 * 410 (gone for good), accepted is 409 (already booked).
 */
export function quoteUnavailable(status: z.infer<typeof quoteView>['status'], message?: string, details?: unknown): AppError {
  if (status === 'accepted') return new AppError('QUOTE_ACCEPTED', message ?? 'This quote has already been booked', details ?? { status });
  if (status === 'superseded')
    return new AppError('QUOTE_SUPERSEDED', message ?? 'A newer version of this quote exists', details ?? { status });
  return new AppError('QUOTE_EXPIRED', message ?? 'This quote has expired; ask us for a fresh one', details ?? { status });
}

/** The customer's link to a quote (its token is derived, never stored). */
export const quoteUrl = (baseUrl: string, quoteId: string) => `${baseUrl}/q/${linkToken('quote', quoteId)}`;

export function presentQuote(q: Quote, now: Date, baseUrl: string): z.infer<typeof quoteView> {
  return {
    id: q.id,
    leadId: q.leadId,
    version: q.version,
    status: quoteStatus(q, now),
    style: q.style,
    customerType: q.customerType,
    lineItems: q.lineItems,
    optionalItems: q.optionalItems,
    tiers: q.tiers.map((t) => ({
      key: t.key,
      name: t.name,
      multiplier: t.multiplierBp / 10_000,
      warrantyMonths: t.warrantyMonths,
      popular: t.popular,
      extraItems: t.extraItems,
      ...priceSelection(q, { tier: t.key, optionalItemIds: q.selection.optionalItemIds }),
    })),
    selection: q.selection,
    totalPence: q.totalPence,
    depositPence: q.depositPence,
    depositPercent: q.depositPercent,
    expiresAt: q.expiresAt,
    sentAt: q.sentAt,
    viewedAt: q.viewedAt,
    acceptedAt: q.acceptedAt,
    createdBy: q.createdBy,
    url: quoteUrl(baseUrl, q.id),
  };
}
