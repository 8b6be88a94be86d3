import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { startAppProcess, stopAppProcess, type AppProcess } from '../../scripts/app-process.js';
import { checkInvariants, missingBookings, NO_VIOLATIONS } from './invariants.js';
import { alive, blockCheckout, bookOne, checkout, holdSomething, staffToken } from './traffic.js';

const started: AppProcess[] = [];
afterAll(async () => {
  // Restarts share their predecessor's data directory: stop every process, then remove each directory once.
  for (const a of [...started].reverse()) await stopAppProcess(a, { keepData: true }).catch(() => {});
  for (const dir of new Set(started.map((a) => a.dataDir))) await rm(dir, { recursive: true, force: true });
}, 120_000);

async function start(o: Parameters<typeof startAppProcess>[0]) {
  const app = await startAppProcess(o);
  started.push(app);
  await app.waitReady();
  return app;
}

/** Clients booking until told to stop; the ids of every 2xx they saw. */
function customers(app: AppProcess, staff: string, count: number) {
  const booked: string[] = [];
  let stop = false;
  const done = Promise.all(
    Array.from({ length: count }, async () => {
      while (!stop) {
        const id = await bookOne(app, staff).catch(() => null);
        if (id) booked.push(id);
        else await sleep(50);
      }
    }),
  );
  return {
    booked,
    stop: async () => {
      stop = true;
      await done;
    },
  };
}

describe('crashes and restarts, as an operator runs it (npm start)', () => {
  it('SIGKILL of the server under load, then `npm start` again: it comes up with no manual step and every booking the clients saw is there', async () => {
    const first = await start({ via: 'npm', env: { DEMO_CONTRACTORS: '40' } });
    const staff = await staffToken(first);
    const load = customers(first, staff, 6);
    for (let i = 0; i < 100 && load.booked.length < 3; i++) await sleep(200);
    const server = await first.appPid();
    const postmaster = await first.postmasterPid();
    process.kill(server, 'SIGKILL');
    await load.stop();
    await first.exited;
    expect(alive(postmaster)).toBe(true); // orphaned, still holding the data directory

    const second = await start({ via: 'npm', dataDir: first.dataDir, port: first.port, pgPort: first.pgPort });
    expect(second.output.join('\n')).toContain('orphaned');
    expect(alive(postmaster)).toBe(false);
    const url = await second.databaseUrl();
    expect(await checkInvariants(url)).toEqual(NO_VIOLATIONS);
    expect(load.booked.length).toBeGreaterThan(0);
    expect(await missingBookings(url, load.booked)).toEqual([]);
    expect(await bookOne(second, await staffToken(second))).toBeTruthy();
  }, 420_000);

  it('SIGTERM with requests in flight: every one is answered, the database stops last, exit code 0', async () => {
    const app = await start({ via: 'node', env: { DEMO_CONTRACTORS: '40' } });
    const staff = await staffToken(app);
    // Four checkouts held inside the database (each waits for its session lock) when SIGTERM comes.
    const held = [];
    for (let i = 0; i < 4; i++) held.push((await holdSomething(app, staff))!);
    const blockers = await Promise.all(held.map(async (h) => blockCheckout(await app.databaseUrl(), h)));
    const inFlight = held.map((h) => checkout(app, h));
    await blockers[0]!.waiter(held.length);
    const postmaster = await app.postmasterPid();
    process.kill(await app.appPid(), 'SIGTERM');
    await sleep(1000);
    // Still shutting down: the slow checkout holds it open, and the database is still up for it.
    expect(alive(postmaster)).toBe(true);
    expect(
      await fetch(`${app.url}/health`)
        .then((r) => r.status)
        .catch(() => 'refused'),
    ).not.toBe(200);
    for (const b of blockers) await b.release();
    const answered = await Promise.all(inFlight);
    expect(answered.map((r) => r.status)).toEqual(held.map(() => 201));
    const bookings = await Promise.all(answered.map(async (r) => ((await r.json()) as { booking: { id: string } }).booking.id));
    expect(await app.exited).toBe(0);
    expect(alive(postmaster)).toBe(false);

    const again = await start({ via: 'node', dataDir: app.dataDir, port: app.port, pgPort: app.pgPort });
    expect(await missingBookings(await again.databaseUrl(), bookings)).toEqual([]);
    expect(await checkInvariants(await again.databaseUrl())).toEqual(NO_VIOLATIONS);
  }, 300_000);
});
