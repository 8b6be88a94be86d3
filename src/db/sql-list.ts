import { sql, type SQL } from 'drizzle-orm';

/**
 * `('a','b')` for `column in ${sqlList(LIST)}`, from a constant list in code, so CHECKs, partial
 * indexes and queries use the same list as the TypeScript types and zod schemas. `separator`
 * keeps the text of existing constraints byte-identical (no migration for a refactor).
 */
export function sqlList(values: readonly string[], separator = ','): SQL {
  for (const v of values) if (!/^[a-z0-9_]+$/.test(v)) throw new Error(`sqlList takes plain lower-case words, not ${JSON.stringify(v)}`);
  return sql.raw(`(${values.map((v) => `'${v}'`).join(separator)})`);
}
