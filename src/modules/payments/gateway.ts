import Stripe from 'stripe';
import type { Config } from '../../config.js';

export type ProviderEvent = { id: string; type: string; data: { object: { id: string; metadata?: Record<string, string> } } };

/** What the product needs from a card processor; the Stripe SDK implements it. */
export interface PaymentGateway {
  readonly publishableKey: string | null;
  createDeposit(p: {
    paymentId: string;
    amountPence: number;
    currency: string;
    description: string;
    metadata: Record<string, string>;
  }): Promise<{ id: string; clientSecret: string }>;
  refund(p: { refundId: string; paymentIntentId: string; amountPence: number }): Promise<{ id: string; status: string }>;
  /** Verifies the signature and parses the event; throws when it does not verify. */
  verifyWebhook(rawBody: Buffer, signature: string): ProviderEvent;
}

export function stripeGateway(config: Config): PaymentGateway | null {
  if (!config.STRIPE_SECRET_KEY) return null;
  const base = config.STRIPE_API_BASE ? new URL(config.STRIPE_API_BASE) : null;
  const stripe = new Stripe(config.STRIPE_SECRET_KEY, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    ...(base
      ? {
          host: base.hostname,
          port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
          protocol: base.protocol.replace(':', '') as 'http' | 'https',
        }
      : {}),
  });
  return {
    publishableKey: config.STRIPE_PUBLISHABLE_KEY ?? null,
    async createDeposit(p) {
      const pi = await stripe.paymentIntents.create(
        {
          amount: p.amountPence,
          currency: p.currency,
          description: p.description,
          metadata: p.metadata,
          automatic_payment_methods: { enabled: true },
        },
        // The payment row's id: a retried call can never create a second PaymentIntent.
        { idempotencyKey: `deposit-${p.paymentId}` },
      );
      return { id: pi.id, clientSecret: pi.client_secret ?? '' };
    },
    async refund(p) {
      const r = await stripe.refunds.create(
        { payment_intent: p.paymentIntentId, amount: p.amountPence },
        { idempotencyKey: `refund-${p.refundId}` },
      );
      return { id: r.id, status: r.status ?? 'pending' };
    },
    verifyWebhook(rawBody, signature) {
      if (!config.STRIPE_WEBHOOK_SECRET) throw new Error('STRIPE_WEBHOOK_SECRET is not set');
      return stripe.webhooks.constructEvent(rawBody, signature, config.STRIPE_WEBHOOK_SECRET) as unknown as ProviderEvent;
    },
  };
}
