import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable, isRetryableTxError, pgErrorOf } from '../db/errors.js';
import { type ErrorCode, httpStatusOf } from '../shared/error-catalogue.js';
import { AppError } from '../shared/errors.js';

/**
 * Unique indexes whose violation has a code of its own: the service checks first, so these
 * only fire when a concurrent transaction got there between the check and the write.
 */
const UNIQUE_INDEX_CODES: Record<string, { code: ErrorCode; message: string }> = {
  bookings_active_job_uq: { code: 'JOB_ALREADY_BOOKED', message: 'This job already has an active booking' },
};

/** Database errors that mean "your input conflicts with the data", not "we are broken". */
export function fromPostgres(wrapped: unknown): AppError | null {
  const err = pgErrorOf(wrapped);
  if (!err) return null;
  switch (err.code) {
    case '23505':
    case '23P01': {
      const known = err.constraint ? UNIQUE_INDEX_CODES[err.constraint] : undefined;
      if (known) return new AppError(known.code, known.message, null);
      return new AppError('CONFLICT', 'That conflicts with existing data', { constraint: err.constraint });
    }
    case '23503':
      return new AppError('UNKNOWN_REFERENCE', 'A referenced record does not exist', { constraint: err.constraint });
    case '23514':
      return new AppError('CONSTRAINT_VIOLATED', 'A value breaks a data rule', { constraint: err.constraint });
    case '22P02':
    case '22007':
    case '22008':
    case '22001':
    case '22003':
    case '22021':
    case '22P05':
      return new AppError('INVALID_VALUE', 'A value has the wrong format', null);
    default:
      return null;
  }
}

/** Fastify's (and its plugins') own 4xx, by what they mean rather than their FST_ names. */
function fromFastify(err: FastifyError): ErrorCode {
  if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err.name === 'SyntaxError')
    return 'MALFORMED_JSON';
  if (err.code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') return 'MULTIPART_REQUIRED';
  if (err.statusCode === 413) return 'BODY_TOO_LARGE';
  if (err.statusCode === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  return 'BAD_REQUEST';
}

/** Every failure becomes `{error:{code,message,details}}` with the status the catalogue gives its code. */
export function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const send = (e: AppError) => {
    const status = httpStatusOf(e.code);
    const retry = (e.details as { retryAfterSeconds?: unknown } | null | undefined)?.retryAfterSeconds;
    if ((status === 429 || status === 503) && typeof retry === 'number') void reply.header('retry-after', String(retry));
    return reply.status(status).send({ error: { code: e.code, message: e.message, details: e.details ?? null } });
  };

  if (err instanceof AppError) return send(err);
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issues = err.validation.map((v) => ({
      in: err.validationContext,
      path: v.instancePath || '/',
      message: v.message,
    }));
    return send(
      new AppError('VALIDATION_FAILED', `Invalid ${err.validationContext ?? 'input'}: ${issues[0]?.path} ${issues[0]?.message}`, issues),
    );
  }
  if (isResponseSerializationError(err)) {
    req.log.error({ err }, 'response did not match its schema');
    return send(new AppError('INTERNAL', 'Something went wrong on our side', null));
  }
  const pg = fromPostgres(err);
  if (pg) return send(pg);
  // Contention that outlasted the retries, or the database going away mid-request: the request
  // did nothing and may be sent again, so 503 with a hint of when (never a 500).
  if (isRetryableTxError(err)) {
    req.log.warn({ err }, 'transaction still aborted after retries');
    return send(new AppError('BUSY', 'The system is busy; try again in a moment', { retryAfterSeconds: 1 }));
  }
  if (isDatabaseUnavailable(err)) {
    req.log.warn({ err: (err as Error).message }, 'database unavailable');
    return send(new AppError('DB_UNAVAILABLE', 'The database is not reachable right now; try again shortly', { retryAfterSeconds: 2 }));
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return send(new AppError(fromFastify(err), err.message, null));
  req.log.error({ err }, 'unhandled error');
  return send(new AppError('INTERNAL', 'Something went wrong on our side', null));
}
