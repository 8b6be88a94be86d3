import { type ErrorCode, httpStatusOf } from './error-catalogue.js';

/**
 * The one error type. Use cases throw it with a code from the catalogue
 * (src/shared/error-catalogue.ts), a message for people and optional details; they never pick an
 * HTTP status. The HTTP error handler answers `{error:{code,message,details}}` with the status the
 * catalogue gives the code; anything else thrown is a 500 and is logged.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: unknown = undefined,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** The HTTP status the catalogue gives this error (for code outside HTTP that must mirror it). */
export const statusOf = (e: AppError): number => httpStatusOf(e.code);

export const unauthorized = (message = 'Sign in first') => new AppError('UNAUTHENTICATED', message);
export const forbidden = (message = 'Your role may not do this') => new AppError('FORBIDDEN', message);
export const notFound = (what: string, details?: unknown) => new AppError('NOT_FOUND', `${what} not found`, details);
