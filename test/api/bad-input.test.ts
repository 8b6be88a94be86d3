import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, DAY, makeContractor, makeJob, startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let admin: Record<string, string>;
beforeAll(async () => {
  h = await startHarness();
  admin = auth(await h.tokenFor('admin'));
});
afterAll(async () => { await h.close(); });

/** Row counts of every table a request could write to. */
async function snapshot() {
  const tables = ['contractors', 'contractor_skills', 'contractor_weekly_availability', 'jobs', 'job_task_requirements', 'slot_claims', 'bookings', 'job_matching_history', 'business_closures', 'users'];
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
    const res = await h.app.inject({ method: 'POST', url: '/api/jobs', headers: { ...admin, 'content-type': 'application/json' }, payload: '{"postcode": "SW11' });
    expectError(res, 400, 'MALFORMED_JSON');
    expect(await snapshot()).toEqual(before);
  });

  it('wrong types', async () => {
    const before = await snapshot();
    expectError(await h.app.inject({ method: 'POST', url: '/api/jobs', headers: admin, payload: { postcode: 11, requirements: 'taps' } }), 400, 'VALIDATION_FAILED');
    expectError(await h.app.inject({ method: 'POST', url: '/api/contractors', headers: admin, payload: { name: 'A', radiusMiles: '10' } }), 400, 'VALIDATION_FAILED');
    expectError(await h.app.inject({ method: 'POST', url: '/api/contractors', headers: admin, payload: { name: 'A', radiusMiles: 2.5 } }), 400, 'VALIDATION_FAILED');
    expectError(await h.app.inject({ method: 'GET', url: '/api/contractors/not-a-uuid', headers: admin }), 400, 'VALIDATION_FAILED');
    expect(await snapshot()).toEqual(before);
  });

  it('unknown postcode and unknown task id', async () => {
    const before = await snapshot();
    expectError(await h.app.inject({ method: 'POST', url: '/api/jobs', headers: admin, payload: { postcode: 'QQ1 1QQ', requirements: [{ taskId: 'mount-tvs' }] } }), 422, 'UNKNOWN_POSTCODE');
    expectError(await h.app.inject({ method: 'POST', url: '/api/jobs', headers: admin, payload: { postcode: 'banana', requirements: [{ taskId: 'mount-tvs' }] } }), 422, 'INVALID_POSTCODE');
    const task = await h.app.inject({ method: 'POST', url: '/api/jobs', headers: admin, payload: { postcode: 'SW11 1AA', requirements: [{ taskId: 'mount-tvs' }, { taskId: 'fly-to-moon' }] } });
    expectError(task, 422, 'UNKNOWN_TASK');
    expect(task.json().error.details.unknown).toEqual(['fly-to-moon']);
    expect(await snapshot()).toEqual(before);
  });

  it('dates out of range', async () => {
    await makeContractor(h);
    const job = await makeJob(h);
    const before = await snapshot();
    expectError(await h.app.inject(`/api/customer/jobs/${job.token}/availability?from=2027-06-01&to=2027-06-02`), 422, 'DATE_OUT_OF_RANGE');
    expectError(await h.app.inject({ method: 'POST', url: `/api/customer/jobs/${job.token}/holds`, payload: { sessionId: 'session-x1', date: '2020-01-01', slot: 'am' } }), 422, 'SLOT_NOT_BOOKABLE');
    expectError(await h.app.inject({ method: 'POST', url: `/api/customer/jobs/${job.token}/holds`, payload: { sessionId: 'session-x1', date: '2026-02-30', slot: 'am' } }), 400, 'VALIDATION_FAILED');
    expectError(await h.app.inject({ method: 'POST', url: `/api/customer/jobs/${job.token}/holds`, payload: { sessionId: 'session-x1', date: DAY, slot: 'evening' } }), 400, 'VALIDATION_FAILED');
    expect(await snapshot()).toEqual(before);
  });

  it('never answers 500 to junk on any route', async () => {
    const tokens = { admin: admin.authorization!, contractor: `Bearer ${await h.tokenFor('contractor', await makeContractor(h))}` };
    const junk: unknown[] = [{}, { a: [1, { b: null }] }, [], 'x', { name: 12, postcode: [], sessionId: {}, date: 5, slot: true, to: 'nope', rating: 9.5 }];
    for (const route of h.app.accessTable.filter((r) => r.url.startsWith('/api') && r.url !== '/api/auth/logout' && !r.url.endsWith('/stream'))) {
      const url = route.url.replace(':id', '00000000-0000-4000-8000-000000000000').replace(':date', 'yesterday').replace(':token', 'y'.repeat(43)).replace(':sessionId', 'zz');
      for (const body of junk) {
        for (const authorization of [tokens.admin, tokens.contractor]) {
          const res = await h.app.inject({ method: route.method as 'POST', url, headers: { authorization }, payload: body as object });
          expect(res.statusCode, `${route.method} ${route.url} ${JSON.stringify(body)}`).toBeLessThan(500);
        }
      }
    }
  });
});

describe('service endpoints', () => {
  it('reports health once the database answers', async () => {
    const res = await h.app.inject('/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('serves an OpenAPI 3 document generated from the route schemas, with roles per operation', async () => {
    const doc = (await h.app.inject('/openapi.json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/tasks', '/api/customer/jobs/{token}/holds', '/api/bookings', '/api/matching/rank']));
    expect(doc.paths['/api/bookings'].post.description).toContain('Roles: admin, va.');
    expect(doc.paths['/api/bookings'].post.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['jobId', 'contractorId', 'date', 'slot']));
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
