import { pick } from '../../shared/present.js';
import type { urgentDispatches } from './schema.js';

export const DISPATCH_FIELDS = [
  'id',
  'jobId',
  'leadId',
  'status',
  'date',
  'slot',
  'assignedContractorId',
  'bookingId',
  'flaggedAt',
  'createdAt',
] as const satisfies readonly (keyof typeof urgentDispatches.$inferSelect)[];

/** An urgent dispatch as staff see it (without its offers): the listed columns only. */
export const presentDispatch = (d: typeof urgentDispatches.$inferSelect) => pick(d, DISPATCH_FIELDS);
