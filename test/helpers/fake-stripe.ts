import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/**
 * A local HTTP server answering the few Stripe endpoints the product calls, honouring
 * Idempotency-Key like Stripe does. The real `stripe` SDK is pointed at it (host/port/protocol).
 */
export type FakeStripe = {
  url: string;
  intents: Map<string, { id: string; amount: number; metadata: Record<string, string> }>;
  refunds: { id: string; payment_intent: string; amount: number }[];
  failRefunds: boolean;
  /** The app's settings that point the real Stripe SDK at this stand-in. */
  env: Record<string, string>;
  /** Forgets every intent and refund, and refunds succeed again (between tests). */
  reset: () => void;
  close: () => Promise<void>;
  /** A webhook body and its valid signature header, made with the SDK's own test helper. */
  signedEvent: (type: string, intentId: string, eventId?: string) => { payload: string; signature: string };
};

export const WEBHOOK_SECRET = 'whsec_handy_test_secret';

export async function startFakeStripe(): Promise<FakeStripe> {
  const intents = new Map<string, { id: string; amount: number; metadata: Record<string, string> }>();
  const refunds: FakeStripe['refunds'] = [];
  const replay = new Map<string, string>();
  let n = 0;
  const state = { failRefunds: false };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const key = `${req.url}:${req.headers['idempotency-key'] ?? ''}`;
      const send = (status: number, json: object) => {
        const text = JSON.stringify(json);
        if (req.headers['idempotency-key'] && status < 500) replay.set(key, text);
        res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${++n}` });
        res.end(text);
      };
      if (req.headers['idempotency-key'] && replay.has(key)) {
        res.writeHead(200, { 'content-type': 'application/json', 'idempotent-replayed': 'true' });
        return res.end(replay.get(key));
      }
      if (req.method === 'POST' && req.url === '/v1/payment_intents') {
        const id = `pi_test_${++n}`;
        const metadata: Record<string, string> = {};
        for (const [k, v] of form) if (k.startsWith('metadata[')) metadata[k.slice(9, -1)] = v;
        const pi = { id, amount: Number(form.get('amount')), metadata };
        intents.set(id, pi);
        return send(200, {
          id,
          object: 'payment_intent',
          amount: pi.amount,
          currency: form.get('currency'),
          client_secret: `${id}_secret_abc`,
          status: 'requires_payment_method',
          metadata,
        });
      }
      if (req.method === 'POST' && req.url === '/v1/refunds') {
        if (state.failRefunds) return send(500, { error: { type: 'api_error', message: 'refunds are down' } });
        const r = { id: `re_test_${++n}`, payment_intent: form.get('payment_intent')!, amount: Number(form.get('amount')) };
        refunds.push(r);
        return send(200, { ...r, object: 'refund', status: 'succeeded' });
      }
      send(404, { error: { type: 'invalid_request_error', message: `no route ${req.method} ${req.url}` } });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sdk = new Stripe('sk_test_fake');
  let events = 0;
  return {
    url,
    intents,
    refunds,
    get failRefunds() {
      return state.failRefunds;
    },
    set failRefunds(v: boolean) {
      state.failRefunds = v;
    },
    env: {
      STRIPE_SECRET_KEY: 'sk_test_handy',
      STRIPE_PUBLISHABLE_KEY: 'pk_test_handy',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_BASE: url,
    },
    reset() {
      intents.clear();
      refunds.length = 0;
      state.failRefunds = false;
    },
    close: () => new Promise((r) => server.close(() => r())),
    signedEvent(type, intentId, eventId = `evt_test_${++events}`) {
      const payload = JSON.stringify({
        id: eventId,
        object: 'event',
        type,
        data: { object: { id: intentId, object: 'payment_intent', metadata: intents.get(intentId)?.metadata ?? {} } },
      });
      return { payload, signature: sdk.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }) };
    },
  };
}
