import { z } from 'zod';
import { eq } from 'drizzle-orm';
import type { App, AppContext } from '../../http/context.js';
import { notFound } from '../../shared/errors.js';
import { errors, uuidParam } from '../../shared/schemas.js';
import { STAFF } from '../auth/index.js';
import { leads } from '../leads/schema.js';
import { priceQuoteInput } from './create-quote.js';
import { quoteInput } from './inputs.js';
import { CUSTOMER_MODIFIER_PERCENT, priceSelection } from './pricing.js';

const item = z.object({
  id: z.string(),
  skuCode: z.string().nullable(),
  description: z.string(),
  pricePence: z.number().int(),
  quantity: z.number().int(),
});
const price = { subtotalPence: z.number().int(), totalPence: z.number().int(), depositPence: z.number().int() };
const previewView = z.object({
  style: z.enum(['fixed', 'fixed_optionals', 'hhh']),
  customerType: z.string(),
  modifierPercent: z.number().int(),
  depositPercent: z.number().int(),
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
      ...price,
    }),
  ),
  ...price,
  /** fixed_optionals: the price with every optional item ticked. */
  withAllOptionals: z.object(price).nullable(),
});

/** The quote builder's live prices: the same pricing as saving a quote, with nothing written. */
export function quotePreviewRoute(app: App, ctx: AppContext) {
  app.post(
    '/leads/:id/quotes/preview',
    {
      config: { access: STAFF },
      schema: {
        tags: ['quotes'],
        summary: 'Price a quote for a lead without saving it (the quote builder shows these prices live)',
        description:
          'Same body and rules as creating a quote; answers the server prices of every tier and option. Nothing is stored and the lead does not move.',
        params: uuidParam,
        body: quoteInput,
        response: { 200: z.object({ preview: previewView }), ...errors },
      },
    },
    async (req) => {
      const [lead] = await ctx.db.select({ customerType: leads.customerType }).from(leads).where(eq(leads.id, req.params.id));
      if (!lead) throw notFound('Lead', { id: req.params.id });
      const { pricing, price: chosen } = await priceQuoteInput(ctx.db, lead.customerType, req.body, ctx.config.DEFAULT_DEPOSIT_PERCENT);
      const { tiers, lineItems, optionalItems, style, customerType, depositPercent } = pricing;
      return {
        preview: {
          style,
          customerType,
          modifierPercent: CUSTOMER_MODIFIER_PERCENT[customerType],
          depositPercent,
          lineItems,
          optionalItems,
          tiers: tiers.map((t) => ({
            key: t.key,
            name: t.name,
            multiplier: t.multiplierBp / 10_000,
            warrantyMonths: t.warrantyMonths,
            popular: t.popular,
            extraItems: t.extraItems,
            ...priceSelection(pricing, { tier: t.key, optionalItemIds: [] }),
          })),
          ...chosen,
          withAllOptionals:
            style === 'fixed_optionals' ? priceSelection(pricing, { tier: null, optionalItemIds: optionalItems.map((o) => o.id) }) : null,
        },
      };
    },
  );
}
