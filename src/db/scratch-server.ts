import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from './embedded.js';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * A server to create throwaway databases on, for tests and benchmarks: DATABASE_URL's server
 * when set, else a fresh embedded cluster in a temporary directory (deleted by `stop`).
 */
export async function scratchServer(): Promise<{ adminUrl: string; urlFor: (db: string) => string; stop: () => Promise<void> }> {
  const urlFor = (base: string) => (db: string) => {
    const u = new URL(base);
    u.pathname = `/${db}`;
    return u.toString();
  };
  if (process.env.DATABASE_URL) {
    const adminUrl = urlFor(process.env.DATABASE_URL)('postgres');
    return { adminUrl, urlFor: urlFor(adminUrl), stop: async () => {} };
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'handy-pg-'));
  const server = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), throwaway: true });
  const adminUrl = server.url('postgres');
  return {
    adminUrl,
    urlFor: urlFor(adminUrl),
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
