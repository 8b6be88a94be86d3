import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { App } from '../http/app.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const page = (name: string) => readFileSync(path.join(here, name), 'utf8');

/**
 * The customer's pages behind the links we send: the quote page and the video upload page.
 * The pages are static and public; every piece of data they show comes from the token-checked API.
 */
export function webRoutes(app: App) {
  const quote = page('quote.html');
  const video = page('video.html');
  const headers = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };
  app.get('/q/:token', { schema: { hide: true }, config: { access: 'public' } }, async (_req, reply) => reply.headers(headers).send(quote));
  app.get('/v/:token', { schema: { hide: true }, config: { access: 'public' } }, async (_req, reply) => reply.headers(headers).send(video));
}
