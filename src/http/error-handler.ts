import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable, isRetryableTxError, pgErrorOf } from '../db/errors.js';
import { AppError } from './errors.js';

/** Database errors that mean "your input conflicts with the data", not "we are broken". */
function fromPostgres(wrapped: unknown): AppError | null {
  const err = pgErrorOf(wrapped);
  if (!err) return null;
  switch (err.code) {
    case '23505':
    case '23P01':
      return new AppError(409, 'CONFLICT', 'That conflicts with existing data', { constraint: err.constraint });
    case '23503':
      return new AppError(422, 'UNKNOWN_REFERENCE', 'A referenced record does not exist', { constraint: err.constraint });
    case '23514':
      return new AppError(422, 'CONSTRAINT_VIOLATED', 'A value breaks a data rule', { constraint: err.constraint });
    case '22P02':
    case '22007':
    case '22008':
    case '22001':
    case '22003':
    case '22021':
    case '22P05':
      return new AppError(400, 'INVALID_VALUE', 'A value has the wrong format', null);
    default:
      return null;
  }
}

export function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const send = (e: AppError) => {
    const retry = (e.details as { retryAfterSeconds?: unknown } | null | undefined)?.retryAfterSeconds;
    if (e.status === 429 && typeof retry === 'number') void reply.header('retry-after', String(retry));
    return reply.status(e.status).send({ error: { code: e.code, message: e.message, details: e.details ?? null } });
  };

  if (err instanceof AppError) return send(err);
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issues = err.validation.map((v) => ({
      in: err.validationContext,
      path: v.instancePath || '/',
      message: v.message,
    }));
    return send(new AppError(400, 'VALIDATION_FAILED', `Invalid ${err.validationContext ?? 'input'}: ${issues[0]?.path} ${issues[0]?.message}`, issues));
  }
  if (isResponseSerializationError(err)) {
    req.log.error({ err }, 'response did not match its schema');
    return send(new AppError(500, 'INTERNAL', 'Something went wrong on our side', null));
  }
  const pg = fromPostgres(err);
  if (pg) return send(pg);
  // Contention that outlasted the retries, or the database going away mid-request: the request
  // did nothing and may be sent again, so 503 with a hint of when (never a 500).
  if (isRetryableTxError(err)) {
    req.log.warn({ err }, 'transaction still aborted after retries');
    void reply.header('retry-after', '1');
    return send(new AppError(503, 'BUSY', 'The system is busy; try again in a moment', { retryAfterSeconds: 1 }));
  }
  if (isDatabaseUnavailable(err)) {
    req.log.warn({ err: (err as Error).message }, 'database unavailable');
    void reply.header('retry-after', '2');
    return send(new AppError(503, 'DB_UNAVAILABLE', 'The database is not reachable right now; try again shortly', { retryAfterSeconds: 2 }));
  }
  // Fastify's own 4xx: malformed JSON, wrong content type, body too large, ...
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    const code = err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.name === 'SyntaxError' ? 'MALFORMED_JSON' : (err.code ?? 'BAD_REQUEST');
    return send(new AppError(err.statusCode, code.replace(/^FST_ERR_/, ''), err.message, null));
  }
  req.log.error({ err }, 'unhandled error');
  return send(new AppError(500, 'INTERNAL', 'Something went wrong on our side', null));
}
