import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import { PermanentSendError, type MessageProvider, type SendRequest } from './types.js';

export type TwilioSettings = {
  accountSid: string;
  authToken: string;
  /** Base URL of the REST API (tests and the embedded default: a local stand-in). */
  apiBase: string | null;
  smsFrom: string;
  whatsappFrom: string;
  /** Approved WhatsApp templates (Content SIDs) by message type, `default` for the rest. */
  whatsappTemplates: Record<string, string>;
  /** Where Twilio posts delivery status (the message id is added as ?m=). */
  statusCallbackUrl: string | null;
};

/** The SDK's own HTTP client, with every request sent to another base URL. */
class RebasedRequestClient extends twilio.RequestClient {
  constructor(private readonly base: string) {
    super();
  }
  override request<T>(opts: RequestClient.RequestOptions<T>) {
    return super.request<T>({ ...opts, uri: opts.uri.replace(/^https:\/\/[^/]+/, this.base.replace(/\/$/, '')) });
  }
}

export function twilioClient(s: Pick<TwilioSettings, 'accountSid' | 'authToken' | 'apiBase'>) {
  return twilio(s.accountSid, s.authToken, s.apiBase ? { httpClient: new RebasedRequestClient(s.apiBase) } : {});
}

/** Twilio error codes that mean the number cannot receive this message at all. */
const PERMANENT_CODES = new Set([21211, 21408, 21610, 21612, 21614, 63003, 63016, 63024]);

/**
 * SMS and WhatsApp through the `twilio` SDK. WhatsApp outside the customer's 24-hour window may
 * only carry an approved template: the configured Content SID for the type (or `default`), with
 * the rendered text as its variable. With none configured that is a permanent failure, and the
 * worker falls back to the next channel.
 */
export function twilioProvider(s: TwilioSettings): MessageProvider {
  const client = twilioClient(s);
  return {
    async send(m: SendRequest) {
      const whatsapp = m.channel === 'whatsapp';
      const params: Record<string, string> = {
        to: whatsapp ? `whatsapp:${m.to}` : m.to,
        from: whatsapp ? `whatsapp:${s.whatsappFrom}` : s.smsFrom,
      };
      if (s.statusCallbackUrl) params.statusCallback = `${s.statusCallbackUrl}?m=${m.id}`;
      if (whatsapp && !m.sessionOpen) {
        const template = s.whatsappTemplates[m.type] ?? s.whatsappTemplates.default;
        if (!template) throw new PermanentSendError('WhatsApp outside the 24-hour window needs an approved template; none is configured');
        params.contentSid = template;
        params.contentVariables = JSON.stringify({ 1: m.rendered.text });
      } else {
        params.body = m.rendered.text;
      }
      try {
        const msg = await client.messages.create(params as never);
        return { providerId: msg.sid, status: msg.status };
      } catch (err) {
        const e = err as { status?: number; code?: number; message?: string };
        if ((e.code && PERMANENT_CODES.has(e.code)) || (e.status && e.status >= 400 && e.status < 500 && e.status !== 429)) {
          throw new PermanentSendError(`Twilio ${e.status ?? ''} ${e.code ?? ''}: ${e.message ?? 'refused'}`.trim());
        }
        throw err;
      }
    },
  };
}
