import { createHash } from 'node:crypto';
import type { SQL } from 'drizzle-orm';
import type { Queryable } from './client.js';

type Session = {
  prepareQuery: (
    q: { sql: string; params: unknown[] },
    fields: undefined,
    name: string,
    arrayMode: boolean,
  ) => { execute: () => Promise<unknown> };
};
type WithSession = { session: Session; dialect: { sqlToQuery: (q: SQL) => { sql: string; params: unknown[] } } };

const names = new Map<string, string>();

/**
 * Runs a statement as a named prepared statement (node-postgres prepares it once per connection,
 * then sends only the parameters). For the hot read paths whose text is fixed and whose lists
 * travel as parameters: PostgreSQL then skips parsing and, after a few runs, planning. The name
 * is derived from the text, so one text never meets two names. Goes through drizzle's session,
 * so it works on the pool and inside a transaction alike.
 */
export async function executePrepared<T>(db: Queryable, query: SQL): Promise<{ rows: T[] }> {
  const d = db as unknown as WithSession;
  const q = d.dialect.sqlToQuery(query);
  let name = names.get(q.sql);
  if (!name) {
    name = `h_${createHash('sha1').update(q.sql).digest('hex').slice(0, 24)}`;
    if (names.size > 500) names.clear();
    names.set(q.sql, name);
  }
  return (await d.session.prepareQuery(q, undefined, name, false).execute()) as { rows: T[] };
}

type WithClient = {
  session: { client: { query: (q: { name: string; text: string; values: unknown[] }) => Promise<{ rows: unknown[] }> } };
};

/**
 * A fixed statement text and its parameters as a named prepared statement, without the query
 * builder: for the hold, the hottest request, where building the text on every call showed in the
 * profile. Same connection rules as executePrepared (the pool, or the transaction's client).
 */
export async function executeNamed<T>(db: Queryable, name: string, text: string, values: unknown[]): Promise<{ rows: T[] }> {
  return (await (db as unknown as WithClient).session.client.query({ name, text, values })) as { rows: T[] };
}
