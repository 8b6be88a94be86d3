import { z } from 'zod';
import { asc, inArray } from 'drizzle-orm';
import type { App, AppContext } from '../../http/app.js';
import { errors } from '../../shared/schemas.js';
import { ADMIN, STAFF_ROLES } from './principal.js';
import { users } from './schema.js';

/** The staff accounts, for the admin's staff users screen (contractor sign-ins live with contractors). */
export function listUsersRoute(app: App, ctx: AppContext) {
  app.get(
    '/users',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['auth'],
        summary: 'Staff accounts',
        response: {
          200: z.object({ users: z.array(z.object({ id: z.uuid(), email: z.string(), name: z.string(), role: z.enum(STAFF_ROLES), isActive: z.boolean() })) }),
          ...errors,
        },
      },
    },
    async () => ({
      users: (await ctx.db
        .select({ id: users.id, email: users.email, name: users.name, role: users.role, isActive: users.isActive })
        .from(users)
        .where(inArray(users.role, [...STAFF_ROLES]))
        .orderBy(asc(users.role), asc(users.name))) as { id: string; email: string; name: string; role: (typeof STAFF_ROLES)[number]; isActive: boolean }[],
    }),
  );
}
