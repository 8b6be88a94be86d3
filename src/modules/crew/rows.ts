import type { crewJobs, crewPlaces } from './schema.js';

export type CrewJob = typeof crewJobs.$inferSelect;
export type CrewPlace = typeof crewPlaces.$inferSelect;

const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

const TIME_FIELDS = new Set([
  'expiresAt',
  'reminderSentAt',
  'receiptSubmittedAt',
  'reviewedAt',
  'endedAt',
  'createdAt',
  'updatedAt',
  'startsAt',
  'endsAt',
]);

/**
 * A row returned as `to_jsonb(...)` by raw SQL, as drizzle would have typed it: camelCase keys,
 * timestamps as Dates (jsonb carries them as ISO strings).
 */
export function fromRow<T>(row: Record<string, unknown>): T {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => {
      const key = camel(k);
      return [key, TIME_FIELDS.has(key) && typeof v === 'string' ? new Date(v) : v];
    }),
  ) as T;
}

/** The PostgreSQL error under drizzle's wrapper, if that is what failed. */
export function pgError(err: unknown): { code?: string; constraint?: string } | null {
  let e: unknown = err;
  for (let i = 0; i < 3 && e && typeof e === 'object'; i++) {
    const o = e as { code?: unknown; constraint?: string; cause?: unknown };
    if (typeof o.code === 'string' && /^[0-9A-Z]{5}$/.test(o.code)) return { code: o.code, constraint: o.constraint };
    e = o.cause;
  }
  return null;
}
