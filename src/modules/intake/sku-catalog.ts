import { eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { AppError } from '../../shared/errors.js';
import { SKUS } from './sku-data.js';
import { skus, skuTasks } from './schema.js';

export type CatalogSku = { code: string; name: string; category: string; pricePence: number; keywords: string[]; taskIds: string[] };

/** Upserts the price list: safe on every start (prices staff changed in the table are kept). */
export async function seedSkus(db: Queryable): Promise<void> {
  await db
    .insert(skus)
    .values(SKUS.map(({ taskIds: _t, ...s }) => s))
    .onConflictDoUpdate({
      target: skus.code,
      set: { name: sql`excluded.name`, category: sql`excluded.category`, keywords: sql`excluded.keywords` },
    });
  await db
    .insert(skuTasks)
    .values(SKUS.flatMap((s) => s.taskIds.map((taskId) => ({ skuCode: s.code, taskId }))))
    .onConflictDoNothing();
}

export async function loadSkuCatalog(db: Queryable, codes?: string[]): Promise<CatalogSku[]> {
  const rows = await db
    .select({
      code: skus.code,
      name: skus.name,
      category: skus.category,
      pricePence: skus.pricePence,
      keywords: skus.keywords,
      taskIds: sql<string[]>`coalesce(array_agg(${skuTasks.taskId}) filter (where ${skuTasks.taskId} is not null), '{}')`,
    })
    .from(skus)
    .leftJoin(skuTasks, eq(skuTasks.skuCode, skus.code))
    .where(codes ? inArray(skus.code, codes) : eq(skus.isActive, true))
    .groupBy(skus.code)
    .orderBy(skus.code);
  return rows;
}

/** The catalog entries for these codes; any unknown code is a 422 naming it. */
export async function skusByCode(db: Queryable, codes: string[]): Promise<Map<string, CatalogSku>> {
  const unique = [...new Set(codes)];
  if (unique.length === 0) return new Map();
  const found = await loadSkuCatalog(db, unique);
  const byCode = new Map(found.map((s) => [s.code, s]));
  const unknown = unique.filter((c) => !byCode.has(c));
  if (unknown.length) throw new AppError('UNKNOWN_SKU', `Unknown SKU: ${unknown.join(', ')}`, { unknown });
  return byCode;
}
