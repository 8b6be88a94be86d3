import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/modules/auth/principal.js';
import { auth, DAY, makeContractor, startHarness, type Harness } from '../helpers/harness.js';

const ROLES: Role[] = ['admin', 'va', 'estimator', 'contractor'];

let h: Harness;
const tokens = {} as Record<Role, string>;
beforeAll(async () => {
  h = await startHarness();
  const contractor = await makeContractor(h);
  for (const r of ROLES) tokens[r] = await h.tokenFor(r, r === 'contractor' ? contractor : undefined);
});
afterAll(async () => {
  await h.close();
});

const concrete = (url: string) =>
  url
    .replace(':id', '00000000-0000-4000-8000-000000000000')
    .replace(':date', DAY)
    .replace(':token', 'x'.repeat(43))
    .replace(':sessionId', 'session-x')
    .replace(':file', 'quote.js');

describe('every route declares its roles, and they are enforced', () => {
  it('covers every API route', () => {
    const api = h.app.accessTable.filter((r) => r.url.startsWith('/api'));
    expect(api.length).toBeGreaterThan(40);
  });

  it('refuses role-protected routes without a session (401) and with the wrong role (403)', async () => {
    for (const route of h.app.accessTable) {
      if (!Array.isArray(route.access)) continue;
      const url = concrete(route.url);
      const anon = await h.app.inject({ method: route.method as 'GET', url, payload: {} });
      expect(anon.statusCode, `${route.method} ${route.url} without sign-in`).toBe(401);
      expect(anon.json().error.code).toBe('UNAUTHENTICATED');
      const forged = await h.app.inject({ method: route.method as 'GET', url, headers: auth('forged-token'), payload: {} });
      expect(forged.statusCode, `${route.method} ${route.url} forged token`).toBe(401);
      for (const role of ROLES) {
        // Signing out would end the session the other checks use; the logout test covers it.
        if (route.access.includes(role) && (route.url === '/api/auth/logout' || route.url === '/api/auth/logout-all')) continue;
        // The live stream never ends; test/api/dispatch.test.ts covers it.
        if (route.access.includes(role) && route.url.endsWith('/stream')) continue;
        const res = await h.app.inject({ method: route.method as 'GET', url, headers: auth(tokens[role]), payload: {} });
        if (route.access.includes(role)) {
          expect([401, 403], `${route.method} ${route.url} as ${role} should be allowed`).not.toContain(res.statusCode);
        } else {
          expect(res.statusCode, `${route.method} ${route.url} as ${role}`).toBe(403);
          expect(res.json().error.code).toBe('FORBIDDEN');
        }
      }
    }
  });

  it('authorises customer routes by their link token alone (unknown token: 404)', async () => {
    const customer = h.app.accessTable.filter((r) => r.access === 'customer');
    expect(customer.length).toBeGreaterThanOrEqual(5);
    for (const route of customer) {
      const res = await h.app.inject({
        method: route.method as 'GET',
        url: concrete(route.url),
        payload: {
          sessionId: 'session-x',
          date: DAY,
          slot: 'am',
          contractorId: '00000000-0000-4000-8000-000000000000',
          channel: 'email',
          contact: 'a@b.co',
          rating: 5,
          purpose: 'cancel',
          code: '123456',
        },
      });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(404);
    }
  });

  it('leaves public routes open', async () => {
    for (const route of h.app.accessTable.filter((r) => r.access === 'public' && r.method === 'GET')) {
      const res = await h.app.inject({ method: 'GET', url: concrete(route.url) });
      expect([200, 302], route.url).toContain(res.statusCode);
    }
  });

  it('accepts the session cookie as well as a bearer token, and logout ends the session', async () => {
    const me = await h.app.inject({ url: '/api/auth/me', cookies: { handy_session: tokens.va } });
    expect(me.json().user.role).toBe('va');
    const login = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'nobody@test.local', password: 'wrong' },
    });
    expect(login.statusCode).toBe(401);
    expect(login.json().error.code).toBe('INVALID_CREDENTIALS');
    const t = await h.tokenFor('estimator');
    expect((await h.app.inject({ method: 'POST', url: '/api/auth/logout', headers: auth(t) })).statusCode).toBe(204);
    expect((await h.app.inject({ url: '/api/auth/me', headers: auth(t) })).statusCode).toBe(401);
  });

  it('sets an HTTP-only session cookie on sign-in', async () => {
    await h.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: auth(tokens.admin),
      payload: { email: 'new.va@test.local', name: 'New VA', role: 'va', password: 'long enough password' },
    });
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'NEW.VA@test.local', password: 'long enough password' },
    });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'handy_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const stored = await h.db.pool.query('select password_hash from users where email = $1', ['new.va@test.local']);
    expect(stored.rows[0].password_hash).toMatch(/^\$argon2id\$/);
  });
});
