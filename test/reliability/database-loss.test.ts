import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess, stopAppProcess, type AppProcess } from '../../scripts/app-process.js';
import { checkInvariants, missingBookings, NO_VIOLATIONS } from './invariants.js';
import { alive, blockCheckout, bookOne, checkout, holdSomething, staffToken } from './traffic.js';

/** The product in its own process on its own embedded PostgreSQL, losing its database under load. */
let app: AppProcess;
let staff: string;
let pid: number;
const booked: string[] = [];

beforeAll(async () => {
  app = await startAppProcess({ via: 'node', env: { DEMO_CONTRACTORS: '40' } });
  await app.waitReady();
  staff = await staffToken(app);
  pid = await app.appPid();
  for (let i = 0; i < 3; i++) {
    const id = await bookOne(app, staff);
    if (id) booked.push(id);
  }
  expect(booked.length).toBeGreaterThan(0);
}, 240_000);
afterAll(async () => {
  await stopAppProcess(app);
}, 60_000);

describe('a lost database connection', () => {
  it('a backend terminated mid-checkout: that request is a 503, the process lives on, the next checkout books', async () => {
    const held = (await holdSomething(app, staff))!;
    const blocker = await blockCheckout(await app.databaseUrl(), held);
    const pending = checkout(app, held);
    await blocker.terminate(await blocker.waiter());
    const res = await pending;
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBeTruthy();
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('DB_UNAVAILABLE');
    await blocker.release();

    expect(alive(pid)).toBe(true);
    expect((await fetch(`${app.url}/health`)).status).toBe(200);
    const retried = await checkout(app, held);
    expect(retried.status).toBe(201);
    booked.push(((await retried.json()) as { booking: { id: string } }).booking.id);
    expect(await checkInvariants(await app.databaseUrl())).toEqual(NO_VIOLATIONS);
    expect(await missingBookings(await app.databaseUrl(), booked)).toEqual([]);
  }, 120_000);

  it('the database stopped under the running server: the request in flight is a 503, /ready says so, and service resumes by itself', async () => {
    const held = (await holdSomething(app, staff))!;
    const blocker = await blockCheckout(await app.databaseUrl(), held);
    const pending = checkout(app, held);
    await blocker.waiter();
    const postmaster = await app.postmasterPid();
    process.kill(postmaster, 'SIGINT'); // a fast shutdown: every backend is terminated
    const res = await pending;
    expect(res.status).toBe(503);
    await blocker.release();

    // Down, then back: the product restarts its embedded PostgreSQL and reconnects.
    const readiness: number[] = [];
    for (const end = Date.now() + 90_000; Date.now() < end; await sleep(100)) {
      const r = await fetch(`${app.url}/ready`);
      readiness.push(r.status);
      if (r.status === 200 && readiness.includes(503)) break;
    }
    expect(readiness).toContain(503);
    expect(readiness.at(-1)).toBe(200);
    expect(alive(pid)).toBe(true);
    expect(await app.postmasterPid()).not.toBe(postmaster);

    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const id = await bookOne(app, staff);
      if (id) booked.push(id);
      statuses.push(id ? 201 : 0);
    }
    expect(statuses).toContain(201);
    expect(await checkInvariants(await app.databaseUrl())).toEqual(NO_VIOLATIONS);
    expect(await missingBookings(await app.databaseUrl(), booked)).toEqual([]);
  }, 180_000);

  it('the postmaster killed outright (SIGKILL): the process survives and service resumes', async () => {
    const before = await app.postmasterPid();
    const traffic: number[] = [];
    let stop = false;
    const load = (async () => {
      while (!stop)
        traffic.push(
          (await fetch(`${app.url}/api/bookings?limit=5`, { headers: { authorization: `Bearer ${staff}` } }).catch(() => null))?.status ??
            0,
        );
    })();
    await sleep(300);
    process.kill(before, 'SIGKILL');
    for (const end = Date.now() + 90_000; Date.now() < end; await sleep(200)) {
      if ((await fetch(`${app.url}/ready`)).status === 200 && (await app.postmasterPid().catch(() => before)) !== before) break;
    }
    stop = true;
    await load;
    expect(alive(pid)).toBe(true);
    expect(traffic.filter((s) => s >= 500 && s !== 503)).toEqual([]);
    const id = await bookOne(app, staff);
    expect(id).toBeTruthy();
    booked.push(id!);
    expect(await checkInvariants(await app.databaseUrl())).toEqual(NO_VIOLATIONS);
    expect(await missingBookings(await app.databaseUrl(), booked)).toEqual([]);
  }, 180_000);
});
