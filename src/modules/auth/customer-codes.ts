import { randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { AppError } from '../../shared/errors.js';
import { codeDigest } from '../../shared/secrets.js';
import { enqueueMessage } from '../notifications/index.js';
import { customerCodes } from './schema.js';

export type CodePurpose = 'cancel' | 'reschedule';
export type CodeSettings = { now: Date; ttlMinutes: number; perHour: number; maxAttempts: number };

/** What a code unlocks: the customer link's record, e.g. codeSubject('quote', id). */
export const codeSubject = (kind: 'quote' | 'job', id: string) => `${kind}:${id}`;

/**
 * Sends a fresh 6-digit code through the outbox (email and SMS, whichever the customer gave),
 * valid for `ttlMinutes`; earlier unused codes for the same subject and purpose stop working. At
 * most `perHour` codes per subject per hour (429), counted under a per-subject lock so parallel
 * requests cannot slip past the limit.
 */
export async function issueCustomerCode(
  db: Db,
  subject: string,
  purpose: CodePurpose,
  to: { email: string | null; phone: string | null },
  s: CodeSettings,
) {
  if (!to.email && !to.phone) throw new AppError('NO_CONTACT', 'We have no email or phone to send a code to; call us instead', null);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`customer-code:${subject}`}))`);
    const [{ n }] = (
      await tx.execute<{ n: number }>(sql`
      select count(*)::int as n from customer_codes
      where subject = ${subject} and created_at > ${s.now.toISOString()}::timestamptz - interval '1 hour'`)
    ).rows as [{ n: number }];
    if (n >= s.perHour) throw new AppError('RATE_LIMITED', 'Too many codes asked for; try again later', { retryAfterSeconds: 3600 });
    await tx
      .update(customerCodes)
      .set({ expiresAt: s.now })
      .where(
        and(
          eq(customerCodes.subject, subject),
          eq(customerCodes.purpose, purpose),
          isNull(customerCodes.usedAt),
          gt(customerCodes.expiresAt, s.now),
        ),
      );
    const id = randomUUID();
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const expiresAt = new Date(s.now.getTime() + s.ttlMinutes * 60_000);
    await tx.insert(customerCodes).values({ id, subject, purpose, codeHash: codeDigest(id, code), expiresAt, createdAt: s.now });
    const data = { code, purpose, validMinutes: s.ttlMinutes };
    if (to.email) await enqueueMessage(tx, { type: 'customer_code', to: { email: to.email }, data, subject: `code:${id}` });
    if (to.phone)
      await enqueueMessage(tx, { type: 'customer_code', to: { channel: 'sms', address: to.phone }, data, subject: `code:${id}` });
    return { expiresAt, channels: [to.email ? 'email' : null, to.phone ? 'sms' : null].filter(Boolean) as string[] };
  });
}

/**
 * Checks the code a customer typed for a subject and purpose: the newest live code, at most
 * `maxAttempts` wrong tries (then 429 until a new code is sent). With `consume` (the default) a
 * right code is used up. Runs in its own transaction so a wrong try is counted even when the
 * caller's request then fails; call it before the change it guards.
 */
export async function verifyCustomerCode(
  db: Db,
  subject: string,
  purpose: CodePurpose,
  code: string,
  s: Pick<CodeSettings, 'now' | 'maxAttempts'>,
  opts: { consume?: boolean } = {},
): Promise<{ codeId: string }> {
  const outcome = await db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(customerCodes)
      .where(
        and(
          eq(customerCodes.subject, subject),
          eq(customerCodes.purpose, purpose),
          isNull(customerCodes.usedAt),
          gt(customerCodes.expiresAt, s.now),
        ),
      )
      .orderBy(desc(customerCodes.createdAt))
      .limit(1)
      .for('update');
    if (!row) return { kind: 'none' as const };
    if (row.attempts >= s.maxAttempts) return { kind: 'locked' as const };
    const given = Buffer.from(codeDigest(row.id, code.trim()), 'hex');
    if (!/^\d{6}$/.test(code.trim()) || !timingSafeEqual(given, Buffer.from(row.codeHash, 'hex'))) {
      await tx
        .update(customerCodes)
        .set({ attempts: sql`${customerCodes.attempts} + 1` })
        .where(eq(customerCodes.id, row.id));
      return { kind: 'wrong' as const, left: s.maxAttempts - row.attempts - 1 };
    }
    if (opts.consume !== false) await tx.update(customerCodes).set({ usedAt: s.now }).where(eq(customerCodes.id, row.id));
    return { kind: 'ok' as const, codeId: row.id };
  });
  switch (outcome.kind) {
    case 'ok':
      return { codeId: outcome.codeId };
    case 'none':
      throw new AppError('CODE_REQUIRED', 'Ask for a code first: the last one has expired or been used', null);
    case 'locked':
      throw new AppError('CODE_LOCKED', 'Too many wrong codes; ask for a new one', null);
    case 'wrong':
      throw new AppError('CODE_INVALID', 'That code is not right', { attemptsLeft: Math.max(0, outcome.left) });
  }
}
