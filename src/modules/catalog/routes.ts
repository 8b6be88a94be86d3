import { z } from 'zod';
import { and, asc, eq } from 'drizzle-orm';
import type { App, AppContext } from '../../http/context.js';
import { errors } from '../../shared/schemas.js';
import { tasks } from './schema.js';
import { CERTIFICATION_NAMES, TASK_CATEGORIES } from './tasks-data.js';

const CATEGORIES = Object.keys(TASK_CATEGORIES) as [string, ...string[]];

const taskView = z.object({
  id: z.string(),
  name: z.string(),
  category: z.string(),
  displayOrder: z.number().int(),
  requiresCertification: z.boolean(),
  certification: z.string().nullable(),
});

export function catalogRoutes(app: App, ctx: AppContext) {
  app.get(
    '/tasks',
    {
      config: { access: 'public' },
      schema: {
        tags: ['catalog'],
        summary: 'The task taxonomy, in display order',
        description: 'Flat list plus the same tasks grouped by category. Filter with `category`.',
        querystring: z.object({ category: z.enum(CATEGORIES).optional() }),
        response: {
          200: z.object({
            tasks: z.array(taskView),
            categories: z.array(z.object({ name: z.string(), tasks: z.array(taskView) })),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const rows = await ctx.db
        .select()
        .from(tasks)
        .where(and(eq(tasks.isActive, true), req.query.category ? eq(tasks.category, req.query.category) : undefined))
        .orderBy(asc(tasks.displayOrder));
      const list = rows.map((t) => ({
        id: t.id,
        name: t.name,
        category: t.category,
        displayOrder: t.displayOrder,
        requiresCertification: t.requiredCertification !== null,
        certification: t.requiredCertification ? CERTIFICATION_NAMES[t.requiredCertification] : null,
      }));
      const categories = CATEGORIES.map((name) => ({ name, tasks: list.filter((t) => t.category === name) })).filter(
        (c) => c.tasks.length > 0,
      );
      return { tasks: list, categories };
    },
  );
}
