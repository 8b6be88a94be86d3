import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import type { CaptureSink, StandInMode } from './capture.js';

export type TwilioStandIn = {
  url: string;
  accountSid: string;
  authToken: string;
  mode: StandInMode;
  /** Recordings the voice webhook tests point at: RecordingSid -> WAV bytes. */
  recordings: Map<string, Buffer>;
  /** Media customers "sent" (MediaUrl paths -> bytes), as Twilio serves them to the webhook's reader. */
  media: Map<string, { bytes: Buffer; type: string }>;
  /** Every Messages.json request, as the form fields Twilio would have received. */
  requests: Record<string, string>[];
  close: () => Promise<void>;
};

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let b = '';
    req.on('data', (c: Buffer) => (b += c.toString()));
    req.on('end', () => resolve(b));
  });

/**
 * A local stand-in for Twilio's REST API: the Messages resource (SMS and WhatsApp, with
 * Basic auth checked like Twilio does) and recording downloads. The real `twilio` SDK talks to it.
 * With `statusCallbacks`, it later posts a signed "delivered" callback, as Twilio would.
 */
export async function startTwilioStandIn(
  sink: CaptureSink,
  o: { accountSid?: string; authToken?: string; statusCallbacks?: boolean } = {},
): Promise<TwilioStandIn> {
  const accountSid = o.accountSid ?? `AC${randomBytes(16).toString('hex')}`;
  const authToken = o.authToken ?? randomBytes(16).toString('hex');
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const state: TwilioStandIn = {
    url: '',
    accountSid,
    authToken,
    mode: 'up',
    recordings: new Map(),
    media: new Map(),
    requests: [],
    close: async () => {},
  };

  const json = (res: ServerResponse, status: number, body: object) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '').split('?')[0]!;
      if (req.headers.authorization !== expectedAuth) return json(res, 401, { code: 20003, message: 'Authenticate', status: 401 });
      const item = req.method === 'GET' ? state.media.get(path) : undefined;
      if (item) {
        res.writeHead(200, { 'content-type': item.type });
        return res.end(item.bytes);
      }
      const recording = path.match(/^\/2010-04-01\/Accounts\/[^/]+\/Recordings\/(RE\w+?)(\.wav)?$/);
      if (req.method === 'GET' && recording) {
        const bytes = state.recordings.get(recording[1]!);
        if (!bytes) return json(res, 404, { code: 20404, message: 'not found', status: 404 });
        res.writeHead(200, { 'content-type': 'audio/x-wav' });
        return res.end(bytes);
      }
      if (req.method !== 'POST' || !/^\/2010-04-01\/Accounts\/[^/]+\/Messages\.json$/.test(path))
        return json(res, 404, { code: 20404, message: 'not found', status: 404 });
      const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
      state.requests.push(form);
      if (state.mode === 'down') return json(res, 503, { code: 20500, message: 'Service unavailable', status: 503 });
      if (state.mode === 'reject')
        return json(res, 400, { code: 21211, message: `The 'To' number ${form.To} is not a valid phone number.`, status: 400 });
      const sid = `SM${randomBytes(16).toString('hex')}`;
      const whatsapp = (form.To ?? '').startsWith('whatsapp:');
      await sink({
        channel: whatsapp ? 'whatsapp' : 'sms',
        to: (form.To ?? '').replace(/^whatsapp:/, ''),
        from: (form.From ?? '').replace(/^whatsapp:/, ''),
        text: form.Body ?? (form.ContentVariables ? String(JSON.parse(form.ContentVariables)['1'] ?? '') : null),
        providerId: sid,
        meta: form.ContentSid ? { contentSid: form.ContentSid, contentVariables: form.ContentVariables } : {},
      });
      json(res, 201, {
        sid,
        account_sid: accountSid,
        to: form.To,
        from: form.From,
        body: form.Body ?? null,
        status: 'queued',
        num_segments: '1',
        direction: 'outbound-api',
        date_created: new Date().toUTCString(),
        uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
      });
      if (o.statusCallbacks && form.StatusCallback) {
        const params = { MessageSid: sid, MessageStatus: 'delivered', AccountSid: accountSid, To: form.To ?? '', From: form.From ?? '' };
        const signature = twilio.getExpectedTwilioSignature(authToken, form.StatusCallback, params);
        setTimeout(() => {
          fetch(form.StatusCallback!, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
            body: new URLSearchParams(params),
          }).catch(() => {});
        }, 100);
      }
    })().catch((err: Error) => json(res, 500, { code: 20500, message: err.message, status: 500 }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return state;
}
