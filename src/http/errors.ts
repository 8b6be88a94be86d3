/**
 * The one error type. Anything thrown as AppError becomes `{error:{code,message,details}}` with
 * its HTTP status; anything else is a 500 and is logged.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = undefined,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, details?: unknown) => new AppError(400, code, message, details);
export const unauthorized = (message = 'Sign in first') => new AppError(401, 'UNAUTHENTICATED', message);
export const forbidden = (message = 'Your role may not do this') => new AppError(403, 'FORBIDDEN', message);
export const notFound = (what: string, details?: unknown) => new AppError(404, 'NOT_FOUND', `${what} not found`, details);
export const conflict = (code: string, message: string, details?: unknown) => new AppError(409, code, message, details);
export const unprocessable = (code: string, message: string, details?: unknown) =>
  new AppError(422, code, message, details);
