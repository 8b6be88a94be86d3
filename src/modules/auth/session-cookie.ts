import type { FastifyReply } from 'fastify';
import type { Config } from '../../config.js';
import { SESSION_COOKIE } from '../../http/auth.js';

/** The HTTP-only session cookie every way of signing in sets. */
export function setSessionCookie(reply: FastifyReply, session: { token: string; expiresAt: Date }, config: Pick<Config, 'COOKIE_SECURE'>) {
  void reply.setCookie(SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: config.COOKIE_SECURE === 'auto' ? 'auto' : config.COOKIE_SECURE === 'true',
    expires: session.expiresAt,
  });
}
