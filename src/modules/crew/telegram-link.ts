import { randomInt } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { AppError } from '../../shared/errors.js';
import { hashToken } from '../../shared/tokens.js';
import { users } from '../auth/schema.js';
import { releaseUserTelegramChat, type Role, setUserTelegramChat } from '../auth/index.js';
import { releaseContractorTelegramChat, setContractorTelegramChat } from '../contractors/index.js';
import { contractors } from '../contractors/schema.js';
import { telegramLinkCodes } from './schema.js';

// No 0/O, 1/I/L: the code may be read off a screen and typed.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const CODE_LENGTH = 10;

export const normaliseCode = (code: string) => code.trim().toUpperCase().replace(/[\s-]/g, '');

/** A one-time code that links the caller's Telegram chat to their account (only its hash is kept). */
export async function createLinkCode(db: Db, userId: string, ttlMinutes: number, now: Date) {
  const code = Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  const expiresAt = new Date(now.getTime() + ttlMinutes * 60_000);
  await db.insert(telegramLinkCodes).values({ codeHash: hashToken(code), userId, expiresAt, createdAt: now });
  return { code, expiresAt };
}

export type ChatUser =
  | { kind: 'contractor'; contractorId: string; name: string; isActive: boolean }
  | { kind: 'staff'; userId: string; role: Role; name: string };

/**
 * Spends a code and links the chat: a contractor's chat goes on their contractor record, a staff
 * member's on their user. A chat belongs to one account, so it is taken off any other first.
 */
export async function linkChat(db: Db, rawCode: string, chatId: string, now: Date): Promise<ChatUser> {
  return db.transaction(async (tx) => {
    const [spent] = await tx
      .update(telegramLinkCodes)
      .set({ usedAt: now })
      .where(
        and(
          eq(telegramLinkCodes.codeHash, hashToken(normaliseCode(rawCode))),
          isNull(telegramLinkCodes.usedAt),
          gt(telegramLinkCodes.expiresAt, now),
        ),
      )
      .returning({ userId: telegramLinkCodes.userId });
    if (!spent) throw new AppError('CODE_INVALID', 'That code is wrong, used or expired; ask the app for a new one', null);
    const [u] = await tx.select().from(users).where(eq(users.id, spent.userId));
    if (!u || !u.isActive) throw new AppError('CODE_INVALID', 'That account is not active', null);
    await releaseContractorTelegramChat(tx, chatId);
    await releaseUserTelegramChat(tx, chatId);
    if (u.contractorId) {
      const c = await setContractorTelegramChat(tx, u.contractorId, chatId, now);
      return { kind: 'contractor', contractorId: c!.id, name: c!.name, isActive: c!.isActive };
    }
    await setUserTelegramChat(tx, u.id, chatId);
    return { kind: 'staff', userId: u.id, role: u.role, name: u.name };
  });
}

/** Who is writing from this chat, if it is linked. */
export async function chatUser(db: Db, chatId: string): Promise<ChatUser | null> {
  const [c] = await db
    .select({ id: contractors.id, name: contractors.name, isActive: contractors.isActive })
    .from(contractors)
    .where(eq(contractors.telegramChatId, chatId));
  if (c) return { kind: 'contractor', contractorId: c.id, name: c.name, isActive: c.isActive };
  const [u] = await db
    .select({ id: users.id, role: users.role, name: users.name })
    .from(users)
    .where(and(eq(users.telegramChatId, chatId), eq(users.isActive, true), sql`${users.role} <> 'contractor'`));
  return u ? { kind: 'staff', userId: u.id, role: u.role, name: u.name } : null;
}

/** Chats of active staff who review crew places (admins and VAs). */
export async function reviewerChats(db: Db): Promise<string[]> {
  const rows = await db
    .select({ chat: users.telegramChatId })
    .from(users)
    .where(and(eq(users.isActive, true), sql`${users.role} in ('admin', 'va')`, sql`${users.telegramChatId} is not null`));
  return rows.map((r) => r.chat!);
}
