import { eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { users } from './schema.js';

/** Staff alerts and crew posts reach this member of staff in this chat; null unlinks. */
export async function setUserTelegramChat(tx: Queryable, userId: string, chatId: string | null) {
  await tx.update(users).set({ telegramChatId: chatId }).where(eq(users.id, userId));
}

/** A chat belongs to one account: it is taken off whichever user had it. */
export async function releaseUserTelegramChat(tx: Queryable, chatId: string) {
  await tx.update(users).set({ telegramChatId: null }).where(eq(users.telegramChatId, chatId));
}
