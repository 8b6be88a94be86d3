/**
 * A stand-in database row for presenter tests: every column reads as null except the ones given,
 * plus a column the presenter has never heard of (`addedLaterSecret`). A presenter that spreads
 * the row or copies "everything but" would pass that column on; one that lists its fields cannot.
 */
export const SECRET = 'addedLaterSecret';
export function rowWith<T>(fields: Record<string, unknown> = {}): T {
  const target: Record<string, unknown> = { ...fields, [SECRET]: 'do-not-show' };
  return new Proxy(target, { get: (t, k) => (typeof k === 'string' && k in t ? t[k] : null) }) as T;
}

/** Whether the presented value carries the stand-in's unknown column anywhere. */
export const leaks = (presented: unknown) => JSON.stringify(presented).includes('do-not-show');
