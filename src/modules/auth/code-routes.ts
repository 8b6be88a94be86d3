import { z } from 'zod';
import type { App, AppContext } from '../../http/context.js';
import { errors } from '../../shared/schemas.js';
import type { Contact } from './contact.js';
import { requestLoginCode, verifyLoginCode } from './login-codes.js';
import { signInAnswer, signInReply } from './routes.js';
import { codeSignIn } from './sign-in.js';

const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ()-]{7,20}$/, 'expected a phone number');
const contactFields = z.object({ phone: phone.optional(), email: z.email().max(200).optional() });
const oneContact = <T extends { phone?: string; email?: string }>(b: T) => (b.phone === undefined) !== (b.email === undefined);
const contactOf = (b: { phone?: string; email?: string }): Contact =>
  b.phone !== undefined ? { kind: 'phone', value: b.phone } : { kind: 'email', value: b.email! };

/** The phone-friendly way in for contractors: a one-time code by SMS, WhatsApp, Telegram or email. */
export function loginCodeRoutes(app: App, ctx: AppContext) {
  app.post(
    '/auth/code',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Send me a one-time sign-in code (contractors)',
        description:
          'Give a phone number (the code goes by `channel`: sms, whatsapp or telegram; default sms) or an email address. ' +
          'Always 202, whether or not the contact belongs to an account. 6 digits, valid LOGIN_CODE_TTL_MINUTES; ' +
          'at most LOGIN_CODE_PER_CONTACT per contact per 15 minutes and LOGIN_CODE_PER_IP per client address per hour (429).',
        body: contactFields
          .extend({ channel: z.enum(['sms', 'whatsapp', 'telegram']).optional() })
          .strict()
          .refine(oneContact, 'give either phone or email'),
        response: { 202: z.object({ sent: z.literal(true), expiresInMinutes: z.number().int() }), ...errors },
      },
    },
    async (req, reply) => {
      const contact = contactOf(req.body);
      const channel = contact.kind === 'email' ? 'email' : (req.body.channel ?? 'sms');
      await requestLoginCode(ctx.db, { contact, channel, ip: req.ip }, ctx.config, ctx.now());
      return reply.status(202).send({ sent: true, expiresInMinutes: ctx.config.LOGIN_CODE_TTL_MINUTES });
    },
  );

  app.post(
    '/auth/code/verify',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with a one-time code',
        description:
          'Answers like /auth/login: the session (and cookie), or with two-factor enrolled `mfaRequired` and an `mfaToken` for ' +
          '/auth/login/mfa; an admin without two-factor gets an enrolment-only session. A wrong code is 401 INVALID_CREDENTIALS; ' +
          'LOGIN_CODE_MAX_ATTEMPTS wrong tries burn the code.',
        body: contactFields
          .extend({ code: z.string().regex(/^\d{6}$/, 'expected the 6-digit code') })
          .strict()
          .refine(oneContact, 'give either phone or email'),
        response: { 200: signInAnswer, ...errors },
      },
    },
    async (req, reply) => {
      const userId = await verifyLoginCode(ctx.db, { contact: contactOf(req.body), code: req.body.code }, ctx.config, ctx.now());
      const settings = { ttlHours: ctx.config.SESSION_TTL_HOURS, now: ctx.now(), ip: req.ip };
      return signInReply(req, reply, ctx.config, await codeSignIn(ctx.db, userId, settings));
    },
  );
}
