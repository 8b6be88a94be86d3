import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { App } from '../http/context.js';
import { serviceWorkerSource } from './app-service-worker.js';
import { STRIPE_CSP } from '../http/security-headers.js';
import path from 'node:path';
import fastifyStatic from '@fastify/static';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Where `npm run build:web` writes the front-end package's build. */
export const WEB_BUILD_DIR = path.resolve(here, '../../dist/web');

/** The single-page app's entry points; every path below them is a client-side route. */
const SPA_PREFIXES = ['/ops', '/app', '/q', '/j', '/v', '/enquire'];
const APP_HEAD = '<link rel="manifest" href="/app/manifest.webmanifest" /><link rel="apple-touch-icon" href="/app/icon-192.png" />';

/**
 * The screens. The front-end package (web/) is built into dist/web by `npm start` and `npm test`;
 * its hashed assets are cached for a year, the HTML never. The customer pages (/q, /j, /v,
 * /enquire) are public; every piece of data they show comes from the token-checked API.
 */
export async function webRoutes(app: App) {
  // no-referrer: a customer page's URL carries its link token, which must not leak to other sites.
  const headers = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };
  const built = existsSync(path.join(WEB_BUILD_DIR, 'index.html'));
  const spa = built ? readFileSync(path.join(WEB_BUILD_DIR, 'index.html'), 'utf8') : null;
  // The contractor app is installable: its pages name the web manifest.
  const appPage = spa?.replace('</head>', `${APP_HEAD}</head>`) ?? null;
  const serveSpa = (page: string | null) => async (_req: unknown, reply: import('fastify').FastifyReply) => {
    if (!page) {
      return reply
        .status(503)
        .headers(headers)
        .send(
          '<!doctype html><title>Handy</title><p>The screens are not built yet: run <code>npm run build:web</code> (npm start does it).</p>',
        );
    }
    return reply.headers(headers).send(page);
  };
  // The pages a customer pays on also allow Stripe.js (card payments) in their CSP.
  const payingPages = new Set(['/q', '/j']);
  for (const prefix of SPA_PREFIXES) {
    const page = prefix === '/app' ? appPage : spa;
    const options = {
      schema: { hide: true },
      config: { access: 'public' as const, ...(payingPages.has(prefix) ? { csp: STRIPE_CSP } : {}) },
    };
    app.get(prefix, options, serveSpa(page));
    app.get(`${prefix}/*`, options, serveSpa(page));
  }
  if (built) {
    const worker = serviceWorkerSource(WEB_BUILD_DIR);
    // Served from /app/ with Service-Worker-Allowed so its scope can be "/app" (the bare /app page included).
    app.get('/app/sw.js', { schema: { hide: true }, config: { access: 'public' } }, async (_req, reply) =>
      reply
        .headers({ 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache', 'service-worker-allowed': '/app' })
        .send(worker),
    );
  }
  if (built) {
    await app.register(fastifyStatic, {
      root: WEB_BUILD_DIR,
      prefix: '/',
      index: false,
      wildcard: false,
      // Vite puts a content hash in every asset name, so an asset never changes under its URL.
      setHeaders: (reply, file) => {
        void reply.header(
          'cache-control',
          file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
}
