/**
 * npm run loadtest [-- --duration 60 --clients 32,64]
 *
 * Starts the product in a child process on a throwaway embedded PostgreSQL with demo data
 * (127.0.0.1 only), then runs mixed traffic in one area (Battersea, SW11) for `duration` seconds
 * per client count: staff create a job, the customer reads availability, holds one of the next
 * few days' slots and checks out, staff cancel those bookings again (so capacity keeps turning
 * over) and read the calendar and the contractor list. Prints `name: value unit` lines.
 * Bounded: a fixed number of clients, each waiting for its answer before the next request.
 */
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { startAppProcess, stopAppProcess, type AppProcess } from './app-process.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' },
    clients: { type: 'string', default: '32,64' },
    contractors: { type: 'string', default: '200' },
  },
});
const DURATION_S = Number(values.duration);
const CLIENT_COUNTS = values.clients.split(',').map(Number);
const POSTCODES = ['SW11 1AA', 'SW11 2BB', 'SW11 3CC', 'SW11 5DD'];
const HOT_DAYS = 4;

type Sample = { kind: string; status: number; ms: number };

const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0;
const line = (name: string, value: number, unit: string) => console.log(`${name}: ${value.toFixed(unit === 'count' ? 0 : 1)} ${unit}`);

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function main() {
  const app = await startAppProcess({ via: 'node', env: { DEMO_CONTRACTORS: values.contractors, DB_POOL_MAX: '40' } });
  let db: pg.Client | null = null;
  try {
    await app.waitReady();
    db = new pg.Client({ connectionString: await app.databaseUrl() });
    await db.connect();
    const appPid = await app.appPid();
    const login = await fetch(`${app.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'va@handy.local', password: process.env.DEMO_PASSWORD ?? 'handy-demo-password' }),
    });
    const staff = { authorization: `Bearer ${((await login.json()) as { token: string }).token}`, 'content-type': 'application/json' };
    const deadlocks = async () =>
      (await db!.query<{ n: number }>(`select deadlocks::int as n from pg_stat_database where datname = 'handy'`)).rows[0]!.n;
    const retries = () => app.output.filter((l) => l.includes('retrying')).length;

    line('contractors', Number(values.contractors), 'count');
    line('rss_before', await rssMiB(appPid), 'MiB');
    for (const clients of CLIENT_COUNTS) {
      const samples: Sample[] = [];
      const call = async (kind: string, url: string, init: RequestInit = {}) => {
        const t0 = performance.now();
        const res = await fetch(`${app.url}${url}`, init).catch(() => null);
        const body = res ? await res.json().catch(() => null) : null;
        samples.push({ kind, status: res?.status ?? 599, ms: performance.now() - t0 });
        return { status: res?.status ?? 599, body: body as Record<string, never> | null };
      };
      const deadlocksBefore = await deadlocks();
      const retriesBefore = retries();
      const end = Date.now() + DURATION_S * 1000;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: clients }, async (_, c) => {
          for (let i = 0; Date.now() < end; i++) {
            const job = await call('job', '/api/jobs', {
              method: 'POST',
              headers: staff,
              body: JSON.stringify({
                postcode: POSTCODES[(c + i) % POSTCODES.length],
                requirements: [{ taskId: 'general-odd-jobs', requiredConfidence: 'capable', isPrimary: true }],
              }),
            });
            if (job.status !== 201) continue;
            const token = (job.body as unknown as { customerToken: string }).customerToken;
            const avail = await call('availability', `/api/customer/jobs/${token}/availability`);
            const days = (
              (
                avail.body as unknown as {
                  days?: { date: string; slots: { slot: string; bookable: boolean; contractorCount: number }[] }[];
                }
              )?.days ?? []
            ).slice(0, HOT_DAYS);
            const open = days.flatMap((d) =>
              d.slots.filter((s) => s.bookable && s.contractorCount > 0).map((s) => ({ date: d.date, slot: s.slot })),
            );
            if (open.length) {
              const pick = open[Math.floor(Math.random() * open.length)]!;
              const session = { sessionId: `load-${clients}-${c}-${i}`, ...pick };
              const json = { 'content-type': 'application/json' };
              const hold = await call('hold', `/api/customer/jobs/${token}/holds`, {
                method: 'POST',
                headers: json,
                body: JSON.stringify(session),
              });
              if (hold.status < 300) {
                const booked = await call('checkout', `/api/customer/jobs/${token}/checkout`, {
                  method: 'POST',
                  headers: json,
                  body: JSON.stringify(session),
                });
                const id = (booked.body as unknown as { booking?: { id: string } })?.booking?.id;
                // Staff cancel what was booked, so the area's capacity (max_concurrent_jobs) keeps
                // turning over and the next minute is as contended as the first.
                if (id) {
                  await call('cancel', `/api/bookings/${id}/transitions`, {
                    method: 'POST',
                    headers: staff,
                    body: JSON.stringify({ to: 'cancelled', reason: 'load test', cause: 'customer' }),
                  });
                }
              }
            }
            await call('staff_read', i % 2 ? '/api/bookings?limit=50' : '/api/contractors?limit=50', {
              headers: { authorization: staff.authorization },
            });
          }
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
      const p = `c${clients}`;
      line(`${p}_requests_per_second`, samples.length / seconds, 'req/s');
      line(`${p}_latency_p50`, pct(sorted, 50), 'ms');
      line(`${p}_latency_p99`, pct(sorted, 99), 'ms');
      for (const kind of ['hold', 'checkout']) {
        const k = samples.filter((s) => s.kind === kind);
        line(
          `${p}_${kind}_p99`,
          pct(
            k.map((s) => s.ms).sort((a, b) => a - b),
            99,
          ),
          'ms',
        );
        line(`${p}_${kind}_2xx`, k.filter((s) => s.status < 300).length, 'count');
        line(`${p}_${kind}_409`, k.filter((s) => s.status === 409).length, 'count');
      }
      line(`${p}_5xx`, samples.filter((s) => s.status >= 500).length, 'count');
      line(`${p}_deadlocks_detected`, (await deadlocks()) - deadlocksBefore, 'count');
      line(`${p}_transactions_retried`, retries() - retriesBefore, 'count');
    }
    line('rss_after', await rssMiB(appPid), 'MiB');

    // 20 receipts of 9 MiB at once: streamed to disk, so the process barely grows.
    const booking = (await db.query<{ id: string }>(`select id from bookings where status in ('pending_confirmation','confirmed') limit 1`))
      .rows[0]!.id;
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(9 * 1024 * 1024, 7)]);
    const uploadsBefore = await rssMiB(appPid);
    let peak = uploadsBefore;
    const sampler = setInterval(() => void rssMiB(appPid).then((r) => (peak = Math.max(peak, r))), 50);
    const uploads = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const form = new FormData();
        form.append('receipt', new Blob([png], { type: 'image/png' }), 'receipt.png');
        const res = await fetch(`${app.url}/api/bookings/${booking}/receipt`, {
          method: 'POST',
          headers: { authorization: staff.authorization },
          body: form,
        });
        return res.status;
      }),
    );
    clearInterval(sampler);
    line('receipts_20x9MiB_5xx', uploads.filter((s) => s >= 500).length, 'count');
    line('receipts_20x9MiB_rss_before', uploadsBefore, 'MiB');
    line('receipts_20x9MiB_rss_peak', peak, 'MiB');
    const doubles = await db.query<{ n: number }>(`
      select (select count(*) from (select contractor_id, date, slot from bookings where status in ('pending_confirmation','confirmed','in_progress')
                                    group by 1,2,3 having count(*) > 1) d)::int as n`);
    line('double_bookings', doubles.rows[0]!.n, 'count');
    const errors = app.output.filter((l) => /"level":(50|60)/.test(l));
    if (errors.length) console.error(`app errors logged: ${errors.length}\n${errors.slice(0, 3).join('\n')}`);
  } finally {
    await db?.end().catch(() => {});
    await stopAppProcess(app as AppProcess);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
