import { eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { conflict, notFound } from '../../http/errors.js';
import { contractors } from './schema.js';

/**
 * Clock-in/out: the only writer of on_shift (SPEC: the single source of truth for "online").
 * Clocking in twice is harmless and keeps the original clock-in time.
 */
export async function clock(db: Queryable, contractorId: string, onShift: boolean, now: Date) {
  const [c] = await db.select().from(contractors).where(eq(contractors.id, contractorId));
  if (!c) throw notFound('Contractor', { id: contractorId });
  if (onShift && !c.isActive) throw conflict('CONTRACTOR_INACTIVE', 'An inactive contractor cannot clock in');
  if (c.onShift === onShift) return { onShift, since: c.onShiftChangedAt };
  await db.update(contractors).set({ onShift, onShiftChangedAt: now }).where(eq(contractors.id, contractorId));
  return { onShift, since: now };
}
