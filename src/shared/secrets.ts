import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Keys derived from the one server secret (APP_SECRET), one per purpose. Set once at start-up
 * (buildApp); nothing here is stored in the database.
 */
let master: Buffer | null = null;

export function useAppSecret(secret: string): void {
  master = Buffer.from(secret, 'utf8');
}

function key(purpose: string): Buffer {
  if (!master) throw new Error('APP_SECRET has not been set (useAppSecret)');
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `handy:${purpose}`, 32));
}

/**
 * The token in a customer link (quote or video): 144 bits of HMAC over the record id. Only its
 * SHA-256 is stored, so the database alone never yields a working link, yet staff screens and the
 * "newer version" pointer can still show the link without it being kept anywhere.
 */
export function linkToken(kind: 'quote' | 'video', id: string): string {
  return createHmac('sha256', key('link-token')).update(`${kind}:${id}`).digest().subarray(0, 18).toString('base64url');
}

/** AES-256-GCM for small secrets at rest (staff TOTP secrets): iv.tag.ciphertext, base64url. */
export function sealSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key('sealed-secret'), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

export function openSecret(sealed: string): string {
  const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  const decipher = createDecipheriv('aes-256-gcm', key('sealed-secret'), iv!);
  decipher.setAuthTag(tag!);
  return Buffer.concat([decipher.update(body!), decipher.final()]).toString('utf8');
}

/** Keyed digest of a short code (a 6-digit code's plain SHA-256 would be reversed by trying all 10^6). */
export function codeDigest(id: string, code: string): string {
  return createHmac('sha256', key('customer-code')).update(`${id}:${code}`).digest('hex');
}

/** Tests and tools that build the app without a configured secret get a random one for the process. */
export function useRandomAppSecretIfUnset(): void {
  if (!master) master = randomBytes(32);
}
