import { eq } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { notifyWaitlist } from '../dispatch/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import { contractors } from './schema.js';

/**
 * Clock-in/out: the only writer of on_shift (SPEC: the single source of truth for "online").
 * Clocking in twice is harmless and keeps the original clock-in time. Clocking in notifies the
 * waitlist entries this contractor could serve.
 */
export async function clock(db: Db, contractorId: string, onShift: boolean, now: Date, config: Config) {
  return db.transaction(async (tx) => {
    const [c] = await tx.select().from(contractors).where(eq(contractors.id, contractorId)).for('no key update');
    if (!c) throw notFound('Contractor', { id: contractorId });
    if (onShift && !c.isActive) throw new AppError('CONTRACTOR_INACTIVE', 'An inactive contractor cannot clock in');
    if (c.onShift === onShift) return { onShift, since: c.onShiftChangedAt, waitlistNotified: 0 };
    await tx.update(contractors).set({ onShift, onShiftChangedAt: now }).where(eq(contractors.id, contractorId));
    // Coming on shift: customers waiting for someone like this contractor hear about it, once.
    const waitlistNotified = onShift ? await notifyWaitlist(tx, contractorId, config, now) : 0;
    return { onShift, since: now, waitlistNotified };
  });
}
