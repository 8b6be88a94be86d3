import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { App } from '../http/app.js';
import { helmetOptions, STRIPE_CSP } from '../http/security-headers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const read = (name: string) => readFileSync(path.join(here, name), 'utf8');

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };
/** The scripts and styles the pages load: files, never inline, so the CSP can forbid inline code. */
const ASSETS = new Map(['dom.js', 'quote.js', 'quote.css', 'video.js', 'video.css'].map((f) => [f, read(`assets/${f}`)]));

/**
 * The customer's pages behind the links we send: the quote page and the video upload page.
 * The pages are static and public; every piece of data they show comes from the token-checked API.
 * Security headers (CSP, nosniff, frame-ancestors) come from helmet on every response; the quote
 * page's CSP also allows Stripe.js for card payments.
 */
export function webRoutes(app: App) {
  const quote = read('quote.html');
  const video = read('video.html');
  const headers = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };
  app.get('/q/:token', { schema: { hide: true }, config: { access: 'public' }, helmet: helmetOptions(STRIPE_CSP) }, async (_req, reply) =>
    reply.headers(headers).send(quote),
  );
  app.get('/v/:token', { schema: { hide: true }, config: { access: 'public' } }, async (_req, reply) => reply.headers(headers).send(video));
  app.get('/assets/:file', { schema: { hide: true }, config: { access: 'public' } }, async (req, reply) => {
    const { file } = req.params as { file: string };
    const body = ASSETS.get(file);
    if (body === undefined) return reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'No such file', details: null } });
    return reply.headers({ 'content-type': TYPES[path.extname(file)]!, 'cache-control': 'no-cache' }).send(body);
  });
}
