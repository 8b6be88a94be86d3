import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPlaceTimers } from '../../src/modules/crew/crew-actions.js';
import { PLACE_MOVES, type PlaceAction, type PlaceStatus } from '../../src/modules/crew/crew-states.js';
import { rng } from '../../src/seed/rng.js';
import { crewContractor, crewViolations, makeCrewJob, PNG } from '../helpers/crew.js';
import { auth, startHarness, type Harness } from '../helpers/harness.js';

/**
 * Races over real sockets: every request is its own HTTP call on its own pooled database
 * connection, so PostgreSQL (not the event loop) decides who gets a place.
 */
const RACERS = 30;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ poolMax: RACERS + 15 });
});
afterAll(async () => {
  await h.close();
});

const call = (method: string, path: string, token: string, body?: object, headers: Record<string, string> = {}) =>
  fetch(`${h.url}${path}`, {
    method,
    headers: { ...auth(token), ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });

describe(`${RACERS} contractors race for 3 places`, () => {
  it('exactly 3 get a place and 27 get 409 CREW_FULL, 5 jobs in a row; the counters equal the places', async () => {
    const racers = await Promise.all(Array.from({ length: RACERS }, () => crewContractor(h)));
    for (let round = 0; round < 5; round++) {
      const job = await makeCrewJob(h, { requiredWorkers: 3 });
      const res = await Promise.all(
        racers.map((c, i) =>
          call('POST', `/api/me/crew-jobs/${job.id}/reserve`, c.token, undefined, { 'idempotency-key': `race-${round}-${i}` }),
        ),
      );
      const statuses = res.map((r) => r.status);
      expect(
        statuses.filter((s) => s === 201),
        `round ${round}: ${statuses.join(',')}`,
      ).toHaveLength(3);
      expect(statuses.filter((s) => s === 409)).toHaveLength(RACERS - 3);
      const codes = await Promise.all(res.filter((r) => r.status === 409).map(async (r) => (await r.json()).error.code));
      expect(new Set(codes)).toEqual(new Set(['CREW_FULL']));
      const { rows } = await h.db.pool.query(
        `select j.reserved_count, j.confirmed_count, j.status, (select count(*)::int from crew_places p where p.crew_job_id = j.id) as places from crew_jobs j where id = $1`,
        [job.id],
      );
      expect(rows[0]).toEqual({ reserved_count: 3, confirmed_count: 0, status: 'full', places: 3 });
    }
    expect(await crewViolations(h.db.pool)).toEqual([]);
  });

  it('a naive read-check-then-increment with no guard over-fills under the same load (the test can fail)', async () => {
    await h.db.pool.query('create table naive_crew (id int primary key, required int not null, reserved int not null)');
    await h.db.pool.query('create table naive_places (job int, contractor int)');
    await h.db.pool.query('insert into naive_crew values (1, 3, 0)');
    const attempt = async (contractor: number) => {
      const client = await h.db.pool.connect();
      try {
        await client.query('begin');
        const { rows } = await client.query('select required, reserved from naive_crew where id = 1');
        await client.query('select pg_sleep(0.02)'); // the gap every check-then-write has, made visible
        if (rows[0].reserved < rows[0].required) {
          await client.query('update naive_crew set reserved = reserved + 1 where id = 1');
          await client.query('insert into naive_places values (1, $1)', [contractor]);
        }
        await client.query('commit');
      } finally {
        client.release();
      }
    };
    await Promise.all(Array.from({ length: RACERS }, (_, i) => attempt(i)));
    const { rows } = await h.db.pool.query(
      'select (select reserved from naive_crew) as reserved, (select count(*)::int from naive_places) as places',
    );
    expect(rows[0].places).toBeGreaterThan(3);
    expect(rows[0].reserved).toBeGreaterThan(3);
  });
});

type ModelPlace = { id: string; jobId: string; contractor: number; status: PlaceStatus; expiresAt: number };

describe('model-based: random interleavings of reserve, receipt, approve, reject, cancel and expiry', () => {
  it('keeps counters equal to the places and within the cap after every one of 300 steps', { timeout: 180_000 }, async () => {
    await h.db.pool.query('truncate crew_jobs cascade');
    const r = rng(15);
    const jobs = await Promise.all([2, 3, 4].map((n) => makeCrewJob(h, { requiredWorkers: n })));
    const people = await Promise.all(Array.from({ length: 12 }, () => crewContractor(h)));
    const staff = await h.tokenFor('admin');
    const model = new Map<string, ModelPlace>();
    const held = (jobId: string) =>
      [...model.values()].filter((p) => p.jobId === jobId && ['reserved', 'receipt_submitted', 'confirmed'].includes(p.status)).length;
    const required = new Map(jobs.map((j) => [j.id, j.requiredWorkers]));
    const timers = () =>
      runPlaceTimers({ db: h.db.db, config: h.config, now: () => h.clock.now, announcer: null, log: { error: () => {} } });

    const reserve = (c: number, jobId: string) => call('POST', `/api/me/crew-jobs/${jobId}/reserve`, people[c]!.token);
    const move = (action: Exclude<PlaceAction, 'expire'>, p: ModelPlace) => {
      if (action === 'approve') return call('POST', `/api/crew-places/${p.id}/approve`, staff);
      if (action === 'reject') return call('POST', `/api/crew-places/${p.id}/reject`, staff, { reason: 'model says no' });
      if (action === 'cancel') return call('POST', `/api/me/crew-places/${p.id}/cancel`, people[p.contractor]!.token);
      const form = new FormData();
      form.append('receipt', new Blob([PNG], { type: 'image/png' }), 'receipt.png');
      return fetch(`${h.url}/api/me/crew-places/${p.id}/receipt`, {
        method: 'POST',
        headers: auth(people[p.contractor]!.token),
        body: form,
      });
    };
    const randomOp = () =>
      r.weighted([
        ['reserve', 5],
        ['submit_receipt', 2],
        ['approve', 2],
        ['reject', 1],
        ['cancel', 1],
        ['expire', 1],
      ] as const);

    async function reconcile() {
      const { rows } = await h.db.pool.query(
        'select id, crew_job_id, contractor_id, status, expires_at from crew_places where crew_job_id = any($1)',
        [jobs.map((j) => j.id)],
      );
      for (const row of rows) {
        const contractor = people.findIndex((p) => p.id === row.contractor_id);
        model.set(row.id, { id: row.id, jobId: row.crew_job_id, contractor, status: row.status, expiresAt: row.expires_at.getTime() });
      }
    }
    async function check(step: number) {
      expect(await crewViolations(h.db.pool), `step ${step}`).toEqual([]);
      const { rows } = await h.db.pool.query('select id, reserved_count + confirmed_count as taken from crew_jobs where id = any($1)', [
        jobs.map((j) => j.id),
      ]);
      for (const row of rows) expect(row.taken, `step ${step} job ${row.id}`).toBe(held(row.id));
      for (const p of model.values()) everSeen.add(p.status);
    }

    const everSeen = new Set<PlaceStatus>();
    let concurrentSteps = 0;
    const seen = new Set<string>();
    for (let step = 0; step < 300; step++) {
      h.clock.advance(r.int(0, 3) * 60);
      if (step > 0 && step % 40 === 0) {
        // Confirmed places are final: fresh jobs keep every move possible to the end.
        const fresh = await makeCrewJob(h, { requiredWorkers: r.int(1, 4) });
        jobs.push(fresh);
        required.set(fresh.id, fresh.requiredWorkers);
      }
      if (r.chance(0.25)) {
        // A burst: several operations at once; the model is rebuilt from the database afterwards.
        concurrentSteps++;
        const ops = Array.from({ length: r.int(6, 14) }, async () => {
          const op = randomOp();
          seen.add(`burst:${op}`);
          if (op === 'expire') return (await timers(), 200);
          const places = [...model.values()];
          if (op === 'reserve' || places.length === 0) return (await reserve(r.int(0, people.length - 1), r.pick(jobs).id)).status;
          return (await move(op, r.pick(places))).status;
        });
        const statuses = await Promise.all(ops);
        for (const s of statuses) expect([200, 201, 404, 409], `burst at step ${step}`).toContain(s);
        await reconcile();
      } else {
        const op = randomOp();
        seen.add(op);
        if (op === 'expire') {
          const due = [...model.values()].filter((p) => p.status === 'reserved' && p.expiresAt <= h.clock.now.getTime());
          const result = await timers();
          expect(result.expired, `step ${step}`).toBe(due.length);
          for (const p of due) p.status = 'expired';
        } else if (op === 'reserve' || model.size === 0) {
          const c = r.int(0, people.length - 1);
          const jobId = r.pick(jobs).id;
          const res = await reserve(c, jobId);
          const mine = [...model.values()].some(
            (p) => p.jobId === jobId && p.contractor === c && ['reserved', 'receipt_submitted', 'confirmed'].includes(p.status),
          );
          const body = await res.json();
          if (mine) expect(body.error?.code, `step ${step}`).toBe('ALREADY_RESERVED');
          else if (held(jobId) >= required.get(jobId)!) expect(body.error?.code, `step ${step}`).toBe('CREW_FULL');
          else {
            expect(res.status, `step ${step}`).toBe(201);
            model.set(body.place.id, {
              id: body.place.id,
              jobId,
              contractor: c,
              status: 'reserved',
              expiresAt: Date.parse(body.place.expiresAt),
            });
          }
        } else {
          const p = r.pick([...model.values()]);
          const res = await move(op, p);
          const allowed = PLACE_MOVES[op].from.includes(p.status);
          expect(res.status, `step ${step}: ${op} a ${p.status} place`).toBe(allowed ? (op === 'submit_receipt' ? 201 : 200) : 409);
          if (allowed) p.status = PLACE_MOVES[op].to;
        }
      }
      await check(step);
    }
    expect(concurrentSteps).toBeGreaterThan(40);
    // Every kind of step ran, alone and in bursts.
    for (const op of ['reserve', 'submit_receipt', 'approve', 'reject', 'cancel', 'expire']) {
      expect(seen.has(op), op).toBe(true);
      expect(seen.has(`burst:${op}`), `burst:${op}`).toBe(true);
    }
    expect(everSeen).toEqual(new Set(['reserved', 'receipt_submitted', 'confirmed', 'rejected', 'cancelled', 'expired']));
  });
});
