import type { Queryable } from '../../db/client.js';
import { urgentSlot, type BookingRules } from '../availability/index.js';
import type { JobSpec } from '../jobs/index.js';
import { rankForSlot } from '../matching/index.js';

/**
 * Everyone who could take urgent work now: on shift, in reactive mode, active, profile >= 80,
 * qualified, in radius, under capacity and free in the current slot; scored and ranked.
 */
export async function rankUrgent(db: Queryable, spec: JobSpec, rules: BookingRules, now: Date) {
  const slot = urgentSlot(now, rules);
  const ranked = await rankForSlot(db, spec, slot.date, slot.slot, { jobId: null, sessionId: null }, rules, now, { urgent: true });
  return { slot, ranked };
}
