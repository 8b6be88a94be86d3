import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/client.js';
import { pgLimit } from './pg-rate-limit.js';

/** Customer upload routes (no account, only a link): limited per client IP before the body is read. */
const CUSTOMER_UPLOADS = new Set(['/api/q/:token/receipt', '/api/customer/videos/:token']);

export function registerUploadLimit(app: FastifyInstance, db: Db, perHour: number): void {
  const limit = pgLimit(db, 'upload_ip', perHour, 3600, 'uploads from this address');
  app.addHook('onRequest', async (req) => {
    if (req.method === 'POST' && CUSTOMER_UPLOADS.has(req.routeOptions.url ?? '')) await limit.take(req.ip);
  });
}
