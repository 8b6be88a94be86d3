import { z } from 'zod';
import { eq } from 'drizzle-orm';
import type { App, AppContext } from '../../http/context.js';
import { principalOf } from '../../http/auth.js';
import { AppError } from '../../shared/errors.js';
import { errors } from '../../shared/schemas.js';
import { recordAudit } from '../audit/index.js';
import { verifyPassword } from './passwords.js';
import { ALL_USERS, setSessionCookie } from './routes.js';
import { mfaRecoveryCodes, users } from './schema.js';
import { createSession, endUserSessions } from './sessions.js';
import { checkTotp, newTotpSecret, replaceRecoveryCodes, sealTotpSecret } from './totp.js';

const code = z.string().regex(/^\d{6}$/, 'a 6-digit code');

/** TOTP two-factor: enrol (setup, then confirm with a first code), recovery codes, turn off. */
export function mfaRoutes(app: App, ctx: AppContext) {
  const tags = ['auth'];
  const me = async (userId: string) => (await ctx.db.select().from(users).where(eq(users.id, userId)))[0]!;
  const audit = (userId: string, ip: string, action: string, details: Record<string, unknown> = {}) => ({
    action,
    actorUserId: userId,
    actor: `user:${userId}`,
    targetType: 'user',
    targetId: userId,
    ip,
    details,
  });

  app.post(
    '/auth/totp/setup',
    {
      config: { access: ALL_USERS, duringMfaEnrolment: true },
      schema: {
        tags,
        summary: 'Start two-factor enrolment: a new secret for an authenticator app (not active until confirmed)',
        response: { 200: z.object({ secret: z.string(), otpauthUri: z.string() }), ...errors },
      },
    },
    async (req) => {
      const user = await me(principalOf(req).userId);
      if (user.totpEnabledAt)
        throw new AppError('MFA_ALREADY_ENABLED', 'Two-factor is already on; turn it off first to enrol a new device', null);
      const { secret, uri } = newTotpSecret(ctx.config.TOTP_ISSUER, user.email);
      await ctx.db
        .update(users)
        .set({ totpSecretEnc: sealTotpSecret(secret), totpLastStep: null })
        .where(eq(users.id, user.id));
      return { secret, otpauthUri: uri };
    },
  );

  app.post(
    '/auth/totp/confirm',
    {
      config: { access: ALL_USERS, duringMfaEnrolment: true },
      schema: {
        tags,
        summary: 'Finish enrolment with a first code: two-factor is on; answers the one-time recovery codes (shown once)',
        description:
          'Every session of the account ends, this one included: the answer carries a new session token (and cookie) with the full rights.',
        body: z.object({ code }),
        response: { 200: z.object({ recoveryCodes: z.array(z.string()), token: z.string(), expiresAt: z.date() }), ...errors },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const result = await ctx.db.transaction(async (tx) => {
        const [user] = await tx.select().from(users).where(eq(users.id, p.userId)).for('update');
        if (user!.totpEnabledAt) throw new AppError('MFA_ALREADY_ENABLED', 'Two-factor is already on', null);
        if (!user!.totpSecretEnc) throw new AppError('MFA_NOT_STARTED', 'Start with /auth/totp/setup', null);
        if (!(await checkTotp(tx, user!, req.body.code, ctx.now()))) return null;
        await tx.update(users).set({ totpEnabledAt: ctx.now() }).where(eq(users.id, p.userId));
        const recoveryCodes = await replaceRecoveryCodes(tx, p.userId);
        // More rights now: a new session token, and every older session (this one too) ends.
        await endUserSessions(tx, p.userId);
        const session = await createSession(tx, p.userId, ctx.config.SESSION_TTL_HOURS);
        await recordAudit(tx, audit(p.userId, req.ip, 'auth.mfa_enabled'));
        return { recoveryCodes, ...session };
      });
      if (!result) throw new AppError('CODE_INVALID', 'That code is not right; check the time on your device', { field: 'code' });
      setSessionCookie(req, reply, ctx.config, result);
      return result;
    },
  );

  app.post(
    '/auth/totp/recovery-codes',
    {
      config: { access: ALL_USERS },
      schema: {
        tags,
        summary: 'New recovery codes (the old ones stop working); needs a current code',
        body: z.object({ code }),
        response: { 200: z.object({ recoveryCodes: z.array(z.string()) }), ...errors },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const codes = await ctx.db.transaction(async (tx) => {
        const [user] = await tx.select().from(users).where(eq(users.id, p.userId)).for('update');
        if (!user!.totpEnabledAt) throw new AppError('MFA_NOT_ENABLED', 'Two-factor is not on', null);
        if (!(await checkTotp(tx, user!, req.body.code, ctx.now()))) return null;
        await recordAudit(tx, audit(p.userId, req.ip, 'auth.mfa_recovery_codes_replaced'));
        return replaceRecoveryCodes(tx, p.userId);
      });
      if (!codes) throw new AppError('CODE_INVALID', 'That code is not right', { field: 'code' });
      return { recoveryCodes: codes };
    },
  );

  app.delete(
    '/auth/totp',
    {
      config: { access: ALL_USERS },
      schema: {
        tags,
        summary: 'Turn two-factor off (not for admins: it is mandatory for them); needs the password',
        body: z.object({ password: z.string().min(1).max(200) }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      if (p.role === 'admin') throw new AppError('MFA_REQUIRED', 'Two-factor is mandatory for admins', null);
      const user = await me(p.userId);
      if (!(await verifyPassword(user.passwordHash, req.body.password))) throw new AppError('WRONG_PASSWORD', 'Your password is not right');
      await ctx.db.transaction(async (tx) => {
        await tx.update(users).set({ totpSecretEnc: null, totpEnabledAt: null, totpLastStep: null }).where(eq(users.id, p.userId));
        await tx.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, p.userId));
        await recordAudit(tx, audit(p.userId, req.ip, 'auth.mfa_disabled'));
      });
      return reply.status(204).send(null);
    },
  );
}
