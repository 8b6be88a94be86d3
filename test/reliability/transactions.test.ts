import Fastify from 'fastify';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { transactionWithRetry } from '../../src/db/retry.js';
import { errorHandler } from '../../src/http/error-handler.js';
import { addDays } from '../../src/modules/availability/slot-time.js';
import { auth, DAY, makeContractor, makeJob, startHarness, type Harness } from '../helpers/harness.js';
import { checkInvariants, NO_VIOLATIONS } from './invariants.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ poolMax: 50 });
  await h.db.pool.query('create table lock_probe (id int primary key, n int not null default 0)');
  await h.db.pool.query('insert into lock_probe (id) values (1), (2)');
});
afterAll(async () => {
  await h.close();
});

const deadlocks = async () =>
  (await h.db.pool.query(`select deadlocks::int as n from pg_stat_database where datname = current_database()`)).rows[0].n as number;

/**
 * Two transactions lock rows 1 and 2 in opposite orders, each waiting for the other to hold its
 * first row: PostgreSQL must abort one of them with a deadlock (40P01).
 */
async function crossedPair(run: (db: Db, work: (tx: Parameters<Parameters<Db['transaction']>[0]>[0]) => Promise<void>) => Promise<void>) {
  let arrived = 0;
  let release!: () => void;
  const bothHoldFirst = new Promise<void>((r) => (release = r));
  const side = (first: number, second: number) =>
    run(h.db.db, async (tx) => {
      await tx.execute(sql`update lock_probe set n = n + 1 where id = ${first}`);
      if (++arrived === 2) release();
      await Promise.race([bothHoldFirst, new Promise((r) => setTimeout(r, 2000))]);
      await tx.execute(sql`update lock_probe set n = n + 1 where id = ${second}`);
    });
  return Promise.allSettled([side(1, 2), side(2, 1)]);
}

describe('transactionWithRetry', () => {
  it('control: two crossed transactions without it, one fails with a deadlock', async () => {
    const results = await crossedPair((db, work) => db.transaction(work));
    const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(failed).toHaveLength(1);
    expect(JSON.stringify(failed[0]!.reason.cause?.code ?? failed[0]!.reason.code)).toContain('40P01');
  });

  it('runs the aborted one again: both commit, each exactly once', async () => {
    const before = (await h.db.pool.query('select sum(n)::int as n from lock_probe')).rows[0].n;
    const results = await crossedPair((db, work) => transactionWithRetry(db, work));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect((await h.db.pool.query('select sum(n)::int as n from lock_probe')).rows[0].n).toBe(before + 4);
  });

  it('gives up after its bounded attempts and rethrows the deadlock, which HTTP answers with 503 and Retry-After', async () => {
    const results = await crossedPair((db, work) => transactionWithRetry(db, async (tx) => work(tx), { attempts: 1 }));
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    const app = Fastify();
    app.setErrorHandler(errorHandler);
    app.get('/x', async () => {
      throw failed.reason;
    });
    const res = await app.inject('/x');
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json().error.code).toBe('BUSY');
  });
});

describe('database errors are unwrapped before they are mapped', () => {
  it('a real constraint violation, as drizzle wraps it, is a 409 or 422 naming the constraint', async () => {
    const contractorId = await makeContractor(h);
    const app = Fastify();
    app.setErrorHandler(errorHandler);
    app.get('/unique', async () => h.db.db.execute(sql`insert into lock_probe (id) values (1)`));
    app.get('/foreign', async () =>
      h.db.db.execute(
        sql`insert into slot_claims (contractor_id, date, slot, kind, job_id) values (${contractorId}, ${DAY}, 'am', 'booking', gen_random_uuid())`,
      ),
    );
    app.get('/check', async () => h.db.db.execute(sql`update contractors set radius_miles = 999 where id = ${contractorId}`));
    const unique = await app.inject('/unique');
    expect(unique.statusCode).toBe(409);
    expect(unique.json().error).toMatchObject({ code: 'CONFLICT', details: { constraint: 'lock_probe_pkey' } });
    const foreign = await app.inject('/foreign');
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().error.code).toBe('UNKNOWN_REFERENCE');
    const check = await app.inject('/check');
    expect(check.statusCode).toBe(422);
    expect(check.json().error).toMatchObject({ code: 'CONSTRAINT_VIOLATED', details: { constraint: 'contractors_radius_chk' } });
  });
});

describe('booking paths under contention in one area', () => {
  it('32 customers holding and checking out while staff book the same contractors: no deadlock, no 5xx, invariants hold', async () => {
    // Many candidates per slot (every checkout writes one history row per candidate) and little
    // capacity (checkouts re-hold elsewhere): the shape that deadlocked before.
    const contractors = await Promise.all(Array.from({ length: 12 }, () => makeContractor(h, { maxConcurrentJobs: 2 })));
    const va = auth(await h.tokenFor('va'));
    const before = await deadlocks();
    const statuses: number[] = [];
    const post = async (path: string, body: object, headers: Record<string, string> = {}) => {
      const res = await fetch(`${h.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      statuses.push(res.status);
      return res;
    };
    await Promise.all(
      Array.from({ length: 32 }, async (_, i) => {
        for (let round = 0; round < 3; round++) {
          const job = await makeJob(h);
          const session = { sessionId: `crowd-${i}-${round}`, date: addDays(DAY, (i + round) % 3), slot: i % 2 ? 'am' : 'pm' };
          if (i % 8 === 0) {
            await post(
              '/api/bookings',
              { jobId: job.jobId, contractorId: contractors[(i + round) % contractors.length], date: session.date, slot: session.slot },
              va,
            );
            continue;
          }
          const hold = await post(`/api/customer/jobs/${job.token}/holds`, session);
          if (hold.status < 300) await post(`/api/customer/jobs/${job.token}/checkout`, session);
        }
      }),
    );
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(20);
    expect(await deadlocks()).toBe(before);
    expect(await checkInvariants(h.db.url)).toEqual(NO_VIOLATIONS);
  });
});
