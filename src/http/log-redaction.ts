import type { FastifyRequest } from 'fastify';

// A customer link's token is the only credential for that link: it must never reach a log line.
// Paths that carry one, and the segment that holds it.
const TOKEN_PATHS = [
  /^(\/q\/)[^/?#]+/,
  /^(\/v\/)[^/?#]+/,
  /^(\/api\/q\/)[^/?#]+/,
  /^(\/api\/customer\/jobs\/)[^/?#]+/,
  /^(\/api\/customer\/videos\/)[^/?#]+/,
];

/** The URL with link tokens replaced and the query string dropped (it may carry anything). */
export function redactUrl(url: string): string {
  const path = url.split('?')[0]!;
  for (const re of TOKEN_PATHS) if (re.test(path)) return path.replace(re, '$1[redacted]');
  return path;
}

/** pino serializer for Fastify's request logs (replaces Fastify's default, which logs the raw URL). */
export function requestSerializer(req: FastifyRequest) {
  return {
    method: req.method,
    url: redactUrl(req.url),
    host: req.host,
    remoteAddress: req.ip,
  };
}
