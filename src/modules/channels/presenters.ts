import { pick } from '../../shared/present.js';
import type { capturedMessages } from './schema.js';

export const CAPTURED_FIELDS = [
  'id',
  'channel',
  'to',
  'from',
  'subject',
  'text',
  'html',
  'links',
  'providerId',
  'meta',
  'createdAt',
] as const satisfies readonly (keyof typeof capturedMessages.$inferSelect)[];

/** A message the embedded stand-ins captured, as staff read it: the listed columns only. */
export const presentCaptured = (row: typeof capturedMessages.$inferSelect) => pick(row, CAPTURED_FIELDS);
