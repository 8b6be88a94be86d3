import { pick } from '../../shared/present.js';
import type { auditLog } from './schema.js';

export const AUDIT_FIELDS = [
  'id',
  'at',
  'action',
  'actorUserId',
  'actor',
  'targetType',
  'targetId',
  'ip',
  'details',
] as const satisfies readonly (keyof typeof auditLog.$inferSelect)[];

/** One audit entry as admins read it: the listed columns only. */
export const presentAuditEntry = (r: typeof auditLog.$inferSelect) => ({
  ...pick(r, AUDIT_FIELDS),
  details: r.details as Record<string, unknown>,
});
