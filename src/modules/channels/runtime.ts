import { randomBytes } from 'node:crypto';
import type { Api } from 'grammy';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { databaseSink } from './embedded/capture.js';
import { startSmtpCapture, type SmtpCapture } from './embedded/smtp-capture.js';
import { startTelegramStandIn, type TelegramStandIn } from './embedded/telegram-standin.js';
import { startTwilioStandIn, type TwilioStandIn } from './embedded/twilio-standin.js';
import { smtpProvider } from './providers/email.js';
import { telegramApi, telegramProvider } from './providers/telegram.js';
import { twilioProvider, type TwilioSettings } from './providers/twilio.js';
import type { Providers } from './providers/types.js';

export type ChannelSettings = {
  smtpUrl: string | null;
  twilio: TwilioSettings | null;
  telegram: { token: string; apiRoot: string | null; secret: string } | null;
};

/** The providers as the configuration names them (null where a channel is not configured). */
export function settingsFromConfig(config: Config): ChannelSettings {
  const twilio: TwilioSettings | null =
    config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN
      ? {
          accountSid: config.TWILIO_ACCOUNT_SID,
          authToken: config.TWILIO_AUTH_TOKEN,
          apiBase: config.TWILIO_API_BASE ?? null,
          smsFrom: config.TWILIO_SMS_FROM ?? '+447700900000',
          whatsappFrom: config.TWILIO_WHATSAPP_FROM ?? config.TWILIO_SMS_FROM ?? '+447700900000',
          whatsappTemplates: config.whatsappTemplates,
          statusCallbackUrl: `${config.publicBaseUrl}/api/webhooks/twilio/status`,
        }
      : null;
  const telegram =
    config.TELEGRAM_BOT_TOKEN && config.TELEGRAM_WEBHOOK_SECRET
      ? { token: config.TELEGRAM_BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT ?? null, secret: config.TELEGRAM_WEBHOOK_SECRET }
      : null;
  return { smtpUrl: config.SMTP_URL ?? null, twilio, telegram };
}

export type ChannelsRuntime = {
  settings: ChannelSettings;
  providers: Providers;
  telegramApi: Api | null;
  embedded: { smtp: SmtpCapture | null; twilio: TwilioStandIn | null; telegram: TelegramStandIn | null };
  close: () => Promise<void>;
};

/** The provider clients for the settings (real clients; the embedded ones point at local stand-ins). */
export function buildProviders(config: Config, s: ChannelSettings): { providers: Providers; telegramApi: Api | null } {
  const providers: Providers = {};
  if (s.smtpUrl) providers.email = smtpProvider(s.smtpUrl, config.MAIL_FROM);
  if (s.twilio) providers.sms = providers.whatsapp = twilioProvider(s.twilio);
  const api = s.telegram ? telegramApi({ token: s.telegram.token, apiRoot: s.telegram.apiRoot }) : null;
  if (api) providers.telegram = telegramProvider(api);
  return { providers, telegramApi: api };
}

/**
 * Every channel, for real: each configured provider, and for each one that is not, an embedded
 * stand-in on 127.0.0.1 (an SMTP server, a Twilio REST stand-in, a Bot API stand-in) that stores
 * what it receives for the "Messages" view. The same real client libraries send either way.
 */
export async function startChannels(config: Config, db: Db, log: { info: (o: object, m?: string) => void }): Promise<ChannelsRuntime> {
  const sink = databaseSink(db);
  const s = settingsFromConfig(config);
  const embedded: ChannelsRuntime['embedded'] = { smtp: null, twilio: null, telegram: null };
  if (!s.smtpUrl) {
    embedded.smtp = await startSmtpCapture(sink, config.EMBEDDED_SMTP_PORT);
    s.smtpUrl = embedded.smtp.url;
  }
  if (!s.twilio) {
    embedded.twilio = await startTwilioStandIn(sink, { statusCallbacks: true });
    s.twilio = {
      accountSid: embedded.twilio.accountSid,
      authToken: embedded.twilio.authToken,
      apiBase: embedded.twilio.url,
      smsFrom: '+447700900000',
      whatsappFrom: '+447700900000',
      whatsappTemplates: config.whatsappTemplates,
      statusCallbackUrl: `${config.publicBaseUrl}/api/webhooks/twilio/status`,
    };
  }
  if (!s.telegram) {
    embedded.telegram = await startTelegramStandIn(sink);
    s.telegram = { token: embedded.telegram.token, apiRoot: embedded.telegram.url, secret: randomBytes(24).toString('base64url') };
  }
  log.info(
    {
      email: embedded.smtp ? `embedded ${embedded.smtp.url}` : 'SMTP_URL',
      sms_whatsapp: embedded.twilio ? `embedded ${embedded.twilio.url}` : 'Twilio',
      telegram: embedded.telegram ? `embedded ${embedded.telegram.url}` : 'Telegram',
    },
    'message channels',
  );
  const { providers, telegramApi: api } = buildProviders(config, s);
  return {
    settings: s,
    providers,
    telegramApi: api,
    embedded,
    close: async () => {
      await Promise.all(Object.values(providers).map((p) => p.close?.()));
      await embedded.smtp?.close();
      await embedded.twilio?.close();
      await embedded.telegram?.close();
    },
  };
}
