import { z } from 'zod';
import { asc, eq } from 'drizzle-orm';
import type { App, AppContext } from '../../http/context.js';
import { principalOf } from '../../http/auth.js';
import { AppError, notFound } from '../../shared/errors.js';
import { errors, uuidParam } from '../../shared/schemas.js';
import { recordAudit, staffActor } from '../audit/index.js';
import { createStaffUser } from './create-user.js';
import { assertStrongPassword } from './password-policy.js';
import { ADMIN, STAFF_ROLES } from './principal.js';
import { userView } from './routes.js';
import { users } from './schema.js';
import { endUserSessions } from './sessions.js';

const staffRole = z.enum(STAFF_ROLES);
const accountView = userView.extend({ isActive: z.boolean(), mfaEnabled: z.boolean(), createdAt: z.date() });
const present = (u: typeof users.$inferSelect) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  contractorId: u.contractorId,
  isActive: u.isActive,
  mfaEnabled: Boolean(u.totpEnabledAt),
  createdAt: u.createdAt,
});

/** Staff accounts, for admins: create, list, rename, change role, deactivate (ends every session), reactivate. */
export function userRoutes(app: App, ctx: AppContext) {
  const tags = ['users'];
  const rules = { minLength: ctx.config.PASSWORD_MIN_LENGTH, minScore: ctx.config.PASSWORD_MIN_SCORE };

  app.post(
    '/users',
    {
      config: { access: ADMIN },
      schema: {
        tags,
        summary: 'Create a staff account',
        description:
          'The password must pass the policy (length and a zxcvbn strength score); an admin is asked to enrol two-factor at first sign-in.',
        body: z.object({
          email: z.email(),
          name: z.string().trim().min(1).max(120),
          role: staffRole,
          password: z.string().min(1).max(200),
        }),
        response: { 201: z.object({ user: userView }), ...errors },
      },
    },
    async (req, reply) => {
      assertStrongPassword(req.body.password, rules, [req.body.email, req.body.name]);
      const user = await ctx.db.transaction(async (tx) => {
        const u = await createStaffUser(tx, req.body);
        await recordAudit(tx, {
          action: 'user.created',
          ...staffActor(principalOf(req), req.ip),
          targetType: 'user',
          targetId: u.id,
          details: { email: u.email, role: u.role },
        });
        return u;
      });
      return reply.status(201).send({ user });
    },
  );

  app.get(
    '/users',
    {
      config: { access: ADMIN },
      schema: {
        tags,
        summary: 'Every account (staff and contractors)',
        response: { 200: z.object({ users: z.array(accountView) }), ...errors },
      },
    },
    async () => ({ users: (await ctx.db.select().from(users).orderBy(asc(users.createdAt))).map(present) }),
  );

  app.patch(
    '/users/:id',
    {
      config: { access: ADMIN },
      schema: {
        tags,
        summary: "Rename a staff account or change its role (the account's sessions end on a role change)",
        params: uuidParam,
        body: z.object({ name: z.string().trim().min(1).max(120).optional(), role: staffRole.optional() }).strict(),
        response: { 200: z.object({ user: accountView }), ...errors },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const updated = await ctx.db.transaction(async (tx) => {
        const [u] = await tx.select().from(users).where(eq(users.id, req.params.id)).for('update');
        if (!u) throw notFound('User', { id: req.params.id });
        if (req.body.role && u.role === 'contractor')
          throw new AppError('CONTRACTOR_ACCOUNT', 'A contractor account has no staff role', null);
        if (req.body.role && u.id === p.userId && req.body.role !== u.role)
          throw new AppError('OWN_ROLE', 'You cannot change your own role', null);
        const [row] = await tx
          .update(users)
          .set({ ...(req.body.name ? { name: req.body.name } : {}), ...(req.body.role ? { role: req.body.role } : {}) })
          .where(eq(users.id, u.id))
          .returning();
        if (req.body.role && req.body.role !== u.role) {
          // A new role starts with a new sign-in (and, for a new admin, two-factor enrolment).
          await endUserSessions(tx, u.id);
          await recordAudit(tx, {
            action: 'user.role_changed',
            ...staffActor(p, req.ip),
            targetType: 'user',
            targetId: u.id,
            details: { from: u.role, to: req.body.role },
          });
        }
        if (req.body.name && req.body.name !== u.name) {
          await recordAudit(tx, {
            action: 'user.renamed',
            ...staffActor(p, req.ip),
            targetType: 'user',
            targetId: u.id,
            details: { from: u.name, to: req.body.name },
          });
        }
        return row!;
      });
      return { user: present(updated) };
    },
  );

  for (const [action, isActive] of [
    ['deactivate', false],
    ['activate', true],
  ] as const) {
    app.post(
      `/users/:id/${action}`,
      {
        config: { access: ADMIN },
        schema: {
          tags,
          summary: isActive ? 'Reactivate an account' : 'Deactivate an account: it cannot sign in and every session ends at once',
          params: uuidParam,
          response: { 200: z.object({ user: accountView }), ...errors },
        },
      },
      async (req) => {
        const p = principalOf(req);
        if (!isActive && req.params.id === p.userId) throw new AppError('OWN_ACCOUNT', 'You cannot deactivate your own account', null);
        const row = await ctx.db.transaction(async (tx) => {
          const [u] = await tx.update(users).set({ isActive }).where(eq(users.id, req.params.id)).returning();
          if (!u) throw notFound('User', { id: req.params.id });
          const ended = isActive ? 0 : await endUserSessions(tx, u.id);
          await recordAudit(tx, {
            action: isActive ? 'user.activated' : 'user.deactivated',
            ...staffActor(p, req.ip),
            targetType: 'user',
            targetId: u.id,
            details: { sessionsEnded: ended },
          });
          return u;
        });
        return { user: present(row) };
      },
    );
  }
}
