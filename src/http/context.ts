import type { Composer, Context } from 'grammy';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { ChannelsRuntime } from '../modules/channels/index.js';
import type { PaymentGateway } from '../modules/payments/index.js';

// What route files need from the app, in a file of its own: routes import these types, app.ts
// imports the routes, and neither imports the other's module back.

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
  /** Whether the job queue is running, for /ready (absent: this process runs no queue). */
  queueRunning?: () => boolean;

  /** Message providers and webhook secrets (embedded stand-ins or real); by default from the configuration. */
  channels?: ChannelsRuntime;
  /** Telegram handlers modules add to the one bot (filled while routes register; the bot is built on first use). */
  telegramComposers?: Composer<Context>[];
};

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;
