import { readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StartupError, EXIT } from '../startup-error.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const cmdline = async (pid: number) => (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
const parentOf = async (pid: number) =>
  Number((await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')).replace(/^.*\) \S+ /, '').split(' ')[0]);

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) if (!alive(pid)) return true;
  return !alive(pid);
}

/**
 * Makes the cluster in `dbDir` startable after an unclean end of an earlier run:
 * - a postmaster.pid naming a live process that is not this cluster's postmaster (the PID was
 *   reused after a reboot or in a new container) is stale and removed (PostgreSQL itself
 *   handles one naming a dead process);
 * - a live postmaster of this cluster whose parent is no longer a Node process was orphaned by a
 *   SIGKILLed or crashed run: it is stopped with a fast shutdown (SIGINT: open transactions roll
 *   back, a checkpoint is written), escalating to SIGQUIT only if it does not finish;
 * - a live postmaster still owned by a Node process belongs to another running instance: that
 *   is refused with a message rather than touched.
 * Then the port must be free.
 */
export async function recoverStaleCluster(dbDir: string, port: number, log: (m: string) => void): Promise<void> {
  const pidFile = path.join(dbDir, 'postmaster.pid');
  const content = await readFile(pidFile, 'utf8').catch(() => null);
  if (content !== null) {
    const pid = Number(content.split('\n')[0]);
    const running = Number.isInteger(pid) && pid > 0 && alive(pid);
    const args = running ? await cmdline(pid) : [];
    const ours = args.some((a) => a.endsWith('postgres')) && args.some((a) => path.resolve(a) === path.resolve(dbDir));
    // A dead PID is left to PostgreSQL, which also checks that no old backend still uses the
    // shared memory the file names; only a PID reused by another program makes it refuse to start.
    if (running && !ours) {
      log(`removing a stale postmaster.pid (pid ${pid} is another program now)`);
      await rm(pidFile, { force: true });
    } else if (ours) {
      const parent = await parentOf(pid);
      const parentArgs = parent > 1 ? await cmdline(parent) : [];
      if (parentArgs.some((a) => /(^|\/)node(js)?$/.test(a))) {
        throw new StartupError(
          `the database in ${dbDir} is in use by another running Handy (process ${parent}); stop that one first, or set DATA_DIR and EMBEDDED_PG_PORT to run a second instance`,
          EXIT.TEMPFAIL,
        );
      }
      log(`stopping PostgreSQL left running by an earlier run (pid ${pid}, orphaned)`);
      process.kill(pid, 'SIGINT');
      if (!(await waitForExit(pid, 30_000))) {
        log(`PostgreSQL (pid ${pid}) did not stop within 30 s; sending SIGQUIT`);
        process.kill(pid, 'SIGQUIT');
        if (!(await waitForExit(pid, 10_000))) {
          throw new StartupError(
            `the PostgreSQL left running by an earlier run (pid ${pid}) will not stop; stop it by hand (kill ${pid}) and start again`,
            EXIT.TEMPFAIL,
          );
        }
      }
    }
  }
  await assertPortFree(port);
}

async function assertPortFree(port: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      const srv = createServer();
      srv.once('error', resolve);
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(null)));
    });
    if (!error) return;
    // A just-stopped server's socket may linger for a moment.
    if (attempt < 20 && error.code === 'EADDRINUSE') {
      await sleep(250);
      continue;
    }
    throw new StartupError(
      error.code === 'EADDRINUSE'
        ? `port ${port} for the embedded database is taken by another program; set EMBEDDED_PG_PORT to a free port`
        : `cannot use port ${port} for the embedded database (${error.code}); set EMBEDDED_PG_PORT`,
      EXIT.TEMPFAIL,
    );
  }
}
