import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The CSP a route answers with: BASE_CSP unless it names a wider one (the paying pages: STRIPE_CSP). */
    csp?: Directives;
  }
}

export type Directives = Record<string, string[]>;

/** What every response may load: only our own origin; no inline script or style, no framing. */
export const BASE_CSP: Directives = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  frameSrc: ["'none'"],
};

/** The quote page also runs Stripe.js (card fields live in Stripe's iframes and talk to Stripe's API). */
export const STRIPE_CSP: Directives = {
  ...BASE_CSP,
  scriptSrc: ["'self'", 'https://js.stripe.com'],
  frameSrc: ['https://js.stripe.com', 'https://hooks.stripe.com'],
  connectSrc: ["'self'", 'https://api.stripe.com'],
};

const HSTS = 'max-age=31536000; includeSubDomains';

/** helmet's settings with a given CSP (a route may widen the CSP, e.g. for Stripe, and keeps the rest). */
function helmetOptions(directives: Directives) {
  return {
    contentSecurityPolicy: { useDefaults: false, directives },
    strictTransportSecurity: false,
    frameguard: { action: 'deny' as const },
    referrerPolicy: { policy: 'no-referrer' as const },
    crossOriginEmbedderPolicy: false,
  };
}

/**
 * The headers helmet sets for a CSP, computed once. They depend on nothing in the request, and
 * building them (as @fastify/helmet does, on every request) cost a few percent of a hold's CPU.
 */
export function securityHeadersFor(directives: Directives): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string | number | string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: () => {},
  };
  helmet(helmetOptions(directives))({} as IncomingMessage, res as unknown as ServerResponse, () => {});
  return headers;
}

/**
 * helmet's headers on every response (CSP, nosniff, frame-ancestors 'none' + X-Frame-Options,
 * Referrer-Policy no-referrer, COOP/CORP), and `Cache-Control: no-store` on the API; a route's
 * `config.csp` widens its CSP. HSTS only when the request arrived over TLS (directly or, with
 * TRUST_PROXY, as the proxy says): a plain-HTTP development server must not pin itself to HTTPS.
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  const base = securityHeadersFor(BASE_CSP);
  const widened = new Map<Directives, Record<string, string>>();
  app.addHook('onRequest', async (req, reply) => {
    const csp = req.routeOptions.config.csp;
    let headers = base;
    if (csp) {
      headers = widened.get(csp) ?? securityHeadersFor(csp);
      widened.set(csp, headers);
    }
    void reply.headers(headers);
    // API answers are per person and change (a quote superseded, a slot taken): never served from
    // a cache, not even the browser's heuristic one for a 404 or 410.
    if (req.url.startsWith('/api/')) void reply.header('cache-control', 'no-store');
    if (req.protocol === 'https') void reply.header('strict-transport-security', HSTS);
  });
}
