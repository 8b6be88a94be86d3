import type { FastifyInstance } from 'fastify';

/**
 * Stops taking requests and lets the ones in flight finish, for at most `budgetMs`. Fastify's
 * close stops listening, answers requests arriving on kept-alive connections with 503, closes
 * idle connections and runs the preClose hooks (which end the SSE streams); connections still
 * busy when the budget runs out are cut so shutdown always ends.
 */
export async function closeGracefully(app: FastifyInstance, budgetMs: number, log: { warn: (m: string) => void }): Promise<void> {
  const timer = setTimeout(() => {
    log.warn(`requests still running after ${budgetMs} ms; closing their connections`);
    app.server.closeAllConnections();
  }, budgetMs);
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
}
