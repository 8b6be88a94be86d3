import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Security-relevant actions, each written in the same transaction as the action itself (so a row
 * exists exactly when the action happened). Append-only: the app role may not update or delete it.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** e.g. auth.sign_in, auth.sign_in_failed, user.role_changed, payment.approved */
    action: text().notNull(),
    actorUserId: uuid(),
    /** Who, readable: staff:<id>, customer, system, or the email tried at a failed sign-in. */
    actor: text().notNull(),
    targetType: text(),
    targetId: text(),
    ip: text(),
    details: jsonb().notNull().default({}),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at),
    index('audit_log_action_idx').on(t.action, t.at),
    index('audit_log_target_idx').on(t.targetId),
    index('audit_log_actor_idx').on(t.actorUserId),
  ],
);
