import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { EXIT } from './startup-error.js';

/** Set in the environment of a forked HTTP process: the primary already prepared the database. */
export const CLUSTER_WORKER_ENV = 'HANDY_CLUSTER_WORKER';
export const isClusterWorker = () => cluster.isWorker && process.env[CLUSTER_WORKER_ENV] === '1';

/**
 * The primary of a WEB_CONCURRENCY > 1 start: it has provisioned the database (the embedded
 * PostgreSQL is started once, here) and run the migrations once; it forks the HTTP processes,
 * which share the port (the primary hands connections out in turn) and reach the database at
 * `url`. Nothing that decides a booking lives in a process: every guard is in PostgreSQL, so the
 * processes are interchangeable. A process that dies after it was serving is replaced; one that
 * fails to start stops the whole server, with its exit code.
 */
export function runPrimary(
  config: Config,
  url: string,
  /** The least-privilege role's URL the HTTP processes serve requests with (the owner's URL when there is none). */
  appUrl: string,
  log: Logger,
  onStopped: (code: number) => Promise<void>,
  announce: (line: string, baseUrl: string) => void,
) {
  let stopping = false;
  const serving = new Set<number>();
  const fork = () => {
    const w = cluster.fork({ DATABASE_URL: url, ...(appUrl !== url ? { DATABASE_APP_URL: appUrl } : {}), [CLUSTER_WORKER_ENV]: '1' });
    w.on('listening', (address) => {
      // Only the HTTP port counts: a process also listens for its embedded message stand-ins.
      if (address.port !== config.PORT) return;
      serving.add(w.id);
      // One at a time: each process sets up its job queues on start, and two doing it at once deadlock.
      if (!stopping && Object.keys(cluster.workers ?? {}).length < config.WEB_CONCURRENCY) fork();
      if (serving.size === config.WEB_CONCURRENCY) {
        const shown = `http://${address.address === '127.0.0.1' || !address.address ? 'localhost' : address.address}:${address.port}`;
        announce(
          `\nHandy is running at ${shown} in ${serving.size} processes  (API docs: ${shown}/docs, OpenAPI: ${shown}/openapi.json)\n`,
          shown,
        );
      }
    });
    return w;
  };
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead());
    // Each process drains its requests and workers (its own SHUTDOWN_TIMEOUT_SECONDS), then exits.
    await Promise.all(
      alive.map(
        (w) =>
          new Promise<void>((resolve) => {
            w.once('exit', () => resolve());
            w.process.kill('SIGTERM');
          }),
      ),
    );
    await onStopped(code);
  };
  cluster.on('exit', (w, code, signal) => {
    if (stopping) return;
    if (!serving.has(w.id)) {
      log.error({ code, signal }, 'an HTTP process failed to start; stopping');
      void stop(code || EXIT.SOFTWARE);
      return;
    }
    serving.delete(w.id);
    log.warn({ code, signal }, 'an HTTP process exited; starting another');
    fork();
  });
  fork();
  return { stop };
}
