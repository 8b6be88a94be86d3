import type { FastifyInstance } from 'fastify';
import { AppError } from '../shared/errors.js';

// A NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The JSON-pointer-ish path of the first unsafe string (keys included) in a value, or null. */
export function findUnsafeText(value: unknown, at = ''): string | null {
  if (typeof value === 'string') return UNSAFE.test(value) ? at || '/' : null;
  if (!value || typeof value !== 'object') return null;
  if (Buffer.isBuffer(value)) return null;
  for (const [key, inner] of Object.entries(value)) {
    const here = `${at}/${key}`;
    if (UNSAFE.test(key)) return here;
    const found = findUnsafeText(inner, here);
    if (found) return found;
  }
  return null;
}

/** Throws the 400 for the first NUL or unpaired surrogate in `value` (also for multipart fields). */
export function assertSafeText(value: unknown, part: string): void {
  const path = findUnsafeText(value);
  if (path) {
    throw new AppError('VALIDATION_FAILED', `Invalid ${part}: ${path} contains a NUL character or an unpaired surrogate`, [
      { in: part, path, message: 'NUL characters and unpaired UTF-16 surrogates are not accepted' },
    ]);
  }
}

/**
 * PostgreSQL cannot store NUL in text and rejects lone UTF-16 surrogates once encoded, so such
 * input used to surface as a 500 from deep inside a use case. Every route's parsed params, query
 * string and JSON body are checked here, once, before validation: a 400 and nothing written.
 */
export function registerInputHygiene(app: FastifyInstance): void {
  // The path and query string are known before the body is read (and before sign-in is checked).
  app.addHook('onRequest', async (req) => {
    assertSafeText(req.params, 'params');
    assertSafeText(req.query, 'querystring');
  });
  app.addHook('preValidation', async (req) => assertSafeText(req.body, 'body'));
}
