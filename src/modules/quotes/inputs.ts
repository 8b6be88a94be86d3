import { z } from 'zod';

const item = z
  .object({
    skuCode: z.string().trim().min(1).max(40).optional(),
    description: z.string().trim().min(1).max(300).optional(),
    /** Whole pence, more than zero. A SKU item without it takes the price list's price. */
    pricePence: z.number().int().positive().max(10_000_000).optional(),
    quantity: z.number().int().min(1).max(100).default(1),
  })
  .refine((i) => i.skuCode || (i.description && i.pricePence !== undefined), 'give a skuCode, or a description and pricePence');

export const quoteInput = z.object({
  style: z.enum(['fixed', 'fixed_optionals', 'hhh']),
  lineItems: z.array(item).min(1).max(50),
  optionalItems: z.array(item).max(20).default([]),
  /** Per-quote edits of the hhh tier defaults (x1.0 / x1.3 / x1.6, 1 / 6 / 12 months). */
  tiers: z
    .array(
      z.object({
        key: z.enum(['handy_fix', 'hassle_free', 'high_standard']),
        multiplier: z.number().min(0.5).max(5).optional(),
        warrantyMonths: z.number().int().min(0).max(120).optional(),
        extraItems: z.array(item).max(20).default([]),
      }),
    )
    .max(3)
    .optional(),
  depositPercent: z.number().int().min(0).max(100).optional(),
});
export type QuoteInput = z.infer<typeof quoteInput>;
export type ItemInput = z.infer<typeof item>;
