import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, DAY, makeContractor, makeJob, startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let admin: Record<string, string>;
beforeAll(async () => {
  // Every route gets many bad requests here; the enquiry form's rate limit has its own test.
  h = await startHarness({ env: { WEB_LEAD_RATE_LIMIT: '10000' } });
  admin = auth(await h.tokenFor('admin'));
});
afterAll(async () => {
  await h.close();
});

/** Row counts of every table a request could write to. */
async function snapshot() {
  const tables = [
    'contractors',
    'contractor_skills',
    'contractor_weekly_availability',
    'jobs',
    'job_task_requirements',
    'slot_claims',
    'bookings',
    'job_matching_history',
    'business_closures',
    'users',
  ];
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = (await h.db.pool.query(`select count(*)::int as n from ${t}`)).rows[0].n;
  return out;
}

function expectError(res: { statusCode: number; json: () => { error: { code: string; message: string } } }, status: number, code?: string) {
  expect(res.statusCode).toBe(status);
  const body = res.json();
  expect(body.error.message).toEqual(expect.any(String));
  expect(body.error).toHaveProperty('details');
  if (code) expect(body.error.code).toBe(code);
}

describe('bad input is a clear 4xx and writes nothing', () => {
  it('malformed JSON', async () => {
    const before = await snapshot();
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/jobs',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: '{"postcode": "SW11',
    });
    expectError(res, 400, 'MALFORMED_JSON');
    expect(await snapshot()).toEqual(before);
  });

  it('wrong types', async () => {
    const before = await snapshot();
    expectError(
      await h.app.inject({ method: 'POST', url: '/api/jobs', headers: admin, payload: { postcode: 11, requirements: 'taps' } }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await h.app.inject({ method: 'POST', url: '/api/contractors', headers: admin, payload: { name: 'A', radiusMiles: '10' } }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await h.app.inject({ method: 'POST', url: '/api/contractors', headers: admin, payload: { name: 'A', radiusMiles: 2.5 } }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(await h.app.inject({ method: 'GET', url: '/api/contractors/not-a-uuid', headers: admin }), 400, 'VALIDATION_FAILED');
    expect(await snapshot()).toEqual(before);
  });

  it('unknown postcode and unknown task id', async () => {
    const before = await snapshot();
    expectError(
      await h.app.inject({
        method: 'POST',
        url: '/api/jobs',
        headers: admin,
        payload: { postcode: 'QQ1 1QQ', requirements: [{ taskId: 'mount-tvs' }] },
      }),
      422,
      'UNKNOWN_POSTCODE',
    );
    expectError(
      await h.app.inject({
        method: 'POST',
        url: '/api/jobs',
        headers: admin,
        payload: { postcode: 'banana', requirements: [{ taskId: 'mount-tvs' }] },
      }),
      422,
      'INVALID_POSTCODE',
    );
    const task = await h.app.inject({
      method: 'POST',
      url: '/api/jobs',
      headers: admin,
      payload: { postcode: 'SW11 1AA', requirements: [{ taskId: 'mount-tvs' }, { taskId: 'fly-to-moon' }] },
    });
    expectError(task, 422, 'UNKNOWN_TASK');
    expect(task.json().error.details.unknown).toEqual(['fly-to-moon']);
    expect(await snapshot()).toEqual(before);
  });

  it('dates out of range', async () => {
    await makeContractor(h);
    const job = await makeJob(h);
    const before = await snapshot();
    expectError(await h.app.inject(`/api/customer/jobs/${job.token}/availability?from=2027-06-01&to=2027-06-02`), 422, 'DATE_OUT_OF_RANGE');
    expectError(
      await h.app.inject({
        method: 'POST',
        url: `/api/customer/jobs/${job.token}/holds`,
        payload: { sessionId: 'session-x1', date: '2020-01-01', slot: 'am' },
      }),
      422,
      'SLOT_NOT_BOOKABLE',
    );
    expectError(
      await h.app.inject({
        method: 'POST',
        url: `/api/customer/jobs/${job.token}/holds`,
        payload: { sessionId: 'session-x1', date: '2026-02-30', slot: 'am' },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await h.app.inject({
        method: 'POST',
        url: `/api/customer/jobs/${job.token}/holds`,
        payload: { sessionId: 'session-x1', date: DAY, slot: 'evening' },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expect(await snapshot()).toEqual(before);
  });

  it('never answers 500 to junk on any route', async () => {
    const tokens = { admin: admin.authorization!, contractor: `Bearer ${await h.tokenFor('contractor', await makeContractor(h))}` };
    const junk: unknown[] = [
      {},
      { a: [1, { b: null }] },
      [],
      'x',
      { name: 12, postcode: [], sessionId: {}, date: 5, slot: true, to: 'nope', rating: 9.5 },
    ];
    for (const route of h.app.accessTable.filter(
      (r) => r.url.startsWith('/api') && !r.url.startsWith('/api/auth/logout') && !r.url.endsWith('/stream'),
    )) {
      const url = route.url
        .replace(':id', '00000000-0000-4000-8000-000000000000')
        .replace(':date', 'yesterday')
        .replace(':token', 'y'.repeat(43))
        .replace(':sessionId', 'zz');
      for (const body of junk) {
        for (const authorization of [tokens.admin, tokens.contractor]) {
          const res = await h.app.inject({ method: route.method as 'POST', url, headers: { authorization }, payload: body as object });
          expect(res.statusCode, `${route.method} ${route.url} ${JSON.stringify(body)}`).toBeLessThan(500);
        }
      }
    }
  });
});

describe('URLs refused before routing', () => {
  it('a malformed %-escape or an over-long path segment is the standard 400, not echoing the URL', async () => {
    for (const [url, message] of [
      ['/api/q/%ZZ', 'The URL is not valid'],
      [`/api/q/${'A'.repeat(5000)}`, 'A part of the URL is too long'],
      [`/api/customer/jobs/${'A'.repeat(500)}/availability`, 'A part of the URL is too long'],
    ] as const) {
      const res = await h.app.inject(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json(), url).toEqual({ error: { code: 'BAD_REQUEST', message, details: null } });
    }
  });
});

describe('NUL bytes and lone surrogates', () => {
  const NUL = 'Jo\u0000Bloggs';
  // Raw JSON text: JSON.stringify would keep the escape, which is what a client sends.
  const LONE = '{"name":"Jo \\ud800 Bloggs","description":"x","postcode":"SW11 1AA","email":"a@b.c"}';
  const TRAIL = '{"sessionId":"s-\\udc00","date":"2026-11-24","slot":"am"}';

  it('are a 400 VALIDATION_FAILED on every route, in the body, query string or path, and change nothing', async () => {
    const contractorId = await makeContractor(h);
    const tokens: Record<string, string> = {
      admin: admin.authorization!,
      contractor: `Bearer ${await h.tokenFor('contractor', contractorId)}`,
    };
    const before = await snapshot();
    let checked = 0;
    for (const route of h.app.accessTable.filter((r) => r.url.startsWith('/api') && !r.url.endsWith('/stream'))) {
      const roles = Array.isArray(route.access) ? route.access : [];
      const authorization = roles.length ? tokens[roles.includes('admin') ? 'admin' : 'contractor'] : undefined;
      if (roles.length && !authorization) continue; // estimator-only routes: admin is listed on all of them
      const headers = authorization ? { authorization } : {};
      const url = route.url
        .replace(':id', '00000000-0000-4000-8000-000000000000')
        .replace(':date', DAY)
        .replace(':token', 'y'.repeat(43))
        .replace(':sessionId', 'zz');
      const attempts: { url: string; payload?: string; why: string }[] = [
        { url: `${url}${url.includes('?') ? '&' : '?'}q=a%00b`, why: 'NUL in the query string' },
      ];
      if (route.url.includes(':'))
        attempts.push({ url: url.replace(/[^/]+$/, (last) => `${last.slice(0, 4)}%00${last.slice(4)}`), why: 'NUL in the path' });
      if (route.method !== 'GET' && route.method !== 'DELETE') {
        attempts.push({
          url,
          payload: JSON.stringify({ name: NUL, description: NUL, sessionId: NUL, reason: NUL, postcode: 'SW11 1AA' }),
          why: 'NUL in the body',
        });
        attempts.push({ url, payload: LONE, why: 'a lone high surrogate in the body' });
        attempts.push({ url, payload: TRAIL, why: 'a lone low surrogate in the body' });
      }
      for (const a of attempts) {
        const res = await h.app.inject({
          method: route.method as 'POST',
          url: a.url,
          headers: { ...headers, 'content-type': 'application/json' },
          ...(a.payload ? { payload: a.payload } : {}),
        });
        const label = `${route.method} ${route.url}: ${a.why}`;
        if (route.url === '/api/webhooks/stripe' && a.payload) {
          // A raw body, never parsed: refused by the signature check (or as not configured).
          expect(res.statusCode, label).toBeGreaterThanOrEqual(400);
          expect(res.statusCode, label).toBeLessThan(500);
          continue;
        }
        expect(res.statusCode, `${label} -> ${res.body}`).toBe(400);
        expect(res.json().error.code, label).toBe('VALIDATION_FAILED');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(200);
    expect(await snapshot()).toEqual(before);
  });

  it('in multipart text fields too', async () => {
    const lead = await h.app.inject({
      method: 'POST',
      url: '/api/leads',
      headers: admin,
      payload: { source: 'call', customerName: 'Jo', phone: '07700900111', postcode: 'SW11 2BB', description: 'Please call me back' },
    });
    const boundary = 'x-boundary';
    const body = `--${boundary}\r\ncontent-disposition: form-data; name="transcript"\r\n\r\nhello\u0000world\r\n--${boundary}--\r\n`;
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/leads/${lead.json().lead.id}/video`,
      headers: { ...admin, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
    expectError(res, 400, 'VALIDATION_FAILED');
  });
});

describe('service endpoints', () => {
  it('reports health (alive) and readiness (database, migrations; no queue in this process)', async () => {
    const res = await h.app.inject('/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    const ready = await h.app.inject('/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok', queue: 'not run here' } });
  });

  it('serves an OpenAPI 3 document generated from the route schemas, with roles per operation', async () => {
    const doc = (await h.app.inject('/openapi.json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/tasks', '/api/customer/jobs/{token}/holds', '/api/bookings', '/api/matching/rank']),
    );
    expect(doc.paths['/api/bookings'].post.description).toContain('Roles: admin, va.');
    expect(doc.paths['/api/bookings'].post.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['jobId', 'contractorId', 'date', 'slot']),
    );
    expect(doc.paths['/api/tasks'].get.description).toContain('Public');
  });

  it('serves interactive docs at /docs', async () => {
    const res = await h.app.inject('/docs/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('swagger');
  });

  it('answers unknown routes with the standard error shape', async () => {
    expectError(await h.app.inject('/api/nope'), 404, 'NOT_FOUND');
  });
});
