/**
 * Exit codes a supervisor (systemd, Docker, Kubernetes) can act on, after sysexits.h:
 * restart on TEMPFAIL, do not restart-loop on CONFIG.
 */
export const EXIT = {
  OK: 0,
  /** Something unexpected; the log has the stack. */
  SOFTWARE: 70,
  /** Cannot write the data or upload directory. */
  CANTCREAT: 73,
  /** The database or a port is not available right now; starting again later may work. */
  TEMPFAIL: 75,
  /** The configuration is wrong; fix it before starting again. */
  CONFIG: 78,
} as const;

/** A start-up failure explained in one sentence: what failed and what to do. */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'StartupError';
  }
}
