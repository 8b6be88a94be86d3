import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { type Config, loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/http/app.js';
import type { App } from '../../src/http/context.js';
import { eq } from 'drizzle-orm';
import { generate, generateSecret } from 'otplib';
import { createUser } from '../../src/modules/auth/create-user.js';
import { users } from '../../src/modules/auth/schema.js';
import { sealTotpSecret } from '../../src/modules/auth/totp.js';
import type { Role } from '../../src/modules/auth/principal.js';
import { createContractor, type NewContractor } from '../../src/modules/contractors/save-contractor.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import path from 'node:path';

/** A Monday morning in winter (GMT), well before the same-day cut-off. */
export const DEFAULT_NOW = new Date('2026-11-23T07:00:00Z');

export type Clock = { now: Date; advance: (seconds: number) => void };

export type Harness = {
  app: App;
  db: TestDatabase;
  config: Config;
  clock: Clock;
  /** Base URL of a real listening server (for tests that need real sockets). */
  url: string;
  tokenFor: (role: Role, contractorId?: string) => Promise<string>;
  /** Wipes everything but the taxonomy (and the cached sign-ins with it) and sets the clock back to DEFAULT_NOW. */
  reset: () => Promise<void>;
  close: () => Promise<void>;
};

let counter = 0;
const unique = () => `${process.pid}-${Date.now().toString(36)}-${counter++}`;

/** Boots the real app on its own fresh database with an injectable clock. */
export async function startHarness(opts: { env?: Record<string, string>; now?: Date; poolMax?: number } = {}): Promise<Harness> {
  const db = await createTestDatabase(opts.poolMax ?? 20);
  const uploadDir = await mkdtemp(path.join(tmpdir(), 'handy-uploads-'));
  // Every test client is 127.0.0.1 and reuses a few contacts: the per-IP and per-contact limits
  // are lifted here, and each limit's own test sets it low again. Tests change contractors between
  // requests and expect the next hold to see it at once (no ranking reuse).
  const lifted = {
    WEB_LEAD_PER_CONTACT_PER_DAY: '10000',
    HOLD_RATE_LIMIT: '100000',
    UPLOAD_RATE_LIMIT: '100000',
    UPLOADS_PER_IP_PER_HOUR: '100000',
    HOLD_RANKING_REUSE_MS: '0',
  };
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    UPLOAD_DIR: uploadDir,
    PUBLIC_BASE_URL: 'https://handy.test',
    ...lifted,
    ...opts.env,
  });
  const clock: Clock = {
    now: opts.now ?? DEFAULT_NOW,
    advance(seconds) {
      this.now = new Date(this.now.getTime() + seconds * 1000);
    },
  };
  const app = await buildApp({ db: db.db, databaseUrl: db.url, config, now: () => clock.now });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;

  const tokens = new Map<string, string>();
  async function tokenFor(role: Role, contractorId?: string) {
    const key = `${role}:${contractorId ?? ''}`;
    if (tokens.has(key)) return tokens.get(key)!;
    const email = `${role}-${unique()}@test.local`;
    const password = 'correct horse battery';
    const user = await createUser(db.db, { email, name: `Test ${role}`, role, password, contractorId: contractorId ?? null });
    // Admins must sign in with two-factor: enrol one, then answer the code step.
    const secret = role === 'admin' ? await enrolTotp(db, user.id) : null;
    let res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
    if (secret)
      res = await app.inject({
        method: 'POST',
        url: '/api/auth/login/mfa',
        payload: { mfaToken: res.json().mfaToken, code: await totpCode(secret, clock.now) },
      });
    const token = res.json().token as string;
    tokens.set(key, token);
    return token;
  }

  return {
    app,
    db,
    config,
    clock,
    url: `http://127.0.0.1:${port}`,
    tokenFor,
    reset: async () => {
      await db.pool.query('truncate contractors, users, jobs, business_closures, outbox_messages, domain_events cascade');
      tokens.clear();
      clock.now = opts.now ?? DEFAULT_NOW;
    },
    close: async () => {
      await app.close();
      await db.drop();
      await rm(uploadDir, { recursive: true, force: true });
    },
  };
}

/** Turns two-factor on for a user directly; answers the secret for totpCode. */
export async function enrolTotp(db: TestDatabase, userId: string): Promise<string> {
  const secret = generateSecret();
  await db.db
    .update(users)
    .set({ totpSecretEnc: sealTotpSecret(secret), totpEnabledAt: new Date() })
    .where(eq(users.id, userId));
  return secret;
}

/** The authenticator app's code for a secret at a given time. */
export const totpCode = (secret: string, at: Date) => generate({ secret, epoch: Math.floor(at.getTime() / 1000) });

export const auth = (token: string) => ({ authorization: `Bearer ${token}` });

/** Every weekday 08:00-17:00. */
export const ALL_WEEK = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '17:00' }));

/** A contractor whose profile is complete enough to be matched, in Battersea (SW11) by default. */
export async function makeContractor(h: Harness, over: Partial<NewContractor> = {}): Promise<string> {
  return createContractor(h.db.db, {
    name: `Contractor ${unique()}`,
    phone: '07700900123',
    email: `c-${unique()}@test.local`,
    bio: 'Reliable and tidy.',
    postcode: 'SW11 1AA',
    radiusMiles: 10,
    skills: [{ taskId: 'general-odd-jobs', confidence: 'expert', yearsExperience: 5 }],
    weeklySchedule: ALL_WEEK,
    ...over,
  });
}

export type JobHandle = { jobId: string; token: string };

/** A job spec created through the staff API, with its customer token. */
export async function makeJob(
  h: Harness,
  over: { postcode?: string; requirements?: { taskId: string; requiredConfidence?: 'expert' | 'capable'; isPrimary?: boolean }[] } = {},
): Promise<JobHandle> {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/jobs',
    headers: auth(await h.tokenFor('va')),
    payload: { postcode: over.postcode ?? 'SW11 2BB', requirements: over.requirements ?? [{ taskId: 'general-odd-jobs' }] },
  });
  if (res.statusCode !== 201) throw new Error(`makeJob failed: ${res.body}`);
  const body = res.json();
  return { jobId: body.job.jobId, token: body.customerToken };
}

/** Tuesday after DEFAULT_NOW: inside the booking window. */
export const DAY = '2026-11-24';

export const enquiry = (over: Record<string, unknown> = {}) => ({
  customerName: 'Jo Bloggs',
  email: 'jo@example.com',
  phone: '07700900111',
  postcode: 'SW11 2BB',
  customerType: 'homeowner',
  description: 'My kitchen tap is leaking and I need a TV mounted on the wall',
  ...over,
});

/** A lead recorded by staff; with an unclear description it stays in `created` for staff to handle. */
export async function makeLead(
  h: Harness,
  over: Record<string, unknown> = {},
): Promise<{ id: string; state: string; quoteUrl: string | null }> {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/leads',
    headers: auth(await h.tokenFor('va')),
    payload: enquiry({ source: 'call', description: 'Please call me back about some work', ...over }),
  });
  if (res.statusCode !== 201) throw new Error(`makeLead failed: ${res.body}`);
  const b = res.json();
  return { id: b.lead.id, state: b.lead.state, quoteUrl: b.quote?.url ?? null };
}
