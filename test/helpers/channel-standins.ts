import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { databaseSink, type CaptureSink } from '../../src/modules/channels/embedded/capture.js';
import { startSmtpCapture, type SmtpCapture } from '../../src/modules/channels/embedded/smtp-capture.js';
import { startTelegramStandIn, type TelegramStandIn } from '../../src/modules/channels/embedded/telegram-standin.js';
import { startTwilioStandIn, type TwilioStandIn } from '../../src/modules/channels/embedded/twilio-standin.js';
import { buildProviders, settingsFromConfig } from '../../src/modules/channels/runtime.js';
import { deliverDue } from '../../src/modules/notifications/deliver-messages.js';
import type { Harness } from './harness.js';
import type { TestDatabase } from './db.js';

export const TELEGRAM_SECRET = 'telegram-test-secret-0123456789';

export type StandIns = {
  smtp: SmtpCapture;
  twilio: TwilioStandIn;
  telegram: TelegramStandIn;
  asr: { url: string; text: string; calls: number; close: () => Promise<void> };
  env: Record<string, string>;
  close: () => Promise<void>;
};

/** A speech-to-text stand-in: answers every WAV with the text set on it. */
async function startAsr() {
  const state = { url: '', text: '', calls: 0, close: async () => {} };
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      state.calls++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ text: state.text }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/asr`;
  state.close = () => new Promise((r) => server.close(() => r()));
  return state;
}

/** The real SMTP server, a Twilio REST stand-in and a Bot API stand-in on 127.0.0.1, capturing into the database `db()` names. */
export async function startStandIns(db: () => TestDatabase): Promise<StandIns> {
  const sink: CaptureSink = (c) => databaseSink(db().db)(c);
  const smtp = await startSmtpCapture(sink);
  const tw = await startTwilioStandIn(sink, { accountSid: `AC${'1'.repeat(32)}`, authToken: 'twilio-test-auth-token' });
  const tg = await startTelegramStandIn(sink, { token: '123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345' });
  const asr = await startAsr();
  return {
    smtp,
    twilio: tw,
    telegram: tg,
    asr,
    env: {
      SMTP_URL: smtp.url,
      TWILIO_ACCOUNT_SID: tw.accountSid,
      TWILIO_AUTH_TOKEN: tw.authToken,
      TWILIO_API_BASE: tw.url,
      TWILIO_SMS_FROM: '+447700900000',
      TWILIO_WHATSAPP_FROM: '+447700900001',
      TWILIO_WHATSAPP_TEMPLATES: 'default=HX0123456789abcdef0123456789abcdef',
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.url,
      TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
      ASR_URL: asr.url,
      MESSAGE_RETRY_BASE_SECONDS: '30',
      MESSAGE_RETRY_FACTOR: '3.5',
      MESSAGE_MAX_ATTEMPTS: '8',
      STAFF_ALERT_EMAIL: 'ops@handy.test',
    },
    close: async () => {
      await smtp.close();
      await tw.close();
      await tg.close();
      await asr.close();
    },
  };
}

/** Runs the delivery worker's drain once against the harness's clock, with the real provider clients. */
export function drainer(h: Harness) {
  const { providers } = buildProviders(h.config, settingsFromConfig(h.config));
  return () => deliverDue({ db: h.db.db, providers, config: h.config, now: () => h.clock.now, random: () => 0.5 });
}

/** A Twilio webhook body with the signature Twilio would put on it for this URL. */
export function signedTwilio(path: string, params: Record<string, string>, authToken = 'twilio-test-auth-token') {
  const signature = twilio.getExpectedTwilioSignature(authToken, `https://handy.test${path}`, params);
  return {
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    payload: new URLSearchParams(params).toString(),
  };
}
