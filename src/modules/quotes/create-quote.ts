import { randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/client.js';
import { linkToken } from '../../shared/secrets.js';
import { hashToken } from '../../shared/tokens.js';
import { type CatalogSku, skusByCode } from '../intake/index.js';
import { requireTasksIfUnset } from '../jobs/index.js';
import { moveLead } from '../leads/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import { leads } from '../leads/schema.js';
import type { ItemInput, QuoteInput } from './inputs.js';
import { type CustomerType, DEFAULT_TIERS, defaultSelection, type LineItem, priceSelection, type Tier } from './pricing.js';
import { quotes } from './schema.js';

export type QuoteAuthor = { createdBy: 'system' | 'va' | 'estimator' | 'admin'; userId: string | null; actor: string };
export type QuoteSettings = { now: Date; ttlHours: number; depositPercent: number };

function toItems(inputs: ItemInput[], catalog: Map<string, CatalogSku>, prefix: string): LineItem[] {
  return inputs.map((i, n) => {
    const sku = i.skuCode ? catalog.get(i.skuCode)! : null;
    return {
      id: `${prefix}${n + 1}`,
      skuCode: sku?.code ?? null,
      description: i.description ?? sku!.name,
      pricePence: i.pricePence ?? sku!.pricePence,
      quantity: i.quantity,
    };
  });
}

/**
 * Prices a quote input the way the server will store it: SKU prices from the price list, the tier
 * defaults with the staff's edits, the customer-type modifier and the deposit. Writes nothing, so
 * the quote builder can show the server's prices live before anything is saved.
 */
export async function priceQuoteInput(tx: Queryable, customerType: CustomerType, input: QuoteInput, defaultDepositPercent: number) {
  if (input.style !== 'fixed_optionals' && input.optionalItems.length) {
    throw new AppError('OPTIONALS_NOT_ALLOWED', 'Only fixed_optionals quotes have optional items', { field: 'optionalItems' });
  }
  if (input.style !== 'hhh' && input.tiers?.length)
    throw new AppError('TIERS_NOT_ALLOWED', 'Only hhh quotes have tiers', { field: 'tiers' });
  const allItems = [...input.lineItems, ...input.optionalItems, ...(input.tiers ?? []).flatMap((t) => t.extraItems)];
  const catalog = await skusByCode(
    tx,
    allItems.flatMap((i) => (i.skuCode ? [i.skuCode] : [])),
  );
  const lineItems = toItems(input.lineItems, catalog, 'i');
  const optionalItems = toItems(input.optionalItems, catalog, 'o');
  const tiers: Tier[] =
    input.style === 'hhh'
      ? DEFAULT_TIERS.map((t) => {
          const edit = input.tiers?.find((x) => x.key === t.key);
          return {
            ...t,
            multiplierBp: edit?.multiplier !== undefined ? Math.round(edit.multiplier * 10_000) : t.multiplierBp,
            warrantyMonths: edit?.warrantyMonths ?? t.warrantyMonths,
            extraItems: toItems(edit?.extraItems ?? [], catalog, `${t.key}-x`),
          };
        })
      : [];
  const depositPercent = input.depositPercent ?? defaultDepositPercent;
  const pricing = { style: input.style, lineItems, optionalItems, tiers, customerType, depositPercent };
  const selection = defaultSelection(pricing);
  return { pricing, selection, price: priceSelection(pricing, selection), catalog };
}

/**
 * A new quote version for a lead: prices come from the server (the price list or staff), never
 * from the customer. Earlier versions are superseded; the lead moves to quote_generated.
 */
export async function createQuote(tx: Queryable, lead: typeof leads.$inferSelect, input: QuoteInput, by: QuoteAuthor, s: QuoteSettings) {
  const { pricing, selection, price, catalog } = await priceQuoteInput(tx, lead.customerType, input, s.depositPercent);
  const { lineItems, optionalItems, tiers, depositPercent } = pricing;

  const [{ version }] = (
    await tx.execute<{ version: number }>(sql`select coalesce(max(version), 0)::int + 1 as version from quotes where lead_id = ${lead.id}`)
  ).rows as [{ version: number }];
  await tx
    .update(quotes)
    .set({ supersededAt: s.now })
    .where(and(eq(quotes.leadId, lead.id), isNull(quotes.supersededAt)));
  const id = randomUUID();
  const [quote] = await tx
    .insert(quotes)
    .values({
      id,
      leadId: lead.id,
      version,
      style: input.style,
      lineItems,
      optionalItems,
      tiers,
      customerType: lead.customerType,
      depositPercent,
      selection,
      totalPence: price.totalPence,
      depositPence: price.depositPence,
      tokenHash: hashToken(linkToken('quote', id)),
      expiresAt: new Date(s.now.getTime() + s.ttlHours * 3_600_000),
      createdBy: by.createdBy,
      createdByUserId: by.userId,
      createdAt: s.now,
    })
    .returning();

  // The SKUs' tasks become the job's requirements when nobody has set any.
  const taskIds = [...new Set([...catalog.values()].flatMap((k) => k.taskIds))];
  await requireTasksIfUnset(tx, lead.jobId, taskIds);
  await moveLead(tx, lead.id, { to: 'quote_generated', actor: by.actor, reason: `quote v${version}`, now: s.now });
  return quote!;
}

/** Staff make a new quote version for a lead, under the lead's row lock (versions are numbered in order). */
export async function createQuoteForLead(db: Db, leadId: string, input: QuoteInput, by: QuoteAuthor, s: QuoteSettings) {
  return db.transaction(async (tx) => {
    const [lead] = await tx.select().from(leads).where(eq(leads.id, leadId)).for('update');
    if (!lead) throw notFound('Lead', { id: leadId });
    return createQuote(tx, lead, input, by, s);
  });
}
