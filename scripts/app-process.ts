import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '../src/db/scratch-server.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The product as an operator runs it, in a child process of its own: `npm start` (the README's
 * command) or the same entry point straight on Node, with its own DATA_DIR and ports on
 * 127.0.0.1. For the load test and the crash tests.
 */
export type AppProcess = {
  url: string;
  dataDir: string;
  port: number;
  pgPort: number;
  child: ChildProcess;
  /** Everything the process printed. */
  output: string[];
  exited: Promise<number | null>;
  /** The Node process that serves (and owns the embedded PostgreSQL). */
  appPid: () => Promise<number>;
  postmasterPid: () => Promise<number>;
  /** A superuser URL to the product's database. */
  databaseUrl: () => Promise<string>;
  waitReady: (timeoutMs?: number) => Promise<void>;
};

export type AppProcessOptions = {
  via?: 'npm' | 'node';
  dataDir?: string;
  port?: number;
  pgPort?: number;
  env?: Record<string, string>;
};

export async function startAppProcess(o: AppProcessOptions = {}): Promise<AppProcess> {
  const dataDir = o.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'handy-app-')));
  const port = o.port ?? (await freePort());
  const pgPort = o.pgPort ?? (await freePort());
  // Its own embedded database, whatever the caller's environment says.
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const env: Record<string, string | undefined> = {
    ...inherited,
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(port),
    EMBEDDED_PG_PORT: String(pgPort),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    // One process unless a test asks for a cluster: appPid() is then the server itself.
    WEB_CONCURRENCY: '1',
    // Every client here is 127.0.0.1: per-IP limits would turn load into 429s.
    HOLD_RATE_LIMIT: '100000',
    UPLOAD_RATE_LIMIT: '100000',
    ...o.env,
  };
  const child =
    o.via === 'npm'
      ? spawn('npm', ['start', '--silent'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
      : spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const output: string[] = [];
  let partial = '';
  const collect = (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    output.push(...lines);
    if (output.length > 20_000) output.splice(0, output.length - 20_000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const postmasterPid = async () => Number((await readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const app: AppProcess = {
    url: `http://127.0.0.1:${port}`,
    dataDir,
    port,
    pgPort,
    child,
    output,
    exited,
    postmasterPid,
    appPid: async () => {
      const stat = await readFile(`/proc/${await postmasterPid()}/stat`, 'utf8');
      return Number(stat.replace(/^.*\) \S+ /, '').split(' ')[0]);
    },
    databaseUrl: async () => {
      const password = (await readFile(path.join(dataDir, 'pg-password'), 'utf8')).trim();
      return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${pgPort}/handy`;
    },
    waitReady: async (timeoutMs = 180_000) => {
      let exitCode: number | null | undefined;
      void exited.then((c) => (exitCode = c));
      for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(250)) {
        if (exitCode !== undefined) throw new Error(`the app exited (${exitCode}):\n${output.slice(-20).join('\n')}`);
        const res = await fetch(`${app.url}/ready`).catch(() => null);
        if (res?.status === 200) return;
      }
      throw new Error(`the app was not ready within ${timeoutMs} ms:\n${output.slice(-20).join('\n')}`);
    },
  };
  return app;
}

/** Ends what startAppProcess started (its whole process group) and removes its data unless kept. */
export async function stopAppProcess(app: AppProcess, o: { keepData?: boolean } = {}): Promise<void> {
  if (app.child.exitCode === null && app.child.signalCode === null) {
    try {
      process.kill(-app.child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    await Promise.race([app.exited, sleep(30_000)]);
  }
  // A postmaster orphaned by a test's SIGKILL is stopped here too.
  const pm = await app.postmasterPid().catch(() => 0);
  const cmd = pm ? await readFile(`/proc/${pm}/cmdline`, 'utf8').catch(() => '') : '';
  if (pm && cmd.includes(app.dataDir)) {
    try {
      process.kill(pm, 'SIGINT');
      for (let i = 0; i < 100; i++, await sleep(100)) process.kill(pm, 0);
    } catch {
      // stopped
    }
  }
  if (!o.keepData) await rm(app.dataDir, { recursive: true, force: true });
}
