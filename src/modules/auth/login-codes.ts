import { randomInt } from 'node:crypto';
import { and, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { AppError } from '../../shared/errors.js';
import { hashToken } from '../../shared/tokens.js';
import { enqueueMessage } from '../notifications/index.js';
import { loginCodes } from './code-schema.js';
import { type Contact, normaliseContact, PHONE_SQL_PATTERN } from './contact.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { users } from './schema.js';

export type CodeChannel = 'sms' | 'whatsapp' | 'telegram' | 'email';
type Limits = Pick<Config, 'LOGIN_CODE_TTL_MINUTES' | 'LOGIN_CODE_MAX_ATTEMPTS' | 'LOGIN_CODE_PER_CONTACT' | 'LOGIN_CODE_PER_IP'>;

const contactKey = (c: Contact) => hashToken(`${c.kind}:${c.value}`);
const newCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');
const CONTACT_WINDOW_MINUTES = 15;
const IP_WINDOW_MINUTES = 60;

/** The active contractor account this phone number or email address belongs to, if any. */
async function findContractorUser(db: Db, c: Contact): Promise<string | null> {
  const match =
    c.kind === 'email'
      ? sql`(lower(u.email) = ${c.value} or lower(trim(ct.email)) = ${c.value})`
      : sql`regexp_replace(regexp_replace(ct.phone, ${PHONE_SQL_PATTERN.strip}, '', 'g'), ${PHONE_SQL_PATTERN.ukPrefix}, '0') = ${c.value}`;
  const res = await db.execute<{ id: string }>(sql`
    select u.id from users u join contractors ct on ct.id = u.contractor_id
    where u.role = 'contractor' and u.is_active and ct.is_active and ${match}
    order by u.created_at limit 1`);
  return res.rows[0]?.id ?? null;
}

const rateLimited = (minutes: number) =>
  new AppError('RATE_LIMITED', `Too many codes asked for; try again in ${minutes} minutes`, { retryAfterSeconds: minutes * 60 });

/**
 * Sends a one-time code to a contractor's phone (SMS, WhatsApp or Telegram) or email through the
 * outbox. Every request is recorded (the counts behind the per-contact and per-address limits, taken
 * under advisory locks so concurrent requests cannot slip past them), and unknown contacts cost the
 * same work, so neither the answer nor its timing tells whether an account exists.
 */
export async function requestLoginCode(
  db: Db,
  input: { contact: Contact; channel: CodeChannel; ip: string },
  limits: Limits,
  now: Date,
): Promise<void> {
  const contact = normaliseContact(input.contact);
  const contactHash = contactKey(contact);
  const ipHash = hashToken(`ip:${input.ip}`);
  const code = newCode();
  // Hashing is the slow part: done before the transaction, for every request alike.
  const codeHash = await hashPassword(code);
  const userId = await findContractorUser(db, contact);
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${'login-code:' + contactHash}, 0))`);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${'login-code:' + ipHash}, 0))`);
    const since = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
    const [perContact] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(loginCodes)
      .where(and(eq(loginCodes.contactHash, contactHash), gt(loginCodes.createdAt, since(CONTACT_WINDOW_MINUTES))));
    if (perContact!.n >= limits.LOGIN_CODE_PER_CONTACT) throw rateLimited(CONTACT_WINDOW_MINUTES);
    const [perIp] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(loginCodes)
      .where(and(eq(loginCodes.ipHash, ipHash), gt(loginCodes.createdAt, since(IP_WINDOW_MINUTES))));
    if (perIp!.n >= limits.LOGIN_CODE_PER_IP) throw rateLimited(IP_WINDOW_MINUTES);
    // A new code replaces any earlier one for the same contact.
    await tx
      .update(loginCodes)
      .set({ consumedAt: now })
      .where(and(eq(loginCodes.contactHash, contactHash), isNull(loginCodes.consumedAt)));
    const expiresAt = new Date(now.getTime() + limits.LOGIN_CODE_TTL_MINUTES * 60_000);
    const [row] = await tx
      .insert(loginCodes)
      .values({ contactHash, ipHash, userId, codeHash, channel: input.channel, expiresAt, createdAt: now })
      .returning({ id: loginCodes.id });
    if (userId) {
      await enqueueMessage(tx, {
        type: 'login_code',
        to: { channel: input.channel, address: contact.value },
        data: { code, expiresInMinutes: limits.LOGIN_CODE_TTL_MINUTES },
        subject: `login-code:${row!.id}`,
      });
    }
  });
  // Old rows only matter for the rate-limit windows.
  await db.delete(loginCodes).where(lt(loginCodes.createdAt, new Date(now.getTime() - 24 * 3_600_000)));
}

const invalid = (attemptsLeft: number) =>
  new AppError('INVALID_CREDENTIALS', 'That code is wrong or has expired; ask for a new one', { attemptsLeft });

/**
 * Checks a code. Each try first spends one attempt with a conditional UPDATE (so concurrent
 * guesses cannot exceed the limit), then compares the hash; the first correct try consumes the
 * code. The limit's last wrong try burns it. Returns the user to start a session for.
 */
export async function verifyLoginCode(db: Db, input: { contact: Contact; code: string }, limits: Limits, now: Date): Promise<string> {
  const contactHash = contactKey(normaliseContact(input.contact));
  const [live] = await db
    .select()
    .from(loginCodes)
    .where(and(eq(loginCodes.contactHash, contactHash), isNull(loginCodes.consumedAt), gt(loginCodes.expiresAt, now)))
    .orderBy(desc(loginCodes.createdAt))
    .limit(1);
  if (!live) throw invalid(0);
  const spent = await db.execute<{ attempts: number }>(sql`
    update login_codes set attempts = attempts + 1
    where id = ${live.id} and consumed_at is null and attempts < ${limits.LOGIN_CODE_MAX_ATTEMPTS}
    returning attempts`);
  const attempts = spent.rows[0]?.attempts;
  if (attempts === undefined) throw invalid(0);
  const right = await verifyPassword(live.codeHash, input.code);
  if (!right || !live.userId) {
    const left = limits.LOGIN_CODE_MAX_ATTEMPTS - attempts;
    if (left <= 0) await db.update(loginCodes).set({ consumedAt: now }).where(eq(loginCodes.id, live.id));
    throw invalid(left);
  }
  const [won] = await db
    .update(loginCodes)
    .set({ consumedAt: now })
    .where(and(eq(loginCodes.id, live.id), isNull(loginCodes.consumedAt)))
    .returning({ userId: loginCodes.userId });
  if (!won) throw invalid(0);
  const [user] = await db.select({ isActive: users.isActive }).from(users).where(eq(users.id, live.userId));
  if (!user?.isActive) throw invalid(0);
  return live.userId;
}
