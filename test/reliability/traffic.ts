import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppProcess } from '../../scripts/app-process.js';

/** A customer's journey against a running app process, over real HTTP. */
export async function staffToken(app: AppProcess): Promise<string> {
  const res = await fetch(`${app.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'va@handy.local', password: 'handy-demo-password' }),
  });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export type Held = { jobId: string; token: string; session: { sessionId: string; date: string; slot: string } };

const post = (url: string, body: object, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

let n = 0;

/** A new job in Battersea and a hold on a free slot in the next days; null when none could be held. */
export async function holdSomething(app: AppProcess, staff: string): Promise<Held | null> {
  const job = await post(
    `${app.url}/api/jobs`,
    { postcode: 'SW11 1AA', requirements: [{ taskId: 'general-odd-jobs', requiredConfidence: 'capable', isPrimary: true }] },
    { authorization: `Bearer ${staff}` },
  );
  if (job.status !== 201) return null;
  const { job: j, customerToken } = (await job.json()) as { job: { jobId: string }; customerToken: string };
  const avail = (await (await fetch(`${app.url}/api/customer/jobs/${customerToken}/availability`)).json()) as {
    days?: { date: string; slots: { slot: string; bookable: boolean; contractorCount: number }[] }[];
  };
  const open = (avail.days ?? []).flatMap((d) =>
    d.slots.filter((s) => s.bookable && s.contractorCount > 0).map((s) => ({ date: d.date, slot: s.slot })),
  );
  if (!open.length) return null;
  const session = { sessionId: `crash-${process.pid}-${n++}`, ...open[n % Math.min(open.length, 6)]! };
  const hold = await post(`${app.url}/api/customer/jobs/${customerToken}/holds`, session);
  return hold.status < 300 ? { jobId: j.jobId, token: customerToken, session } : null;
}

export const checkout = (app: AppProcess, held: Held) => post(`${app.url}/api/customer/jobs/${held.token}/checkout`, held.session);

/** Holds then checks out; the booking id when the answer was 2xx. */
export async function bookOne(app: AppProcess, staff: string): Promise<string | null> {
  const held = await holdSomething(app, staff);
  if (!held) return null;
  const res = await checkout(app, held);
  return res.status === 201 || res.status === 200 ? ((await res.json()) as { booking: { id: string } }).booking.id : null;
}

/**
 * Holds this hold's session lock (the first lock checkout takes) on a connection of our own, so
 * a checkout sent now waits inside the database until `release` or until its backend is gone.
 */
export async function blockCheckout(databaseUrl: string, held: Held) {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => {}); // the database may be stopped under it on purpose
  await client.connect();
  await client.query('begin');
  await client.query('select pg_advisory_xact_lock(hashtext($1))', [`${held.jobId}:${held.session.sessionId}`]);
  return {
    /** The backend pid of a checkout waiting for a session lock, once `count` of them wait. */
    waiter: async (count = 1) => {
      for (let i = 0; i < 200; i++, await sleep(50)) {
        // Inside a transaction pg_stat_activity is a snapshot taken once; take a fresh one each time.
        await client.query('select pg_stat_clear_snapshot()');
        const { rows } = await client.query(
          `select pid from pg_stat_activity where wait_event_type = 'Lock' and wait_event = 'advisory' and pid <> pg_backend_pid() and datname = current_database()`,
        );
        if (rows.length >= count) return rows[0].pid as number;
      }
      throw new Error('no checkout is waiting');
    },
    terminate: (pid: number) => client.query('select pg_terminate_backend($1)', [pid]),
    release: async () => {
      await client.query('commit').catch(() => {});
      await client.end().catch(() => {});
    },
  };
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
