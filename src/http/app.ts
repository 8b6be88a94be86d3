import Fastify, { type FastifyInstance, type FastifyBaseLogger } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { pendingMigrations } from '../db/migrate.js';
import { setRetryLog } from '../db/retry.js';
import { registerAuth } from './auth.js';
import type { App, AppContext } from './context.js';
import { errorHandler } from './error-handler.js';
import { AppError } from '../shared/errors.js';
import { registerInputHygiene } from './input-hygiene.js';
import { registerSpoolCleanup } from './spool-upload.js';
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
import { crewRoutes } from '../modules/crew/routes.js';
import { stripeGateway } from '../modules/payments/index.js';
import { webRoutes } from '../web/routes.js';
import { userRoutes } from '../modules/auth/user-routes.js';
import { mfaRoutes } from '../modules/auth/mfa-routes.js';
import { auditRoutes } from '../modules/audit/routes.js';
import { customerCodeRoutes } from '../modules/auth/customer-code-routes.js';
import { useAppSecret, useRandomAppSecretIfUnset } from '../shared/secrets.js';
import { registerSecurityHeaders } from './security-headers.js';
import { registerCsrfGuard } from './csrf.js';
import { registerUploadLimit } from './upload-limit.js';
import { loginCodeRoutes } from '../modules/auth/code-routes.js';
import { contractorJobRoutes } from '../modules/contractor-jobs/routes.js';
import { channelRoutes } from '../modules/channels/routes.js';
import { twilioRoutes } from '../modules/channels/twilio-routes.js';
import { configureMessaging } from '../modules/notifications/index.js';
import { reportRoutes } from '../modules/reports/routes.js';
import { quotePreviewRoute } from '../modules/quotes/preview-route.js';
import { receiptFileRoutes } from '../modules/payments/receipt-file-routes.js';
import { frameRoute } from '../modules/intake/frame-route.js';
import { staffDispatchStreamRoute } from '../modules/dispatch/staff-stream-route.js';

import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';

async function readiness(ctx: AppContext) {
  const checks = { database: 'ok', migrations: 'ok', queue: ctx.queueRunning ? (ctx.queueRunning() ? 'ok' : 'stopped') : 'not run here' };
  try {
    await ctx.db.execute(sql`select 1`);
    const pending = await pendingMigrations(ctx);
    if (pending) checks.migrations = `${pending} pending`;
  } catch (err) {
    checks.database = (err as Error).message || 'unreachable';
    checks.migrations = 'unknown';
  }
  return checks;
}

/** /docs and /openapi.json (off in production unless API_DOCS=true). */
async function registerDocs(app: FastifyInstance): Promise<void> {
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
    // Schemas with a registry id (the error body and its code list) become components, referenced once.
    transformObject: jsonSchemaTransformObject,
  });
  // The docs page sets its own CSP (hashes of its inline bits); framing stays forbidden.
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, transformStaticCSP: (h) => `${h}; frame-ancestors 'none'` });
}

export async function buildApp(given: AppContext, opts: { logger?: FastifyBaseLogger } = {}): Promise<App> {
  if (given.config.APP_SECRET) useAppSecret(given.config.APP_SECRET);
  else useRandomAppSecretIfUnset();
  const ctx: AppContext = {
    ...given,
    gateway: given.gateway === undefined ? stripeGateway(given.config) : given.gateway,
    telegramComposers: given.telegramComposers ?? [],
  };
  configureMessaging(ctx.config);
  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: false }),
    // Client-visible ids are uuids; keep the default request id but expose it for support.
    requestIdHeader: 'x-request-id',
    // Who the client is (rate limits, audit) and whether it came over TLS (HSTS, Secure cookie).
    trustProxy: given.config.trustProxy,
    ajv: { customOptions: { coerceTypes: false } },
    // Refused before routing (a malformed %-escape, a path segment over 100 characters): the same
    // error body as everything else, without echoing the URL back.
    frameworkErrors: (err, req, reply) => {
      err.message = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A part of the URL is too long' : 'The URL is not valid';
      return errorHandler(err, req, reply);
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  if (opts.logger) setRetryLog(opts.logger);
  registerInputHygiene(app);
  registerSpoolCleanup(app);
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: { code: 'NOT_FOUND', message: `No route ${req.method} ${req.url}`, details: null } });
  });

  await app.register(cookie);
  await registerSecurityHeaders(app);
  registerCsrfGuard(app, ctx.config.publicBaseUrl);
  registerUploadLimit(app, ctx.db, ctx.config.UPLOADS_PER_IP_PER_HOUR);
  // The API takes JSON (and multipart for uploads): a text/plain body, which a cross-site form can
  // send without a preflight, is 415.
  app.removeContentTypeParser('text/plain');
  await app.register(multipart, { limits: { fileSize: ctx.config.VIDEO_MAX_BYTES, files: 1, fields: 5, fieldSize: 64 * 1024 } });
  // Only routes that opt in (config.rateLimit) are limited: the public enquiry form.
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, c) =>
      new AppError('RATE_LIMITED', `Too many requests; try again in ${Math.ceil(c.ttl / 1000)} s`, {
        retryAfterSeconds: Math.ceil(c.ttl / 1000),
      }),
  });
  if (ctx.config.apiDocs) await registerDocs(app);

  registerAuth(app, ctx);

  // Liveness: the process answers (a supervisor restarts it when this stops answering).
  app.get('/health', { schema: { hide: true }, config: { access: 'public' } }, async () => ({ status: 'ok' }));
  // Readiness: worth sending traffic to (a load balancer holds traffic back while this is 503).
  app.get('/ready', { schema: { hide: true }, config: { access: 'public' } }, async (_req, reply) => {
    const checks = await readiness(ctx);
    const ready = Object.values(checks).every((v) => v === 'ok' || v === 'not run here');
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
  });
  await webRoutes(app as App);
  if (ctx.config.apiDocs) app.get('/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () => app.swagger());

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
      crewRoutes(api as App, ctx);

      loginCodeRoutes(api as App, ctx);
      contractorJobRoutes(api as App, ctx);

      channelRoutes(api as App, ctx);
      twilioRoutes(api as App, ctx);
      userRoutes(api as App, ctx);
      mfaRoutes(api as App, ctx);
      auditRoutes(api as App, ctx);
      customerCodeRoutes(api as App, ctx);

      // The ops console's read models and helpers.
      reportRoutes(api as App, ctx);
      quotePreviewRoute(api as App, ctx);
      receiptFileRoutes(api as App, ctx);
      frameRoute(api as App, ctx);
      staffDispatchStreamRoute(api as App, ctx);
    },
    { prefix: '/api' },
  );

  await app.ready();
  return app;
}
