import createClient from 'openapi-fetch';
import type { paths } from './schema';

/** The typed API client: paths, bodies and answers come from the server's OpenAPI document. */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });

export type ApiErrorBody = { error: { code: string; message: string; details: unknown } };

/** An API refusal, carrying the server's `{error:{code,message,details}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
  ) {
    super(message);
  }
}

function isErrorBody(x: unknown): x is ApiErrorBody {
  return typeof x === 'object' && x !== null && 'error' in x && typeof (x as ApiErrorBody).error?.code === 'string';
}

/**
 * Unwraps an openapi-fetch answer: the data, or an ApiError with the server's code and message.
 * Every screen calls the API through this, so errors are shown the same way everywhere.
 */
export async function call<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let answer;
  try {
    answer = await request;
  } catch {
    throw new ApiError(0, 'OFFLINE', 'Cannot reach Handy. Check your connection and try again.', null);
  }
  const { data, error, response } = answer;
  if (response.ok) return data as T;
  if (isErrorBody(error)) throw new ApiError(response.status, error.error.code, error.error.message, error.error.details);
  throw new ApiError(response.status, 'HTTP_' + response.status, `The server answered ${response.status}.`, null);
}

export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return 'Something went wrong.';
}
