import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Access, describeAccess, type Principal, resolveSession } from '../modules/auth/index.js';
import type { AppContext } from './context.js';
import { AppError, forbidden, unauthorized } from '../shared/errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** Allowed for an admin's session that must first enrol two-factor (enrolment, me, sign-out). */
    duringMfaEnrolment?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** Every route and who may call it: the role tests walk this table. */
    accessTable: { method: string; url: string; access: Access }[];
  }
}

export const SESSION_COOKIE = 'handy_session';

export function sessionToken(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || null;
  return req.cookies[SESSION_COOKIE] ?? null;
}

/**
 * Every /api route must declare `config.access`; a route without it fails start-up. The roles are
 * written into the OpenAPI description, and checked on every request before the body is parsed.
 */
export function registerAuth(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('principal', null);
  app.decorate('accessTable', []);

  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (!access) {
      if (route.url.startsWith('/api')) throw new Error(`Route ${route.method} ${route.url} declares no access`);
      return;
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) if (m !== 'HEAD') app.accessTable.push({ method: m, url: route.url, access });
    if (route.schema && !route.schema.hide) {
      const roles = describeAccess(access);
      route.schema = {
        ...route.schema,
        description: route.schema.description ? `${route.schema.description}\n\n${roles}` : roles,
        ...(Array.isArray(access) ? { security: [{ sessionCookie: [] }, { bearer: [] }] } : {}),
      };
    }
  });

  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config?.access;
    if (!access || access === 'public' || access === 'customer') return;
    const token = sessionToken(req);
    if (!token) throw unauthorized();
    const session = await resolveSession(ctx.db, token, ctx.config.SESSION_IDLE_MINUTES);
    if (!session) throw unauthorized('Your session has expired or is not valid; sign in again');
    if (!access.includes(session.role)) throw forbidden(`This needs one of the roles: ${access.join(', ')}`);
    if (session.mfaEnrolmentOnly && !req.routeOptions.config.duringMfaEnrolment) {
      throw new AppError(
        'MFA_ENROLMENT_REQUIRED',
        'Admins must turn on two-factor first: POST /api/auth/totp/setup, then /api/auth/totp/confirm',
      );
    }
    const { mfaEnrolmentOnly: _restricted, ...principal } = session;
    req.principal = principal;
  });
}

/** The signed-in caller, for handlers of role-protected routes (the hook guarantees it). */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw unauthorized();
  return req.principal;
}
