import cluster from 'node:cluster';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../src/config.js';
import { connect } from '../src/db/client.js';
import { buildApp } from '../src/http/app.js';

type Target = { date: string; slot: string };

// The client shares the machine's cores with the servers and PostgreSQL: plain node:http on
// kept-alive sockets (one per customer) costs a fraction of fetch's CPU per request.
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
function post(base: string, path: string, body: string): Promise<number> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: u.hostname,
        port: u.port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** `racers` customers, each with its own job and session, keep holding random hot slots until `total` requests were sent. */
export async function holdStorm(base: string, tokens: string[], hot: Target[], total: number, tag: string) {
  let sent = 0;
  let won = 0;
  let refused = 0;
  let limited = 0;
  let failed = 0;
  const t0 = performance.now();
  await Promise.all(
    tokens.map(async (token, i) => {
      while (sent < total) {
        sent++;
        const target = hot[Math.floor(Math.random() * hot.length)]!;
        const status = await post(base, `/api/customer/jobs/${token}/holds`, JSON.stringify({ sessionId: `bench-${tag}-${i}`, ...target }));
        if (status === 201 || status === 200) won++;
        else if (status === 409) refused++;
        else if (status === 429) limited++;
        else failed++;
      }
    }),
  );
  return { sent, won, refused, limited, failed, seconds: (performance.now() - t0) / 1000 };
}

/**
 * The production topology for the storm: `processes` HTTP servers forked with Node's cluster
 * module (as `npm start` does with WEB_CONCURRENCY), sharing one port, on the bench database.
 * `rss` asks each for its resident memory (MiB); `stop` ends them.
 */
export async function startServerCluster(url: string, processes: number, poolMax: number) {
  const workers = Array.from({ length: processes }, () =>
    cluster.fork({ BENCH_SERVER_URL: url, BENCH_SERVER_POOL: String(poolMax), HOLD_RATE_LIMIT: process.env.HOLD_RATE_LIMIT ?? '100000' }),
  );
  const ports = await Promise.all(
    workers.map(
      (w) =>
        new Promise<number>((resolve, reject) => {
          w.once('message', (m: { port: number }) => resolve(m.port));
          w.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
        }),
    ),
  );
  return {
    base: `http://127.0.0.1:${ports[0]}`,
    rss: () =>
      Promise.all(
        workers.map(
          (w) =>
            new Promise<number>((resolve) => {
              w.once('message', (m: { rss: number }) => resolve(m.rss));
              w.send('rss');
            }),
        ),
      ),
    stop: () =>
      Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve) => {
              w.once('exit', () => resolve());
              w.send('stop');
            }),
        ),
      ),
  };
}

/** The body of a forked bench server (see startServerCluster). */
export async function serveInWorker(config: Config) {
  const database = connect(process.env.BENCH_SERVER_URL!, Number(process.env.BENCH_SERVER_POOL));
  const app = await buildApp({ db: database.db, databaseUrl: process.env.BENCH_SERVER_URL!, config, now: () => new Date() });
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.on('message', (m) => {
    if (m === 'rss') process.send!({ rss: process.memoryUsage().rss / 1024 / 1024 });
    if (m === 'stop')
      void app
        .close()
        .then(() => database.close())
        .then(() => process.exit(0));
  });
  process.send!({ port: (app.server.address() as AddressInfo).port });
}
