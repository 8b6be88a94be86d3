import type { AppContext } from './context.js';

/**
 * Per client IP, shared by every route of a group (SPEC "Limits per customer link": a per-IP
 * limit on holds; uploads are limited the same way). Both are configuration.
 */
export const holdRateLimit = (ctx: AppContext) => ({ max: ctx.config.HOLD_RATE_LIMIT, timeWindow: '1 minute', groupId: 'customer-holds' });
export const uploadRateLimit = (ctx: AppContext) => ({
  max: ctx.config.UPLOAD_RATE_LIMIT,
  timeWindow: '1 minute',
  groupId: 'customer-uploads',
});
