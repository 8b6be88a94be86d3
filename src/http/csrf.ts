import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.js';
import { SESSION_COOKIE } from './auth.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const originOf = (value: string | undefined): string | null => {
  if (!value || value === 'null') return value === 'null' ? 'null' : null;
  try {
    return new URL(value).origin;
  } catch {
    return 'invalid';
  }
};

/**
 * Cross-site request forgery: a state-changing request that a browser could send with our session
 * cookie must come from one of our own pages. Browsers send Origin on every cross-origin POST
 * (and Referer otherwise); a foreign or missing one is refused when the session cookie is what
 * authenticates. Requests with a bearer token are exempt: a browser never adds that header on
 * its own. Without a session cookie there is nothing to forge, but a foreign Origin is still
 * refused (login CSRF, forged customer actions).
 */
export function registerCsrfGuard(app: FastifyInstance, publicBaseUrl: string): void {
  const ownOrigins = (req: FastifyRequest) => new Set([new URL(publicBaseUrl).origin, originOf(`${req.protocol}://${req.host}`)]);
  app.addHook('onRequest', async (req) => {
    if (!UNSAFE.has(req.method)) return;
    if (req.headers.authorization?.startsWith('Bearer ')) return;
    if (req.url.startsWith('/api/webhooks/')) return; // signed by the sender, not a browser
    const allowed = ownOrigins(req);
    const origin = originOf(req.headers.origin);
    const referer = originOf(req.headers.referer);
    const cookieAuth = Boolean(req.cookies[SESSION_COOKIE]);
    const claimed = origin ?? referer;
    if (claimed ? !allowed.has(claimed) : cookieAuth) {
      throw new AppError('CSRF_REJECTED', 'This request did not come from one of our pages', { origin: claimed });
    }
  });
}
