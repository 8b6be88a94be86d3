import { createHash } from 'node:crypto';
import { and, eq, lt, sql } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/client.js';
import { AppError, statusOf } from '../../shared/errors.js';
import { idempotencyKeys } from './schema.js';

export const hashBody = (parts: (string | Buffer)[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
};

/**
 * Runs a money- or booking-creating request at most once per Idempotency-Key. The first request
 * with a key stores its response; a retry with the same key and the same body gets that response
 * again; the same key with another body is a 422; a retry while the first is still running is a
 * 409. Without the header the request just runs.
 */
export async function idempotent(
  db: Db,
  req: FastifyRequest,
  reply: FastifyReply,
  scope: string,
  bodyHash: string,
  run: () => Promise<{ status: number; body: unknown }>,
) {
  const raw = req.headers['idempotency-key'];
  if (raw === undefined) {
    const r = await run();
    return reply.status(r.status).send(r.body);
  }
  const key = Array.isArray(raw) ? raw[0]! : raw;
  if (!/^[\x21-\x7e]{1,255}$/.test(key))
    throw new AppError('INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1-255 visible ASCII characters');
  const [fresh] = await db.insert(idempotencyKeys).values({ scope, key, requestHash: bodyHash }).onConflictDoNothing().returning();
  if (!fresh) {
    const [prior] = await db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
    if (prior!.requestHash !== bodyHash)
      throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request', { key });
    if (prior!.statusCode === null)
      throw new AppError('IDEMPOTENCY_IN_PROGRESS', 'The first request with this key is still running; retry shortly', { key });
    // The stored body is already the JSON the first caller got: send it as is.
    return reply
      .status(prior!.statusCode)
      .header('idempotent-replayed', 'true')
      .type('application/json')
      .serializer(JSON.stringify)
      .send(prior!.response);
  }
  const store = (status: number, body: unknown) =>
    db
      .update(idempotencyKeys)
      .set({ statusCode: status, response: body as object })
      .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
  try {
    const r = await run();
    // Stored as the JSON the client saw, so a replay is byte-for-byte the same shape.
    await store(r.status, JSON.parse(JSON.stringify(r.body)));
    return reply.status(r.status).send(r.body);
  } catch (err) {
    if (err instanceof AppError && statusOf(err) < 500) {
      await store(statusOf(err), { error: { code: err.code, message: err.message, details: err.details ?? null } });
    } else {
      // A failure on our side: let a retry run the request again.
      await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
    }
    throw err;
  }
}

/** Scheduled: forget keys older than the retention (at least 24 h). */
export async function sweepIdempotencyKeys(db: Db, now: Date, ttlHours: number): Promise<number> {
  const rows = await db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, sql`${now.toISOString()}::timestamptz - make_interval(hours => ${ttlHours})`))
    .returning({ key: idempotencyKeys.key });
  return rows.length;
}
