/**
 * Copies exactly the listed fields of a database row into a response. Presenters name what they
 * show (never what they hide), so a column added later, secret or not, stays out of every
 * response until someone lists it here.
 */
export function pick<T extends object, const K extends readonly (keyof T)[]>(row: T, fields: K): Pick<T, K[number]> {
  const out = {} as Pick<T, K[number]>;
  for (const f of fields) out[f] = row[f];
  return out;
}
