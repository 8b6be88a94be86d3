import { randomBytes } from 'node:crypto';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { AppError } from '../../shared/errors.js';
import { hashToken, newToken } from '../../shared/tokens.js';
import { recordAudit } from '../audit/index.js';
import type { LoginThrottle } from './login-throttle.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { mfaChallenges, users } from './schema.js';
import { createSession } from './sessions.js';
import { checkTotp, useRecoveryCode } from './totp.js';

type User = typeof users.$inferSelect;
export type SignInSettings = { ttlHours: number; now: Date; ip: string };
export type SignedIn = { kind: 'session'; token: string; expiresAt: Date; user: User; mfaEnrolmentRequired: boolean };
export type SignInResult = SignedIn | { kind: 'mfa'; mfaToken: string; expiresAt: Date };

const MFA_CHALLENGE_SECONDS = 300;
const MFA_CHALLENGE_ATTEMPTS = 5;

// Unknown emails are checked against this hash so they take as long as a wrong password.
let dummyHash: Promise<string> | null = null;
const dummy = () => (dummyHash ??= hashPassword(randomBytes(16).toString('hex')));

export const tooManyAttempts = (retryAfterSeconds: number) =>
  new AppError('TOO_MANY_ATTEMPTS', `Too many failed sign-ins; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
const invalidCredentials = () => new AppError('INVALID_CREDENTIALS', 'Email or password is wrong');

async function startSession(db: Db, user: User, s: SignInSettings, how: string): Promise<SignedIn> {
  // An admin who has not enrolled two-factor gets a session that can only enrol it.
  const mfaEnrolmentRequired = user.role === 'admin' && !user.totpEnabledAt;
  return db.transaction(async (tx) => {
    const session = await createSession(tx, user.id, s.ttlHours, { mfaEnrolmentOnly: mfaEnrolmentRequired });
    await recordAudit(tx, {
      action: 'auth.sign_in',
      actorUserId: user.id,
      actor: `user:${user.id}`,
      targetType: 'user',
      targetId: user.id,
      ip: s.ip,
      details: { method: how, mfaEnrolmentRequired },
    });
    return { kind: 'session' as const, ...session, user, mfaEnrolmentRequired };
  });
}

/**
 * Email and password. Throttled per account and per IP before anything else; an unknown or
 * deactivated account costs the same argon2 work as a wrong password and gets the same answer.
 * With two-factor enrolled the answer is a short-lived ticket for the code step, not a session.
 */
export async function passwordSignIn(
  db: Db,
  throttle: LoginThrottle,
  email: string,
  password: string,
  s: SignInSettings,
): Promise<SignInResult> {
  const verdict = await throttle.check(email, s.ip);
  if (!verdict.allowed) {
    await recordAudit(db, {
      action: 'auth.sign_in_throttled',
      actor: email.slice(0, 200),
      ip: s.ip,
      details: { retryAfterSeconds: verdict.retryAfterSeconds },
    });
    throw tooManyAttempts(verdict.retryAfterSeconds);
  }
  const [found] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email})`);
  const user = found?.isActive ? found : undefined;
  const ok = await verifyPassword(user?.passwordHash ?? (await dummy()), password);
  if (!user || !ok) {
    await throttle.failed(email, s.ip);
    await recordAudit(db, {
      action: 'auth.sign_in_failed',
      actor: email.slice(0, 200),
      ip: s.ip,
      targetType: found ? 'user' : null,
      targetId: found?.id ?? null,
      details: { reason: !found ? 'unknown_account' : !found.isActive ? 'inactive_account' : 'wrong_password' },
    });
    throw invalidCredentials();
  }
  await throttle.succeeded(email, s.ip);
  return afterFirstFactor(db, user, 'password', s);
}

/**
 * Every way in goes through here once its first factor (password or one-time code) is proven:
 * with two-factor enrolled the answer is a short-lived ticket for the code step, not a session;
 * otherwise a session (enrolment-only for an admin without two-factor) and the audit record.
 */
export async function afterFirstFactor(db: Db, user: User, firstFactor: 'password' | 'code', s: SignInSettings): Promise<SignInResult> {
  if (user.totpEnabledAt) {
    const mfaToken = newToken();
    const expiresAt = new Date(s.now.getTime() + MFA_CHALLENGE_SECONDS * 1000);
    await db.delete(mfaChallenges).where(and(eq(mfaChallenges.userId, user.id), lt(mfaChallenges.expiresAt, s.now)));
    await db.insert(mfaChallenges).values({ tokenHash: hashToken(mfaToken), userId: user.id, expiresAt, firstFactor });
    return { kind: 'mfa', mfaToken, expiresAt };
  }
  return startSession(db, user, s, firstFactor);
}

/** Sign-in with a one-time code already verified (login-codes.ts): the same path as a password. */
export async function codeSignIn(db: Db, userId: string, s: SignInSettings): Promise<SignInResult> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user?.isActive) throw new AppError('INVALID_CREDENTIALS', 'That code is not right');
  return afterFirstFactor(db, user, 'code', s);
}

/** The second step: a TOTP code (or a one-time recovery code) for the ticket from the first. */
export async function completeMfaSignIn(
  db: Db,
  throttle: LoginThrottle,
  mfaToken: string,
  proof: { code?: string; recoveryCode?: string },
  s: SignInSettings,
): Promise<SignedIn> {
  const outcome = await db.transaction(async (tx) => {
    const [challenge] = await tx
      .select()
      .from(mfaChallenges)
      .where(and(eq(mfaChallenges.tokenHash, hashToken(mfaToken)), gt(mfaChallenges.expiresAt, s.now)))
      .for('update');
    if (!challenge || challenge.attempts >= MFA_CHALLENGE_ATTEMPTS) return { ok: false as const, expired: true, user: null };
    const [user] = await tx.select().from(users).where(eq(users.id, challenge.userId));
    if (!user?.isActive) return { ok: false as const, expired: true, user: null };
    const ok = proof.code
      ? await checkTotp(tx, user, proof.code, s.now)
      : proof.recoveryCode
        ? await useRecoveryCode(tx, user.id, proof.recoveryCode, s.now)
        : false;
    if (!ok) {
      // Committed even though the request fails: the count of wrong codes must stick.
      await tx
        .update(mfaChallenges)
        .set({ attempts: sql`${mfaChallenges.attempts} + 1` })
        .where(eq(mfaChallenges.tokenHash, challenge.tokenHash));
      await recordAudit(tx, {
        action: 'auth.sign_in_failed',
        actorUserId: user.id,
        actor: user.email,
        targetType: 'user',
        targetId: user.id,
        ip: s.ip,
        details: { reason: 'wrong_mfa_code' },
      });
      return { ok: false as const, expired: false, user };
    }
    await tx.delete(mfaChallenges).where(eq(mfaChallenges.tokenHash, challenge.tokenHash));
    return { ok: true as const, expired: false, user, firstFactor: challenge.firstFactor };
  });
  if (!outcome.ok) {
    if (outcome.user) await throttle.failed(outcome.user.email, s.ip);
    if (outcome.expired) throw new AppError('MFA_TICKET_INVALID', 'Sign in again: this step has expired or had too many wrong codes');
    throw new AppError('INVALID_CREDENTIALS', 'That code is not right');
  }
  return startSession(db, outcome.user, s, `${outcome.firstFactor}+${proof.code ? 'totp' : 'recovery_code'}`);
}
