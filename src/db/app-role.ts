import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * What the running app may do: read and write rows, use sequences. No DDL, no ownership, no
 * TRUNCATE, and the audit log is append-only. Run by the owner after every migration (new tables
 * get the same grants); idempotent.
 */
export async function grantAppRole(ownerUrl: string, role: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ db: string }>('select current_database() as db');
    await client.query(`grant connect on database ${ident(rows[0]!.db)} to ${ident(role)}`);
    await client.query(`revoke create on schema public from public`);
    await client.query(`grant usage on schema public to ${ident(role)}`);
    await client.query(`grant select, insert, update, delete on all tables in schema public to ${ident(role)}`);
    await client.query(`revoke update, delete, truncate on audit_log from ${ident(role)}`);
    await client.query(`grant usage, select on all sequences in schema public to ${ident(role)}`);
    // /ready reads which migrations have run (read-only).
    await client.query(`grant usage on schema drizzle to ${ident(role)}`);
    await client.query(`grant select on drizzle.__drizzle_migrations to ${ident(role)}`);
  } finally {
    await client.end();
  }
}

/** Creates (or re-passwords) a login role that owns nothing and inherits nothing. */
export async function ensureAppRole(ownerUrl: string, role: string, password: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_roles where rolname = $1', [role]);
    const pw = `'${password.replace(/'/g, "''")}'`;
    const attrs = `login nosuperuser nocreatedb nocreaterole noinherit noreplication nobypassrls password ${pw}`;
    try {
      await client.query(found.rowCount ? `alter role ${ident(role)} with ${attrs}` : `create role ${ident(role)} with ${attrs}`);
    } catch (err) {
      // Another process created it between the check and the create.
      if ((err as { code?: string }).code !== '42710') throw err;
    }
  } finally {
    await client.end();
  }
}

/** The same server and database as `url`, signed in as another role. */
export function urlAs(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/** A secret generated on first use and kept in a file only its owner can read. */
export async function fileSecret(dir: string, name: string, bytes = 24): Promise<string> {
  const file = path.join(dir, name);
  if (!existsSync(file))
    await writeFile(file, randomBytes(bytes).toString('base64url'), { mode: 0o600, flag: 'wx' }).catch((e: { code?: string }) => {
      if (e.code !== 'EEXIST') throw e;
    });
  return (await readFile(file, 'utf8')).trim();
}
