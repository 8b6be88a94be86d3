import { and, eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import type { WeeklyScheduleInput } from './inputs.js';
import { contractorAvailabilityDates, contractorWeeklyAvailability } from './schema.js';

/** Replaces the weekly template (days not listed are days off). */
export async function setWeeklySchedule(tx: Queryable, contractorId: string, days: WeeklyScheduleInput): Promise<void> {
  await tx.delete(contractorWeeklyAvailability).where(eq(contractorWeeklyAvailability.contractorId, contractorId));
  if (days.length === 0) return;
  await tx
    .insert(contractorWeeklyAvailability)
    .values(days.map((d) => ({ contractorId, weekday: d.weekday, startTime: d.start, endTime: d.end })));
}

/** A date override wins over the template for its date: a day off, or different hours. */
export async function setDateOverride(
  tx: Queryable,
  contractorId: string,
  date: string,
  o: { isAvailable: false } | { isAvailable: true; start: string; end: string },
): Promise<void> {
  const values = o.isAvailable
    ? { isAvailable: true, startTime: o.start, endTime: o.end }
    : { isAvailable: false, startTime: null, endTime: null };
  await tx
    .insert(contractorAvailabilityDates)
    .values({ contractorId, date, ...values })
    .onConflictDoUpdate({ target: [contractorAvailabilityDates.contractorId, contractorAvailabilityDates.date], set: values });
}

export async function removeDateOverride(tx: Queryable, contractorId: string, date: string): Promise<boolean> {
  const rows = await tx
    .delete(contractorAvailabilityDates)
    .where(and(eq(contractorAvailabilityDates.contractorId, contractorId), eq(contractorAvailabilityDates.date, date)))
    .returning({ date: contractorAvailabilityDates.date });
  return rows.length > 0;
}
