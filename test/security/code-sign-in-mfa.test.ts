import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createUser } from '../../src/modules/auth/create-user.js';
import { hashPassword } from '../../src/modules/auth/passwords.js';
import { hashToken } from '../../src/shared/tokens.js';
import { auth, enrolTotp, type Harness, makeContractor, startHarness, totpCode } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.reset();
});

const verify = (body: object) =>
  h.app.inject({ method: 'POST', url: '/api/auth/code/verify', payload: body, remoteAddress: '203.0.113.9' });
const mfaStep = (body: object) => h.app.inject({ method: 'POST', url: '/api/auth/login/mfa', payload: body, remoteAddress: '203.0.113.9' });
const sessionsOf = async (userId: string) =>
  (await h.db.pool.query('select mfa_enrolment_only from user_sessions where user_id = $1', [userId])).rows as {
    mfa_enrolment_only: boolean;
  }[];
const auditOf = async (userId: string) =>
  (await h.db.pool.query('select action, details, ip from audit_log where target_id = $1 order by id', [userId])).rows as {
    action: string;
    details: Record<string, unknown>;
    ip: string;
  }[];

/** A contractor's sign-in account and the code sent to its email (the real request path). */
async function contractorWithCode() {
  const contractorId = await makeContractor(h);
  await h.tokenFor('contractor', contractorId);
  const { id: userId, email } = (await h.db.pool.query('select id, email from users where contractor_id = $1', [contractorId])).rows[0] as {
    id: string;
    email: string;
  };
  // Forget tokenFor's own password sign-in.
  await h.db.pool.query('delete from user_sessions where user_id = $1', [userId]);
  await h.db.pool.query('delete from audit_log');
  expect((await h.app.inject({ method: 'POST', url: '/api/auth/code', payload: { email } })).statusCode).toBe(202);
  const { rows } = await h.db.pool.query(
    `select payload->>'code' as code from outbox_messages where template = 'login_code' and recipient = $1 order by created_at desc limit 1`,
    [email.toLowerCase()],
  );
  return { userId, email, code: rows[0].code as string };
}

describe('code sign-in goes through the same two-factor path as the password', () => {
  it('asks a contractor with two-factor for the TOTP step: no session until then, a wrong TOTP is refused, and the sign-in is audited', async () => {
    const { userId, email, code } = await contractorWithCode();
    const secret = await enrolTotp(h.db, userId);

    const first = await verify({ email, code });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ mfaRequired: true, mfaEnrolmentRequired: false, mfaToken: expect.any(String) });
    expect(first.json().token).toBeUndefined();
    expect(first.headers['set-cookie']).toBeUndefined();
    expect(await sessionsOf(userId)).toHaveLength(0);

    const wrong = await mfaStep({ mfaToken: first.json().mfaToken, code: '000000' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('INVALID_CREDENTIALS');
    expect(await sessionsOf(userId)).toHaveLength(0);

    const right = await mfaStep({ mfaToken: first.json().mfaToken, code: await totpCode(secret, h.clock.now) });
    expect(right.statusCode, right.body).toBe(200);
    expect(right.json().user).toMatchObject({ id: userId, role: 'contractor' });
    expect((await h.app.inject({ url: '/api/auth/me', headers: auth(right.json().token) })).statusCode).toBe(200);
    expect(await sessionsOf(userId)).toEqual([{ mfa_enrolment_only: false }]);

    const trail = await auditOf(userId);
    expect(trail.map((a) => a.action)).toEqual(['auth.sign_in_failed', 'auth.sign_in']);
    expect(trail[0]!.details).toMatchObject({ reason: 'wrong_mfa_code' });
    expect(trail[1]!.details).toMatchObject({ method: 'code+totp', mfaEnrolmentRequired: false });
    expect(trail[1]!.ip).toBe('203.0.113.9');
    // The one-time code itself was spent on the first step.
    expect((await verify({ email, code })).statusCode).toBe(401);
  });

  it('signs a contractor without two-factor straight in, with the sign-in audit record and the fields older clients read', async () => {
    const { userId, email, code } = await contractorWithCode();
    const res = await verify({ email, code });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      token: expect.any(String),
      expiresAt: expect.any(String),
      user: { id: userId },
      mfaRequired: false,
      mfaEnrolmentRequired: false,
    });
    expect(res.headers['set-cookie']).toContain('HttpOnly');
    const trail = await auditOf(userId);
    expect(trail.map((a) => a.action)).toEqual(['auth.sign_in']);
    expect(trail[0]!.details).toMatchObject({ method: 'code' });
  });

  it('gives an admin without two-factor who gets in by code only an enrolment session', async () => {
    // Codes are only sent to contractors; this checks the sign-in step does not rely on that.
    const admin = await createUser(h.db.db, {
      email: 'code.admin@test.local',
      name: 'Code Admin',
      role: 'admin',
      password: 'velvet harbour quietly 91',
    });
    await h.db.pool.query(
      `insert into login_codes (contact_hash, ip_hash, user_id, code_hash, channel, expires_at, created_at) values ($1, $2, $3, $4, 'email', $5, $6)`,
      [
        hashToken('email:code.admin@test.local'),
        hashToken('ip:203.0.113.9'),
        admin.id,
        await hashPassword('424242'),
        new Date(h.clock.now.getTime() + 600_000),
        h.clock.now,
      ],
    );
    const res = await verify({ email: 'code.admin@test.local', code: '424242' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ mfaRequired: false, mfaEnrolmentRequired: true, user: { role: 'admin' } });
    expect(await sessionsOf(admin.id)).toEqual([{ mfa_enrolment_only: true }]);
    const blocked = await h.app.inject({ url: '/api/users', headers: auth(res.json().token) });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('MFA_ENROLMENT_REQUIRED');
    expect((await h.app.inject({ method: 'POST', url: '/api/auth/totp/setup', headers: auth(res.json().token) })).statusCode).toBe(200);
    expect((await auditOf(admin.id)).map((a) => [a.action, a.details.method, a.details.mfaEnrolmentRequired])).toEqual([
      ['auth.sign_in', 'code', true],
    ]);
  });
});
