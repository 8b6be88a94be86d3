import { z } from 'zod';
import { and, desc, eq, gte, lt, lte, type SQL } from 'drizzle-orm';
import type { App, AppContext } from '../../http/context.js';
import { principalOf } from '../../http/auth.js';
import { errors } from '../../shared/schemas.js';
import { ADMIN } from '../auth/index.js';
import { presentAuditEntry } from './presenters.js';
import { recordAudit, staffActor } from './record-audit.js';
import { auditLog } from './schema.js';

const entry = z.object({
  id: z.number().int(),
  at: z.date(),
  action: z.string(),
  actorUserId: z.string().nullable(),
  actor: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  ip: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

export function auditRoutes(app: App, ctx: AppContext) {
  app.get(
    '/audit',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['security'],
        summary: 'The audit log, newest first (filters combine; page with `before`)',
        querystring: z.object({
          action: z.string().min(1).max(100).optional(),
          actorUserId: z.uuid().optional(),
          targetId: z.string().min(1).max(200).optional(),
          from: z.iso.datetime({ offset: true }).optional(),
          to: z.iso.datetime({ offset: true }).optional(),
          before: z.coerce.number().int().positive().optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.object({ entries: z.array(entry), nextBefore: z.number().int().nullable() }), ...errors },
      },
    },
    async (req) => {
      const q = req.query;
      const where: SQL[] = [];
      if (q.action) where.push(eq(auditLog.action, q.action));
      if (q.actorUserId) where.push(eq(auditLog.actorUserId, q.actorUserId));
      if (q.targetId) where.push(eq(auditLog.targetId, q.targetId));
      if (q.from) where.push(gte(auditLog.at, new Date(q.from)));
      if (q.to) where.push(lte(auditLog.at, new Date(q.to)));
      if (q.before) where.push(lt(auditLog.id, q.before));
      const rows = await ctx.db
        .select()
        .from(auditLog)
        .where(and(...where))
        .orderBy(desc(auditLog.id))
        .limit(q.limit);
      // Reading the trail is itself on the trail (it is a data export of sorts).
      await recordAudit(ctx.db, { action: 'audit.read', ...staffActor(principalOf(req), req.ip), details: { filters: { ...q } } });
      return {
        entries: rows.map(presentAuditEntry),
        nextBefore: rows.length === q.limit ? rows[rows.length - 1]!.id : null,
      };
    },
  );
}
