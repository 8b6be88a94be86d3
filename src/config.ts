import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { SPEC_WEIGHTS, type ScoreWeights } from './modules/matching/index.js';

/**
 * Every environment variable the product reads, validated once at start-up.
 * A bad value stops the process with a list of what is wrong: nothing runs on a guess.
 */
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24h)');
const window = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM-HH:MM')
  .refine((v) => v.slice(0, 5) < v.slice(6), 'window must end after it starts');
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const WEIGHT_NAMES = {
  skill_qualified: 'skillQualified',
  skill_expert_asked: 'skillExpertAsked',
  skill_expert_unasked: 'skillExpertUnasked',
  skill_per_task: 'skillPerTask',
  skill_tasks_cap: 'skillTasksCap',
  proximity: 'proximity',
  proximity_per_mile: 'proximityPerMile',
  performance: 'performance',
  reliability: 'reliability',
  workload: 'workload',
  recency: 'recency',
  specialization: 'specialization',
} as const satisfies Record<string, keyof ScoreWeights>;
const WEIGHT_PAIR = `(${Object.keys(WEIGHT_NAMES).join('|')})\\s*=\\s*\\d+(\\.\\d+)?`;

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** HTTP port; 0 picks a free one. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to listen on. `localhost` listens on both 127.0.0.1 and ::1. */
  HOST: z.string().min(1).default('localhost'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** External PostgreSQL. When unset, an embedded server is started under DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /** Where the embedded database (and later uploads) live. */
  DATA_DIR: z.string().min(1).default('.data'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  DB_POOL_MAX: z.coerce.number().int().min(2).max(500).default(20),
  /**
   * HTTP server processes on this machine (Node cluster), all on one PostgreSQL; 1 runs a single
   * process. Default: one per CPU, at most 4 (each holds DB_POOL_MAX connections).
   */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(Math.min(availableParallelism(), 4)),
  /** On SIGTERM/SIGINT: how long in-flight requests (and then workers) get to finish. */
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(10),
  /** Live offer streams (SSE) one signed-in user may hold open; the oldest is closed beyond it. */
  SSE_MAX_STREAMS_PER_USER: z.coerce.number().int().min(1).max(100).default(3),
  /** How often an open stream re-checks that its session is still signed in. */
  SSE_SESSION_CHECK_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),

  BUSINESS_TIME_ZONE: z.string().min(1).default('Europe/London'),
  SLOT_AM: window.default('08:00-12:00'),
  SLOT_PM: window.default('13:00-17:00'),
  /** Days ahead a customer may book (from tomorrow). */
  BOOKING_WINDOW_DAYS: z.coerce.number().int().min(1).max(365).default(28),
  /** Same-day bookings are off unless enabled; then only before the cut-off (local time). */
  SAME_DAY_BOOKING: bool.default(false),
  SAME_DAY_CUTOFF: clock.default('10:00'),
  HOLD_TTL_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
  /**
   * A hold reuses the ranking of the same job spec and slot computed this recently (by this
   * process), minus whoever is claimed now; 0 ranks every hold afresh. Never decides a race.
   */
  HOLD_RANKING_REUSE_MS: z.coerce.number().int().min(0).max(60_000).default(2000),

  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 7),
  /** `auto` marks cookies Secure whenever the request arrived over HTTPS. */
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  /** A session unused for this long ends (the absolute lifetime is SESSION_TTL_HOURS). */
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 30)
    .default(480),
  /**
   * Behind a reverse proxy: `true` (trust X-Forwarded-*), a hop count, or a comma-separated list
   * of proxy addresses/CIDRs. Decides the client IP (rate limits) and whether the request was HTTPS
   * (HSTS, Secure cookies). `false`: the socket is the client.
   */
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d+|[0-9a-fA-F.:/,\s]+)$/, 'true, false, a hop count or proxy addresses')
    .default('false'),
  /** Serve /docs and /openapi.json; default on, except in production. */
  API_DOCS: bool.optional(),
  /** Wrong passwords per account (and per client IP) within LOGIN_WINDOW_SECONDS before sign-in answers 429. */
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).max(1000).default(10),
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).max(100000).default(50),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86400).default(60),
  /** The first lock-out lasts this long and doubles with each further lock-out within a day (capped at LOGIN_MAX_BLOCK_SECONDS). */
  LOGIN_BLOCK_SECONDS: z.coerce.number().int().min(1).max(86400).default(60),
  LOGIN_MAX_BLOCK_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 86400)
    .default(3600),
  /** New passwords: at least this many characters, and a zxcvbn score (0-4) of at least PASSWORD_MIN_SCORE. */
  PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(128).default(12),
  PASSWORD_MIN_SCORE: z.coerce.number().int().min(0).max(4).default(3),
  /** Name shown in authenticator apps for staff TOTP. */
  TOTP_ISSUER: z.string().min(1).max(60).default('Handy'),
  /** Customer one-time codes (cancel/reschedule by link): lifetime, wrong tries per code, codes sent per link per hour. */
  CUSTOMER_CODE_TTL_MINUTES: z.coerce.number().int().min(1).max(120).default(10),
  CUSTOMER_CODE_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  CUSTOMER_CODES_PER_HOUR: z.coerce.number().int().min(1).max(100).default(3),
  /**
   * Server secret: quote and video link tokens are derived from it (only their SHA-256 is stored) and staff TOTP secrets are encrypted with it.
   * Unset: generated once and kept in DATA_DIR/app-secret (required in production with DATABASE_URL).
   */
  APP_SECRET: z.string().min(32).optional(),
  /**
   * The app's own least-privilege connection (DML only). Unset with the embedded database: the
   * role DB_APP_ROLE is created and used automatically; with DATABASE_URL and no
   * DATABASE_APP_URL the app uses DATABASE_URL for everything.
   */
  DATABASE_APP_URL: z.string().url().optional(),
  DB_APP_ROLE: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case role name')
    .default('handy_app'),

  /** Contractors created by the demo data on first start. */
  DEMO_CONTRACTORS: z.coerce.number().int().min(0).max(20000).default(60),
  /** Password of the demo staff and contractor accounts. Required to seed demo data in production. */
  DEMO_PASSWORD: z.string().min(8).optional(),
  /** Skip loading demo data on first start. */
  SKIP_DEMO_DATA: bool.default(false),
  /** Run the background workers (hold sweeper) in this process. */
  RUN_WORKERS: bool.default(true),
  /** Base of links put in messages to customers (quote links, video upload links). */
  PUBLIC_BASE_URL: z.string().url().optional(),

  /** A SKU detection at or above this confidence counts as confident (lead -> sku_detected). */
  SKU_CONFIDENT_THRESHOLD: z.coerce.number().int().min(1).max(100).default(80),
  /** A confident detection produces a quote with no human, in this style, and sends it. */
  AUTO_QUOTE: bool.default(true),
  AUTO_QUOTE_STYLE: z.enum(['fixed', 'fixed_optionals', 'hhh']).default('hhh'),
  AUTO_SEND_QUOTES: bool.default(true),
  QUOTE_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(72),
  DEFAULT_DEPOSIT_PERCENT: z.coerce.number().int().min(0).max(100).default(20),
  /** Public web enquiries per client IP per minute. */
  WEB_LEAD_RATE_LIMIT: z.coerce.number().int().min(1).max(10000).default(10),
  /** Public web enquiries per contact (email or phone) per day. */
  WEB_LEAD_PER_CONTACT_PER_DAY: z.coerce.number().int().min(1).max(10000).default(5),
  /** Customer uploads (receipts, videos) per client IP per hour. */
  UPLOADS_PER_IP_PER_HOUR: z.coerce.number().int().min(1).max(100000).default(30),
  /** Quote emails sent to one address per day (more are kept back, nothing else changes). */
  QUOTE_EMAILS_PER_ADDRESS_PER_DAY: z.coerce.number().int().min(1).max(10000).default(5),
  /** Hours a lead may sit untouched in a state before it expires (`state=hours`, comma separated). */
  LEAD_EXPIRY_HOURS: z
    .string()
    .regex(
      /^(\s*(video_requested|quote_sent|quote_viewed)=\d+\s*)(,\s*(video_requested|quote_sent|quote_viewed)=\d+\s*)*$/,
      'expected state=hours,...',
    )
    .default('video_requested=72,quote_sent=96,quote_viewed=96'),

  /** Uploaded videos and their frames; default DATA_DIR/uploads. */
  UPLOAD_DIR: z.string().min(1).optional(),
  VIDEO_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(2 * 1024 ** 3)
    .default(200 * 1024 ** 2),
  /** ffmpeg/ffprobe limits: wall-clock seconds per run, largest frame (pixels), decoder threads. */
  MEDIA_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  VIDEO_MAX_PIXELS: z.coerce
    .number()
    .int()
    .min(64 * 64)
    .max(8192 * 8192)
    .default(3840 * 2160),
  MEDIA_THREADS: z.coerce.number().int().min(1).max(16).default(1),
  /** Video scoring: auto-quote when the quotable score and every SKU confidence clear these. */
  VIDEO_QUOTABLE_THRESHOLD: z.coerce.number().int().min(0).max(100).default(70),
  VIDEO_SKU_CONFIDENCE_THRESHOLD: z.coerce.number().int().min(0).max(100).default(75),
  /** Speech-to-text service for videos without a transcript (POSTs the audio; see README). */
  ASR_URL: z.string().url().optional(),
  ASR_API_KEY: z.string().min(1).optional(),

  /** Urgent dispatch: targeted offers to the top N, each for OFFER_TTL_SECONDS, then one broadcast. */
  TARGETED_OFFERS: z.coerce.number().int().min(1).max(20).default(3),
  OFFER_TTL_SECONDS: z.coerce.number().int().min(10).max(3600).default(120),
  BROADCAST_TTL_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  WAITLIST_TTL_HOURS: z.coerce.number().int().min(1).max(720).default(24),

  /** Stripe (test or live keys). Without a secret key card checkout is off and bank transfer works. */
  STRIPE_SECRET_KEY: z.string().startsWith('sk_').optional(),
  STRIPE_PUBLISHABLE_KEY: z.string().startsWith('pk_').optional(),
  STRIPE_WEBHOOK_SECRET: z.string().startsWith('whsec_').optional(),
  /** Where the Stripe SDK sends requests (default Stripe's API); tests point it at a local server. */
  STRIPE_API_BASE: z.string().url().optional(),
  RECEIPT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 ** 2)
    .default(10 * 1024 ** 2),
  /** Receipts not approved or rejected within this many hours are escalated to admins. */
  RECEIPT_REVIEW_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  /** Bank transfer: hours the customer has to upload the receipt before the booking is cancelled and the slot freed. */
  RECEIPT_UPLOAD_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  /** A reminder goes to the customer this many hours before the receipt deadline. */
  RECEIPT_REMINDER_HOURS_BEFORE: z.coerce.number().int().min(0).max(720).default(6),
  /** Shown to customers paying by bank transfer. */
  BANK_ACCOUNT_NAME: z.string().min(1).default('Handy Ltd'),
  BANK_SORT_CODE: z
    .string()
    .regex(/^\d{2}-\d{2}-\d{2}$/, 'expected 12-34-56')
    .default('04-00-04'),
  BANK_ACCOUNT_NUMBER: z
    .string()
    .regex(/^\d{8}$/, 'expected 8 digits')
    .default('12345678'),
  /** Per customer link (one job): live holds across all its sessions; a further hold releases the oldest. */
  LINK_MAX_HOLDS: z.coerce.number().int().min(1).max(50).default(2),
  /** Per customer link: live waitlist entries (one more is 429). */
  LINK_MAX_WAITLIST: z.coerce.number().int().min(1).max(50).default(3),
  /** Hold requests per client IP per minute (429 beyond). */
  HOLD_RATE_LIMIT: z.coerce.number().int().min(1).max(100000).default(30),
  /** Customer uploads (receipts, videos) per client IP per minute. */
  UPLOAD_RATE_LIMIT: z.coerce.number().int().min(1).max(100000).default(10),
  /** A customer cancelling at least this long before the slot gets the deposit back; later, nothing. */
  REFUND_FULL_HOURS_BEFORE: z.coerce.number().int().min(0).max(720).default(48),
  /** Idempotency keys are kept at least this long. */
  IDEMPOTENCY_TTL_HOURS: z.coerce.number().int().min(24).max(720).default(48),

  /** Email: an SMTP URL (smtp[s]://user:pass@host:port). Unset = the embedded SMTP server, captured in the database. */
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().min(3).default('Handy <hello@handy.local>'),
  /** Port of the embedded SMTP server when SMTP_URL is unset (0 = any free port). */
  EMBEDDED_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** SMS and WhatsApp through Twilio. Unset = a local Twilio stand-in, captured in the database. */
  TWILIO_ACCOUNT_SID: z.string().startsWith('AC').optional(),
  TWILIO_AUTH_TOKEN: z.string().min(8).optional(),
  TWILIO_SMS_FROM: z.string().min(3).optional(),
  TWILIO_WHATSAPP_FROM: z.string().min(3).optional(),
  /** Where the twilio SDK sends REST calls (default Twilio's API); tests point it at a local server. */
  TWILIO_API_BASE: z.string().url().optional(),
  /** Approved WhatsApp templates (Content SIDs) for sends outside the 24-hour window: `type=HX...,default=HX...`. */
  TWILIO_WHATSAPP_TEMPLATES: z
    .string()
    .regex(/^(\s*[a-z_]+=HX[0-9a-fA-F]+\s*)(,\s*[a-z_]+=HX[0-9a-fA-F]+\s*)*$/, 'expected type=HX...,...')
    .optional(),
  /** Telegram bot (grammY). Unset = a local Bot API stand-in, captured in the database. */
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[\w-]{20,}$/, 'expected a BotFather token')
    .optional(),
  /** Telegram's secret_token for the webhook (X-Telegram-Bot-Api-Secret-Token); required with a real bot. */
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[\w-]{16,256}$/, 'expected 16-256 of A-Z a-z 0-9 _ -')
    .optional(),
  /** Where grammY sends Bot API calls (default Telegram's); tests point it at a local server. */
  TELEGRAM_API_ROOT: z.string().url().optional(),
  /** Staff alerts go to this address (and to the Telegram chat when set). */
  STAFF_ALERT_EMAIL: z.string().email().default('staff-alerts@handy.local'),
  STAFF_TELEGRAM_CHAT_ID: z
    .string()
    .regex(/^-?\d+$/)
    .optional(),
  /** Delivery: attempts per message, first retry delay, and its growth per attempt (about 24 h in all by default). */
  MESSAGE_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(8),
  MESSAGE_RETRY_BASE_SECONDS: z.coerce.number().min(0.01).max(86400).default(30),
  MESSAGE_RETRY_FACTOR: z.coerce.number().min(1).max(10).default(3.5),
  /** Channels tried in order when a person has no preference, or their preferred channel fails. */
  MESSAGE_FALLBACK_ORDER: z
    .string()
    .regex(/^(email|sms|whatsapp|telegram)(,(email|sms|whatsapp|telegram))*$/, 'expected channels, comma separated')
    .default('email,whatsapp,sms,telegram'),
  /** Enquiries by phone, WhatsApp or Telegram that name no postcode are placed here until the customer gives one. */
  INBOUND_DEFAULT_POSTCODE: z.string().trim().min(2).max(10).default('SW1A 1AA'),
  /** Local time of day the day-before reminders go out. */
  DAY_BEFORE_REMINDER_AT: clock.default('17:00'),

  /**
   * Matching points, `name=points` comma separated, overriding SPEC's (see docs/DISPATCH.md):
   * skill_qualified, skill_expert_asked, skill_expert_unasked, skill_per_task, skill_tasks_cap,
   * proximity, proximity_per_mile, performance, reliability, workload, recency, specialization.
   */
  MATCH_WEIGHTS: z
    .string()
    .regex(new RegExp(`^\\s*(${WEIGHT_PAIR}(\\s*,\\s*${WEIGHT_PAIR})*)?\\s*$`), 'expected name=points,... with known names')
    .default(''),

  ESTIMATOR_REMINDER_MINUTES: z.coerce.number().int().min(1).max(10080).default(30),
  ESTIMATOR_ESCALATION_MINUTES: z.coerce.number().int().min(1).max(10080).default(60),

  /** Crew jobs: an unpaid place lapses after this long; a reminder goes this long before it does. */
  CREW_RESERVATION_TTL_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  CREW_REMINDER_MINUTES_BEFORE: z.coerce.number().int().min(0).max(1440).default(10),
  /** The contractors' channel crew jobs are posted to (-100... id or @name); the bot must be an admin there. */
  TELEGRAM_CREW_CHANNEL_ID: z
    .string()
    .regex(/^(-?\d+|@\w{5,})$/, 'expected a chat id or @channelname')
    .optional(),
  TELEGRAM_LINK_CODE_TTL_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),

  /** Contractor app: one-time sign-in codes and job photos. */
  LOGIN_CODE_TTL_MINUTES: z.coerce.number().int().min(1).max(60).default(10),
  LOGIN_CODE_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  LOGIN_CODE_PER_CONTACT: z.coerce.number().int().min(1).max(100).default(3),
  LOGIN_CODE_PER_IP: z.coerce.number().int().min(1).max(10000).default(20),
  JOB_PHOTO_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 ** 2)
    .default(10 * 1024 ** 2),
});

export type Config = z.infer<typeof envSchema> & {
  slots: { am: SlotWindow; pm: SlotWindow };
  leadExpiryHours: Partial<Record<'video_requested' | 'quote_sent' | 'quote_viewed', number>>;
  /** SPEC's matching points with MATCH_WEIGHTS applied. */
  scoreWeights: ScoreWeights;
  publicBaseUrl: string;
  uploadDir: string;
  whatsappTemplates: Record<string, string>;
  fallbackOrder: ('email' | 'sms' | 'whatsapp' | 'telegram')[];

  /** Whether /docs and /openapi.json are served. */
  apiDocs: boolean;
  /** Fastify's trustProxy value. */
  trustProxy: boolean | string[] | ((address: string, hop: number) => boolean);
};
export type SlotWindow = { start: string; end: string };

function splitWindow(v: string): SlotWindow {
  return { start: v.slice(0, 5), end: v.slice(6) };
}

function parseTrustProxy(v: string): Config['trustProxy'] {
  if (v === 'true' || v === 'false') return v === 'true';
  // A hop count: trust that many proxies in front of us.
  if (/^\d+$/.test(v)) return (_address, hop) => hop < Number(v);
  return v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  if (c.SLOT_AM.slice(6) > c.SLOT_PM.slice(0, 5)) {
    throw new Error('Invalid configuration:\n  SLOT_AM must end before SLOT_PM starts');
  }
  // A half-configured provider would silently fall back to the embedded stand-in: refuse it instead.
  if (Boolean(c.TWILIO_ACCOUNT_SID) !== Boolean(c.TWILIO_AUTH_TOKEN)) {
    throw new Error('Invalid configuration:\n  TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN go together');
  }
  if (c.TWILIO_ACCOUNT_SID && !c.TWILIO_SMS_FROM)
    throw new Error('Invalid configuration:\n  TWILIO_SMS_FROM is required with TWILIO_ACCOUNT_SID');
  if (c.TELEGRAM_BOT_TOKEN && !c.TELEGRAM_WEBHOOK_SECRET)
    throw new Error('Invalid configuration:\n  TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_BOT_TOKEN');
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: c.BUSINESS_TIME_ZONE });
  } catch {
    throw new Error(`Invalid configuration:\n  BUSINESS_TIME_ZONE: unknown zone ${c.BUSINESS_TIME_ZONE}`);
  }
  const leadExpiryHours = Object.fromEntries(
    c.LEAD_EXPIRY_HOURS.split(',').map((pair) => {
      const [state, hours] = pair.split('=');
      return [state!.trim(), Number(hours)];
    }),
  );
  const scoreWeights = { ...SPEC_WEIGHTS };
  for (const pair of c.MATCH_WEIGHTS.split(',').filter((p) => p.trim())) {
    const [name, points] = pair.split('=').map((x) => x.trim());
    scoreWeights[WEIGHT_NAMES[name as keyof typeof WEIGHT_NAMES]] = Number(points);
  }
  return {
    ...c,
    scoreWeights,
    slots: { am: splitWindow(c.SLOT_AM), pm: splitWindow(c.SLOT_PM) },
    leadExpiryHours,
    uploadDir: c.UPLOAD_DIR ?? `${c.DATA_DIR}/uploads`,
    whatsappTemplates: Object.fromEntries(
      (c.TWILIO_WHATSAPP_TEMPLATES ?? '')
        .split(',')
        .filter(Boolean)
        .map((p) => p.trim().split('=') as [string, string]),
    ),
    fallbackOrder: c.MESSAGE_FALLBACK_ORDER.split(',') as Config['fallbackOrder'],

    apiDocs: c.API_DOCS ?? c.NODE_ENV !== 'production',
    trustProxy: parseTrustProxy(c.TRUST_PROXY),
    publicBaseUrl: (c.PUBLIC_BASE_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, ''),
  };
}
