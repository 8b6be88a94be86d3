import { z } from 'zod';
import { isIsoDate } from './iso-date.js';
import { ERROR_CODES } from './error-catalogue.js';
import { SLOTS } from './slots.js';
import { CONFIDENCES } from './confidence.js';

/** Field schemas shared by several modules' routes. */
export const isoDate = z.string().refine(isIsoDate, 'expected a calendar date YYYY-MM-DD (years 1900-2999)');
export const slot = z.enum(SLOTS);
export const uuidParam = z.object({ id: z.uuid() });
export const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24h)');
export const confidence = z.enum(CONFIDENCES);
export const postcode = z.string().trim().min(2).max(10);
/** Every code the API answers with; listed with its status and meaning in the README's "Error codes". */
export const errorCode = z.enum(ERROR_CODES).meta({
  id: 'ErrorCode',
  description:
    'A code from the error catalogue (src/shared/error-catalogue.ts): see the README section "Error codes" for each one\'s HTTP status and meaning, and "Renamed error codes" for the codes that changed.',
});
export const errorBody = z
  .object({ error: z.object({ code: errorCode, message: z.string(), details: z.unknown() }) })
  .meta({ id: 'Error', description: 'Every failure: `{error:{code,message,details}}`.' });
/** Standard error responses, so the OpenAPI document says what failures look like. */
export const errors = {
  400: errorBody,
  401: errorBody,
  403: errorBody,
  404: errorBody,
  409: errorBody,
  422: errorBody,
} as const;
