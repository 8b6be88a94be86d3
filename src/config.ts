import { z } from 'zod';

/**
 * Every environment variable the product reads, validated once at start-up.
 * A bad value stops the process with a list of what is wrong: nothing runs on a guess.
 */
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24h)');
const window = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM-HH:MM')
  .refine((v) => v.slice(0, 5) < v.slice(6), 'window must end after it starts');
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

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

  BUSINESS_TIME_ZONE: z.string().min(1).default('Europe/London'),
  SLOT_AM: window.default('08:00-12:00'),
  SLOT_PM: window.default('13:00-17:00'),
  /** Days ahead a customer may book (from tomorrow). */
  BOOKING_WINDOW_DAYS: z.coerce.number().int().min(1).max(365).default(28),
  /** Same-day bookings are off unless enabled; then only before the cut-off (local time). */
  SAME_DAY_BOOKING: bool.default(false),
  SAME_DAY_CUTOFF: clock.default('10:00'),
  HOLD_TTL_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),

  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 7),
  /** `auto` marks cookies Secure whenever the request arrived over HTTPS. */
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),

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
  QUOTE_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 60).default(72),
  DEFAULT_DEPOSIT_PERCENT: z.coerce.number().int().min(0).max(100).default(20),
  /** Public web enquiries per client IP per minute. */
  WEB_LEAD_RATE_LIMIT: z.coerce.number().int().min(1).max(10000).default(10),
  /** Hours a lead may sit untouched in a state before it expires (`state=hours`, comma separated). */
  LEAD_EXPIRY_HOURS: z
    .string()
    .regex(/^(\s*(video_requested|quote_sent|quote_viewed)=\d+\s*)(,\s*(video_requested|quote_sent|quote_viewed)=\d+\s*)*$/, 'expected state=hours,...')
    .default('video_requested=72,quote_sent=96,quote_viewed=96'),

  /** Uploaded videos and their frames; default DATA_DIR/uploads. */
  UPLOAD_DIR: z.string().min(1).optional(),
  VIDEO_MAX_BYTES: z.coerce.number().int().min(1024).max(2 * 1024 ** 3).default(200 * 1024 ** 2),
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
  RECEIPT_MAX_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 ** 2).default(10 * 1024 ** 2),
  /** Receipts not approved or rejected within this many hours are escalated to admins. */
  RECEIPT_REVIEW_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  /** Bank transfer: hours the customer has to upload the receipt before the booking is cancelled and the slot freed. */
  RECEIPT_UPLOAD_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  /** A reminder goes to the customer this many hours before the receipt deadline. */
  RECEIPT_REMINDER_HOURS_BEFORE: z.coerce.number().int().min(0).max(720).default(6),
  /** Shown to customers paying by bank transfer. */
  BANK_ACCOUNT_NAME: z.string().min(1).default('Handy Ltd'),
  BANK_SORT_CODE: z.string().regex(/^\d{2}-\d{2}-\d{2}$/, 'expected 12-34-56').default('04-00-04'),
  BANK_ACCOUNT_NUMBER: z.string().regex(/^\d{8}$/, 'expected 8 digits').default('12345678'),
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

  ESTIMATOR_REMINDER_MINUTES: z.coerce.number().int().min(1).max(10080).default(30),
  ESTIMATOR_ESCALATION_MINUTES: z.coerce.number().int().min(1).max(10080).default(60),
});

export type Config = z.infer<typeof envSchema> & {
  slots: { am: SlotWindow; pm: SlotWindow };
  leadExpiryHours: Partial<Record<'video_requested' | 'quote_sent' | 'quote_viewed', number>>;
  publicBaseUrl: string;
  uploadDir: string;
};
export type SlotWindow = { start: string; end: string };

function splitWindow(v: string): SlotWindow {
  return { start: v.slice(0, 5), end: v.slice(6) };
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
  return {
    ...c,
    slots: { am: splitWindow(c.SLOT_AM), pm: splitWindow(c.SLOT_PM) },
    leadExpiryHours,
    uploadDir: c.UPLOAD_DIR ?? `${c.DATA_DIR}/uploads`,
    publicBaseUrl: (c.PUBLIC_BASE_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, ''),
  };
}
