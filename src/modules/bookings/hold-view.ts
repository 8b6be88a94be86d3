import { z } from 'zod';
import { slot } from '../../shared/schemas.js';
import type { slotClaims } from './schema.js';

/** An opaque id the customer's browser keeps for its visit; holds belong to it. */
export const sessionIdSchema = z
  .string()
  .trim()
  .min(8)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only');

export const holdView = z.object({ holdId: z.uuid(), date: z.string(), slot, expiresAt: z.date(), ttlSeconds: z.number().int() });

/** What a customer sees of their hold: the slot and the time left, not the contractor. */
export function presentHold(h: typeof slotClaims.$inferSelect, now: Date): z.infer<typeof holdView> {
  return {
    holdId: h.id,
    date: h.date,
    slot: h.slot,
    expiresAt: h.expiresAt!,
    ttlSeconds: Math.max(0, Math.round((h.expiresAt!.getTime() - now.getTime()) / 1000)),
  };
}
