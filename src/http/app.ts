import Fastify, { type FastifyInstance, type FastifyBaseLogger, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { registerAuth } from './auth.js';
import { errorHandler } from './error-handler.js';
import { AppError } from './errors.js';
import { authRoutes } from '../modules/auth/routes.js';
import { catalogRoutes } from '../modules/catalog/routes.js';
import { contractorRoutes } from '../modules/contractors/routes.js';
import { contractorSelfRoutes } from '../modules/contractors/self-routes.js';
import { jobRoutes } from '../modules/jobs/routes.js';
import { availabilityRoutes } from '../modules/availability/routes.js';
import { matchingRoutes } from '../modules/matching/routes.js';
import { bookingRoutes } from '../modules/bookings/routes.js';
import { customerRoutes } from '../modules/bookings/customer-routes.js';
import { leadRoutes } from '../modules/leads/routes.js';
import { quoteRoutes } from '../modules/quotes/routes.js';
import { customerQuoteRoutes } from '../modules/quotes/customer-routes.js';
import { estimatorRoutes } from '../modules/estimator/routes.js';
import { intakeRoutes } from '../modules/intake/routes.js';
import { dispatchRoutes } from '../modules/dispatch/routes.js';
import { customerLinkRoutes } from '../modules/customer/link-routes.js';
import { paymentRoutes } from '../modules/payments/routes.js';
import { stripeGateway, type PaymentGateway } from '../modules/payments/gateway.js';
import { webRoutes } from '../web/routes.js';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';

export type AppContext = {
  db: Db;
  /** For the LISTEN connection that carries offer events between processes. */
  databaseUrl: string;
  config: Config;
  /** The clock every rule reads; tests inject their own. */
  now: () => Date;
  /** The job queue, for work to start right after a request (its scheduled sweeps catch up otherwise). */
  queue?: { send: (name: string, data: object, options?: { startAfter?: Date }) => Promise<unknown> };
  /** The card processor; by default Stripe from the configuration (null when not configured). */
  gateway?: PaymentGateway | null;
};

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

export async function buildApp(given: AppContext, opts: { logger?: FastifyBaseLogger } = {}): Promise<App> {
  const ctx: AppContext = { ...given, gateway: given.gateway === undefined ? stripeGateway(given.config) : given.gateway };
  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: false }),
    // Client-visible ids are uuids; keep the default request id but expose it for support.
    requestIdHeader: 'x-request-id',
    ajv: { customOptions: { coerceTypes: false } },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: { code: 'NOT_FOUND', message: `No route ${req.method} ${req.url}`, details: null } });
  });

  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: ctx.config.VIDEO_MAX_BYTES, files: 1, fields: 5, fieldSize: 64 * 1024 } });
  // Only routes that opt in (config.rateLimit) are limited: the public enquiry form.
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, c) =>
      new AppError(429, 'RATE_LIMITED', `Too many requests; try again in ${Math.ceil(c.ttl / 1000)} s`, { retryAfterSeconds: Math.ceil(c.ttl / 1000) }),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Handy API',
        version: '0.1.0',
        description:
          'Booking, scheduling and dispatch for a UK handyman business. Money is integer pence; dates are ' +
          'Europe/London calendar dates; a slot is `am` or `pm`. Errors are `{error:{code,message,details}}`. ' +
          'Each operation lists the roles that may call it (`x-roles`).',
      },
      components: {
        securitySchemes: {
          sessionCookie: { type: 'apiKey', in: 'cookie', name: 'handy_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  registerAuth(app, ctx);

  app.get('/health', { schema: { hide: true }, config: { access: 'public' } }, async (_req, reply) => {
    try {
      await ctx.db.execute(sql`select 1`);
      return { status: 'ok' };
    } catch {
      return reply.status(503).send({ error: { code: 'DB_UNAVAILABLE', message: 'Database is not answering', details: null } });
    }
  });
  await webRoutes(app as App);
  app.get('/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () => app.swagger());

  await app.register(
    async (api) => {
      authRoutes(api as App, ctx);
      catalogRoutes(api as App, ctx);
      contractorRoutes(api as App, ctx);
      contractorSelfRoutes(api as App, ctx);
      jobRoutes(api as App, ctx);
      availabilityRoutes(api as App, ctx);
      matchingRoutes(api as App, ctx);
      bookingRoutes(api as App, ctx);
      customerRoutes(api as App, ctx);
      leadRoutes(api as App, ctx);
      quoteRoutes(api as App, ctx);
      customerQuoteRoutes(api as App, ctx);
      estimatorRoutes(api as App, ctx);
      intakeRoutes(api as App, ctx);
      dispatchRoutes(api as App, ctx);
      customerLinkRoutes(api as App, ctx);
      paymentRoutes(api as App, ctx);
    },
    { prefix: '/api' },
  );

  await app.ready();
  return app;
}
