import { randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { generateSecret, generateURI, verify } from 'otplib';
import type { Queryable } from '../../db/client.js';
import { openSecret, sealSecret } from '../../shared/secrets.js';
import { hashToken } from '../../shared/tokens.js';
import { mfaRecoveryCodes, users } from './schema.js';

export const RECOVERY_CODES = 10;

/** A new secret for an authenticator app, and the otpauth:// URI its QR code carries. */
export function newTotpSecret(issuer: string, label: string) {
  const secret = generateSecret();
  return { secret, uri: generateURI({ issuer, label, secret }) };
}

/**
 * Checks a 6-digit code against the user's sealed secret, allowing one 30 s step of clock drift
 * either way. A code is accepted once: the step it matched is stored and anything at or before it
 * is refused afterwards (no replay of a code seen over a shoulder).
 */
export async function checkTotp(
  tx: Queryable,
  user: { id: string; totpSecretEnc: string | null; totpLastStep: number | null },
  code: string,
  now: Date,
): Promise<boolean> {
  if (!user.totpSecretEnc || !/^\d{6}$/.test(code)) return false;
  const result = await verify({
    secret: openSecret(user.totpSecretEnc),
    token: code,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: 30,
    ...(user.totpLastStep !== null ? { afterTimeStep: user.totpLastStep } : {}),
  }).catch(() => ({ valid: false as const }));
  if (!result.valid) return false;
  const step = (result as { timeStep?: number }).timeStep ?? Math.floor(now.getTime() / 30_000);
  await tx.update(users).set({ totpLastStep: step }).where(eq(users.id, user.id));
  return true;
}

export const sealTotpSecret = (secret: string) => sealSecret(secret);

/** Ten fresh one-time recovery codes (the old ones stop working); only their SHA-256 is stored. */
export async function replaceRecoveryCodes(tx: Queryable, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODES }, () => {
    const raw = randomBytes(10).toString('hex');
    return `${raw.slice(0, 5)}-${raw.slice(5, 10)}-${raw.slice(10, 15)}-${raw.slice(15)}`;
  });
  await tx.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, userId));
  await tx.insert(mfaRecoveryCodes).values(codes.map((c) => ({ userId, codeHash: hashToken(c) })));
  return codes;
}

/** Uses up a recovery code; false when it is unknown or already used. */
export async function useRecoveryCode(tx: Queryable, userId: string, code: string, now: Date): Promise<boolean> {
  const rows = await tx
    .update(mfaRecoveryCodes)
    .set({ usedAt: now })
    .where(
      and(
        eq(mfaRecoveryCodes.userId, userId),
        eq(mfaRecoveryCodes.codeHash, hashToken(code.trim().toLowerCase())),
        isNull(mfaRecoveryCodes.usedAt),
      ),
    )
    .returning({ h: mfaRecoveryCodes.codeHash });
  return rows.length === 1;
}
