const ISO_DATE = /^(\d{4})-\d{2}-\d{2}$/;

/**
 * A real calendar date written YYYY-MM-DD (2026-02-30 is not one: it would not survive a round
 * trip), in the years 1900-2999: date arithmetic a few days past 9999-12-31 would leave the
 * four-digit form, and no booking, closure or certificate lies outside these years.
 */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m || Number(m[1]) < 1900 || Number(m[1]) > 2999) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}
