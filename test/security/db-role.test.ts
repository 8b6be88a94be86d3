import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Database } from '../../src/db/client.js';
import { ensureAppRole, grantAppRole, urlAs } from '../../src/db/app-role.js';
import { buildApp } from '../../src/http/app.js';
import type { App } from '../../src/http/context.js';
import { createUser } from '../../src/modules/auth/create-user.js';
import { auth, enquiry, type Harness, startHarness } from '../helpers/harness.js';

let h: Harness;
let role: string;
let asApp: Database;
let app: App;
beforeAll(async () => {
  h = await startHarness();
  role = `handy_app_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  await ensureAppRole(h.db.url, role, password);
  await grantAppRole(h.db.url, role);
  asApp = connect(urlAs(h.db.url, role, password), 4);
  app = await buildApp({ db: asApp.db, databaseUrl: urlAs(h.db.url, role, password), config: h.config, now: () => h.clock.now });
});
afterAll(async () => {
  await app?.close();
  await asApp?.close();
  await h.db.pool.query(`drop owned by ${role}`);
  await h.db.pool.query(`drop role ${role}`);
  await h.close();
});

describe('the app runs as a least-privilege database role', () => {
  it('serves requests (enquiry, sign-in, staff reads, audit writes) as that role', async () => {
    expect(
      (await asApp.pool.query('select current_user as u, (select rolsuper from pg_roles where rolname = current_user) as su')).rows[0],
    ).toEqual({ u: role, su: false });
    expect((await app.inject({ method: 'POST', url: '/api/leads/web', payload: enquiry() })).statusCode).toBe(201);
    await createUser(h.db.db, { email: 'va@role.test', name: 'VA', role: 'va', password: 'velvet harbour quietly 91' });
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'va@role.test', password: 'velvet harbour quietly 91' },
    });
    expect(login.statusCode).toBe(200);
    expect((await app.inject({ url: '/api/leads', headers: auth(login.json().token) })).statusCode).toBe(200);
    expect((await asApp.pool.query(`select count(*)::int as n from audit_log where action = 'auth.sign_in'`)).rows[0].n).toBe(1);
  });

  it('cannot change the schema, truncate, or rewrite the audit log', async () => {
    const refused = async (statement: string) => {
      const err = await asApp.pool.query(statement).then(
        () => null,
        (e: { code?: string }) => e,
      );
      expect(err?.code, statement).toMatch(/^(42501|42P01)$/); // insufficient_privilege
    };
    await refused('create table sneaky (id int)');
    await refused('drop table leads');
    await refused('alter table users add column x int');
    await refused('truncate leads');
    await refused('update audit_log set action = $$nothing$$');
    await refused('delete from audit_log');
    await refused('create role other_role');
  });
});
