import { z } from 'zod';
import { and, eq, sql } from 'drizzle-orm';
import type { App, AppContext } from '../../http/app.js';
import { principalOf, SESSION_COOKIE, sessionToken } from '../../http/auth.js';
import { AppError } from '../../http/errors.js';
import { errors } from '../../shared/schemas.js';
import { verifyPassword } from './passwords.js';
import { ADMIN, CONTRACTOR, STAFF } from './principal.js';
import { users } from './schema.js';
import { createSession, endSession } from './sessions.js';
import { createStaffUser } from './create-user.js';
import { setSessionCookie } from './session-cookie.js';

export const userView = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['admin', 'va', 'estimator', 'contractor']),
  contractorId: z.uuid().nullable(),
});

export function authRoutes(app: App, ctx: AppContext) {
  app.post(
    '/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in (staff or contractor)',
        description: 'Sets an HTTP-only session cookie and also returns the token for API clients (Authorization: Bearer).',
        body: z.object({ email: z.string().trim().min(3).max(200), password: z.string().min(1).max(200) }),
        response: { 200: z.object({ token: z.string(), expiresAt: z.date(), user: userView }), ...errors },
      },
    },
    async (req, reply) => {
      const [user] = await ctx.db
        .select()
        .from(users)
        .where(and(sql`lower(${users.email}) = lower(${req.body.email})`, eq(users.isActive, true)));
      // Same answer for unknown email and wrong password: no account enumeration.
      if (!user || !(await verifyPassword(user.passwordHash, req.body.password))) {
        throw new AppError(401, 'INVALID_CREDENTIALS', 'Email or password is wrong');
      }
      const session = await createSession(ctx.db, user.id, ctx.config.SESSION_TTL_HOURS);
      setSessionCookie(reply, session, ctx.config);
      return {
        token: session.token,
        expiresAt: session.expiresAt,
        user: { id: user.id, email: user.email, name: user.name, role: user.role, contractorId: user.contractorId },
      };
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { access: [...STAFF, ...CONTRACTOR] },
      schema: { tags: ['auth'], summary: 'Sign out', response: { 204: z.null(), ...errors } },
    },
    async (req, reply) => {
      const token = sessionToken(req);
      if (token) await endSession(ctx.db, token);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    {
      config: { access: [...STAFF, ...CONTRACTOR] },
      schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: z.object({ user: userView.omit({ email: true }) }), ...errors } },
    },
    async (req) => {
      const p = principalOf(req);
      return { user: { id: p.userId, name: p.name, role: p.role, contractorId: p.contractorId } };
    },
  );

  app.post(
    '/users',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['auth'],
        summary: 'Create a staff account',
        body: z.object({
          email: z.email(),
          name: z.string().trim().min(1).max(120),
          role: z.enum(['admin', 'va', 'estimator']),
          password: z.string().min(10).max(200),
        }),
        response: { 201: z.object({ user: userView }), ...errors },
      },
    },
    async (req, reply) => {
      const user = await createStaffUser(ctx.db, req.body);
      return reply.status(201).send({ user });
    },
  );
}
