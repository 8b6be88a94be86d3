import { eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { contractors } from './schema.js';

/** Offers and jobs go to this chat; null unlinks. Returns the contractor, or null when unknown. */
export async function setContractorTelegramChat(tx: Queryable, contractorId: string, chatId: string | null, now: Date) {
  const [c] = await tx
    .update(contractors)
    .set({ telegramChatId: chatId, updatedAt: now })
    .where(eq(contractors.id, contractorId))
    .returning({ id: contractors.id, name: contractors.name, isActive: contractors.isActive });
  return c ?? null;
}

/** A chat belongs to one account: it is taken off whichever contractor had it. */
export async function releaseContractorTelegramChat(tx: Queryable, chatId: string) {
  await tx.update(contractors).set({ telegramChatId: null }).where(eq(contractors.telegramChatId, chatId));
}
