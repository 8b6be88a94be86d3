import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

type Directives = Record<string, string[]>;

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
export function helmetOptions(directives: Directives) {
  return {
    contentSecurityPolicy: { useDefaults: false, directives },
    strictTransportSecurity: false,
    frameguard: { action: 'deny' as const },
    referrerPolicy: { policy: 'no-referrer' as const },
    crossOriginEmbedderPolicy: false,
  };
}

/**
 * helmet on every response (CSP, nosniff, frame-ancestors 'none' + X-Frame-Options, Referrer-Policy
 * no-referrer, COOP/CORP). HSTS only when the request arrived over TLS (directly or, with
 * TRUST_PROXY, as the proxy says): a plain-HTTP development server must not pin itself to HTTPS.
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, { global: true, ...helmetOptions(BASE_CSP) });
  app.addHook('onSend', async (req, reply) => {
    if (req.protocol === 'https') void reply.header('strict-transport-security', HSTS);
  });
}
