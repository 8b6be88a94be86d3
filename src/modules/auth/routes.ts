import { z } from 'zod';
import { eq } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App, AppContext } from '../../http/context.js';
import { principalOf, SESSION_COOKIE, sessionToken } from '../../http/auth.js';
import { AppError } from '../../shared/errors.js';
import { poolOf } from '../../http/pg-rate-limit.js';
import { errors } from '../../shared/schemas.js';
import { recordAudit } from '../audit/index.js';
import { LoginThrottle } from './login-throttle.js';
import { assertStrongPassword } from './password-policy.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { CONTRACTOR, ROLES, STAFF } from './principal.js';
import { users } from './schema.js';
import { endSession, endUserSessions } from './sessions.js';
import { completeMfaSignIn, passwordSignIn, type SignInResult, tooManyAttempts } from './sign-in.js';

export const userView = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  contractorId: z.uuid().nullable(),
});

export const signInAnswer = z.object({
  /** Present when signed in. */
  token: z.string().optional(),
  expiresAt: z.date(),
  user: userView.optional(),
  /** The password was right; send a TOTP or recovery code with mfaToken to /auth/login/mfa. */
  mfaRequired: z.boolean(),
  mfaToken: z.string().optional(),
  /** An admin without two-factor: this session may only enrol it (/auth/totp/setup, /auth/totp/confirm). */
  mfaEnrolmentRequired: z.boolean(),
});

export const ALL_USERS = [...STAFF, ...CONTRACTOR];

export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, c: AppContext['config'], s: { token: string; expiresAt: Date }) {
  void reply.setCookie(SESSION_COOKIE, s.token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    // Secure whenever the request came over TLS (directly, or per a trusted proxy: TRUST_PROXY).
    secure: c.COOKIE_SECURE === 'auto' ? req.protocol === 'https' : c.COOKIE_SECURE === 'true',
    expires: s.expiresAt,
  });
}

/** The answer of every sign-in step: the session (cookie too), or the ticket for the code step. */
export function signInReply(req: FastifyRequest, reply: FastifyReply, c: AppContext['config'], r: SignInResult) {
  if (r.kind === 'mfa') return { mfaRequired: true, mfaToken: r.mfaToken, expiresAt: r.expiresAt, mfaEnrolmentRequired: false };
  setSessionCookie(req, reply, c, r);
  const u = r.user;
  return {
    token: r.token,
    expiresAt: r.expiresAt,
    mfaRequired: false,
    mfaEnrolmentRequired: r.mfaEnrolmentRequired,
    user: { id: u.id, email: u.email, name: u.name, role: u.role, contractorId: u.contractorId },
  };
}

export function authRoutes(app: App, ctx: AppContext) {
  const c = ctx.config;
  const throttle = new LoginThrottle(poolOf(ctx.db), {
    perAccount: c.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    perIp: c.LOGIN_MAX_FAILURES_PER_IP,
    windowSeconds: c.LOGIN_WINDOW_SECONDS,
    blockSeconds: c.LOGIN_BLOCK_SECONDS,
    maxBlockSeconds: c.LOGIN_MAX_BLOCK_SECONDS,
  });
  const settings = (req: FastifyRequest) => ({ ttlHours: c.SESSION_TTL_HOURS, now: ctx.now(), ip: req.ip });
  const rules = { minLength: c.PASSWORD_MIN_LENGTH, minScore: c.PASSWORD_MIN_SCORE };

  app.post(
    '/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in (staff or contractor)',
        description:
          'Sets an HTTP-only session cookie and also returns the token for API clients (Authorization: Bearer). ' +
          'With two-factor enrolled the answer is `mfaRequired` and an `mfaToken` for /auth/login/mfa. Wrong passwords are ' +
          'throttled per account and per IP: past the limit the answer is 429 (Retry-After), even for the right password.',
        body: z.object({ email: z.string().trim().min(3).max(200), password: z.string().min(1).max(200) }),
        response: { 200: signInAnswer, ...errors },
      },
    },
    async (req, reply) =>
      signInReply(req, reply, c, await passwordSignIn(ctx.db, throttle, req.body.email, req.body.password, settings(req))),
  );

  app.post(
    '/auth/login/mfa',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Second sign-in step: a TOTP code or a one-time recovery code',
        body: z.union([
          z.object({ mfaToken: z.string().min(20).max(100), code: z.string().regex(/^\d{6}$/) }),
          z.object({ mfaToken: z.string().min(20).max(100), recoveryCode: z.string().min(8).max(40) }),
        ]),
        response: { 200: signInAnswer, ...errors },
      },
    },
    async (req, reply) => signInReply(req, reply, c, await completeMfaSignIn(ctx.db, throttle, req.body.mfaToken, req.body, settings(req))),
  );

  app.post(
    '/auth/logout',
    {
      config: { access: ALL_USERS, duringMfaEnrolment: true },
      schema: { tags: ['auth'], summary: 'Sign out (this session)', response: { 204: z.null(), ...errors } },
    },
    async (req, reply) => {
      const token = sessionToken(req);
      if (token) await endSession(ctx.db, token);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/auth/logout-all',
    {
      config: { access: ALL_USERS, duringMfaEnrolment: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign out everywhere: every session of this account ends',
        response: { 200: z.object({ ended: z.number().int() }), ...errors },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const ended = await ctx.db.transaction(async (tx) => {
        const n = await endUserSessions(tx, p.userId);
        await recordAudit(tx, {
          action: 'auth.sign_out_everywhere',
          actorUserId: p.userId,
          actor: `user:${p.userId}`,
          targetType: 'user',
          targetId: p.userId,
          ip: req.ip,
          details: { sessions: n },
        });
        return n;
      });
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ended };
    },
  );

  app.post(
    '/auth/password',
    {
      config: { access: ALL_USERS },
      schema: {
        tags: ['auth'],
        summary: 'Change my password (every other session of mine ends)',
        description:
          'The current password is checked (wrong ones count against the sign-in throttle); the new one must pass the password policy.',
        body: z.object({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(1).max(200) }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const [user] = await ctx.db.select().from(users).where(eq(users.id, p.userId));
      const verdict = await throttle.check(user!.email, req.ip);
      if (!verdict.allowed) throw tooManyAttempts(verdict.retryAfterSeconds);
      if (!(await verifyPassword(user!.passwordHash, req.body.currentPassword))) {
        await throttle.failed(user!.email, req.ip);
        throw new AppError('WRONG_PASSWORD', 'Your current password is not right');
      }
      assertStrongPassword(req.body.newPassword, rules, [user!.email, user!.name]);
      if (req.body.newPassword === req.body.currentPassword)
        throw new AppError('SAME_PASSWORD', 'Choose a password different from the current one', { field: 'newPassword' });
      const passwordHash = await hashPassword(req.body.newPassword);
      await ctx.db.transaction(async (tx) => {
        await tx.update(users).set({ passwordHash, passwordChangedAt: ctx.now() }).where(eq(users.id, p.userId));
        const ended = await endUserSessions(tx, p.userId, sessionToken(req) ?? undefined);
        await recordAudit(tx, {
          action: 'auth.password_changed',
          actorUserId: p.userId,
          actor: `user:${p.userId}`,
          targetType: 'user',
          targetId: p.userId,
          ip: req.ip,
          details: { otherSessionsEnded: ended },
        });
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    {
      config: { access: ALL_USERS, duringMfaEnrolment: true },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user',
        response: {
          200: z.object({ user: userView.omit({ email: true }).extend({ mfaEnabled: z.boolean(), mfaEnrolmentRequired: z.boolean() }) }),
          ...errors,
        },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const [u] = await ctx.db.select({ totpEnabledAt: users.totpEnabledAt }).from(users).where(eq(users.id, p.userId));
      return {
        user: {
          id: p.userId,
          name: p.name,
          role: p.role,
          contractorId: p.contractorId,
          mfaEnabled: Boolean(u?.totpEnabledAt),
          mfaEnrolmentRequired: p.role === 'admin' && !u?.totpEnabledAt,
        },
      };
    },
  );
}
