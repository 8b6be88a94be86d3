import { z } from 'zod';
import { isIsoDate } from './iso-date.js';

/** Field schemas shared by several modules' routes. */
export const isoDate = z.string().refine(isIsoDate, 'expected a calendar date YYYY-MM-DD');
export const slot = z.enum(['am', 'pm']);
export const uuidParam = z.object({ id: z.uuid() });
export const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24h)');
export const confidence = z.enum(['expert', 'capable']);
export const postcode = z.string().trim().min(2).max(10);
export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown() }),
});
/** Standard error responses, so the OpenAPI document says what failures look like. */
export const errors = {
  400: errorBody,
  401: errorBody,
  403: errorBody,
  404: errorBody,
  409: errorBody,
  422: errorBody,
} as const;
