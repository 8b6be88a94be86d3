import { z } from 'zod';
import { eq } from 'drizzle-orm';
import type { App, AppContext } from '../../http/context.js';
import { errors } from '../../shared/schemas.js';
import { leads } from '../leads/schema.js';
import { quoteByToken } from '../quotes/index.js';
import { codeSubject, issueCustomerCode, verifyCustomerCode } from './customer-codes.js';

const params = z.object({ token: z.string().min(16).max(64) });
const purpose = z.enum(['cancel', 'reschedule']);

/** The customer's one-time code for cancelling or rescheduling through the quote link. */
export function customerCodeRoutes(app: App, ctx: AppContext) {
  const tags = ['customer quote'];
  const c = ctx.config;
  const settings = () => ({
    now: ctx.now(),
    ttlMinutes: c.CUSTOMER_CODE_TTL_MINUTES,
    perHour: c.CUSTOMER_CODES_PER_HOUR,
    maxAttempts: c.CUSTOMER_CODE_MAX_ATTEMPTS,
  });
  const quoteOf = (token: string) => quoteByToken(ctx.db, token, ctx.now(), c.publicBaseUrl, { allowInactive: true });

  app.post(
    '/q/:token/codes',
    {
      config: { access: 'customer' },
      schema: {
        tags,
        summary: 'Send me a one-time code (6 digits, by email/SMS) to confirm a cancel or reschedule',
        description: 'Valid for CUSTOMER_CODE_TTL_MINUTES (10); at most CUSTOMER_CODES_PER_HOUR (3) per link per hour (429).',
        params,
        body: z.object({ purpose }),
        response: { 201: z.object({ expiresAt: z.date(), channels: z.array(z.string()) }), ...errors },
      },
    },
    async (req, reply) => {
      const q = await quoteOf(req.params.token);
      const [lead] = await ctx.db.select({ email: leads.email, phone: leads.phone }).from(leads).where(eq(leads.id, q.leadId));
      return reply.status(201).send(await issueCustomerCode(ctx.db, codeSubject('quote', q.id), req.body.purpose, lead!, settings()));
    },
  );

  app.post(
    '/q/:token/codes/check',
    {
      config: { access: 'customer' },
      schema: {
        tags,
        summary: 'Check a code before using it (does not use it up; wrong tries count)',
        params,
        body: z.object({ purpose, code: z.string().min(1).max(12) }),
        response: { 200: z.object({ valid: z.literal(true) }), ...errors },
      },
    },
    async (req) => {
      const q = await quoteOf(req.params.token);
      await verifyCustomerCode(ctx.db, codeSubject('quote', q.id), req.body.purpose, req.body.code, settings(), { consume: false });
      return { valid: true as const };
    },
  );
}
