import { z } from 'zod';
import { eq } from 'drizzle-orm';
import type { App, AppContext } from '../../http/context.js';
import { principalOf } from '../../http/auth.js';
import { notFound } from '../../shared/errors.js';
import { errors, uuidParam } from '../../shared/schemas.js';
import { STAFF } from '../auth/index.js';
import { createQuoteForLead } from './create-quote.js';
import { quoteInput } from './inputs.js';
import { presentQuote, quoteView } from './presenters.js';
import { quotes } from './schema.js';
import { sendQuote } from './send-quote.js';

export function quoteRoutes(app: App, ctx: AppContext) {
  const tags = ['quotes'];
  const present = (q: typeof quotes.$inferSelect) => presentQuote(q, ctx.now(), ctx.config.publicBaseUrl);

  app.post(
    '/leads/:id/quotes',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'Create a new quote version for a lead',
        description:
          'Styles: fixed (line items), fixed_optionals (plus optional items the customer may tick), hhh (Handy Fix x1.0 / 1 month, ' +
          'Hassle-Free x1.3 / 6 months (popular), High Standard x1.6 / 12 months; editable per quote). Prices in whole pence; SKU items ' +
          'take the price list price unless given. Total = items, then the customer-type modifier (pm -15%, commercial +20%); ' +
          'deposit = deposit_percent (default 20) of the total; both rounded half up. Expires after 3 days; supersedes older versions.',
        params: uuidParam,
        body: quoteInput,
        response: { 201: z.object({ quote: quoteView }), ...errors },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const quote = await createQuoteForLead(
        ctx.db,
        req.params.id,
        req.body,
        { createdBy: p.role === 'contractor' ? 'va' : p.role, userId: p.userId, actor: `staff:${p.userId}` },
        { now: ctx.now(), ttlHours: ctx.config.QUOTE_TTL_HOURS, depositPercent: ctx.config.DEFAULT_DEPOSIT_PERCENT },
      );
      return reply.status(201).send({ quote: present(quote) });
    },
  );

  app.get(
    '/quotes/:id',
    {
      config: { access: STAFF },
      schema: { tags, summary: 'A quote', params: uuidParam, response: { 200: z.object({ quote: quoteView }), ...errors } },
    },
    async (req) => {
      const [q] = await ctx.db.select().from(quotes).where(eq(quotes.id, req.params.id));
      if (!q) throw notFound('Quote', { id: req.params.id });
      return { quote: present(q) };
    },
  );

  app.post(
    '/quotes/:id/send',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'Send the quote link to the customer (outbox message; sent_at; lead -> quote_sent)',
        params: uuidParam,
        response: { 200: z.object({ quote: quoteView }), ...errors },
      },
    },
    async (req) => ({
      quote: present(
        await sendQuote(
          ctx.db,
          req.params.id,
          `staff:${principalOf(req).userId}`,
          ctx.now(),
          ctx.config.publicBaseUrl,
          ctx.config.QUOTE_EMAILS_PER_ADDRESS_PER_DAY,
        ),
      ),
    }),
  );
}
