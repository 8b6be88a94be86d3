import type { Queryable } from '../../db/client.js';
import { auditLog } from './schema.js';

export type AuditEntry = {
  action: string;
  /** The signed-in user who did it, when there is one. */
  actorUserId?: string | null;
  /** Who, readable: staff:<id>, customer, system, or the email tried at a failed sign-in. */
  actor: string;
  targetType?: string | null;
  targetId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
};

/** Writes an audit row in the caller's transaction: it exists exactly when the action does. */
export async function recordAudit(tx: Queryable, e: AuditEntry, at?: Date): Promise<void> {
  await tx.insert(auditLog).values({
    action: e.action,
    actorUserId: e.actorUserId ?? null,
    actor: e.actor,
    targetType: e.targetType ?? null,
    targetId: e.targetId ?? null,
    ip: e.ip ?? null,
    details: e.details ?? {},
    ...(at ? { at } : {}),
  });
}

/** The signed-in staff member as an audit actor. */
export const staffActor = (p: { userId: string }, ip?: string) => ({ actorUserId: p.userId, actor: `staff:${p.userId}`, ip: ip ?? null });
