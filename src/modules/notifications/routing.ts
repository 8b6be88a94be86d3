export type Channel = 'email' | 'sms' | 'whatsapp' | 'telegram';
export type Addresses = { email?: string | null; phone?: string | null; telegramChatId?: string | null };
export type Route = { channel: Channel; recipient: string };

function addressFor(channel: Channel, a: Addresses): string | null {
  if (channel === 'email') return a.email ?? null;
  if (channel === 'telegram') return a.telegramChatId ?? null;
  return a.phone ?? null;
}

/**
 * Where a message goes: the person's preferred channel first (when we hold an address for it),
 * then the fallback order. The first route is used; the rest are tried only if it fails for good.
 */
export function routesFor(a: Addresses, preferred: Channel | null, order: Channel[], allowed?: Channel[]): Route[] {
  const sequence = [...(preferred ? [preferred] : []), ...order.filter((c) => c !== preferred)];
  const routes: Route[] = [];
  for (const channel of sequence) {
    if (allowed && !allowed.includes(channel)) continue;
    const recipient = addressFor(channel, a);
    if (recipient) routes.push({ channel, recipient });
  }
  return routes;
}

/**
 * Delay before attempt `attempt + 1`, after `attempt` failures: exponential with +/-20 % jitter,
 * so retries from many messages do not arrive at a recovering provider in step.
 */
export function retryDelaySeconds(attempt: number, o: { baseSeconds: number; factor: number }, random: () => number = Math.random): number {
  const nominal = o.baseSeconds * o.factor ** Math.max(0, attempt - 1);
  return nominal * (0.8 + 0.4 * random());
}

/** The nominal schedule (no jitter): how long a message keeps being retried in all. */
export function retryScheduleSeconds(maxAttempts: number, o: { baseSeconds: number; factor: number }): number[] {
  return Array.from({ length: Math.max(0, maxAttempts - 1) }, (_, i) => o.baseSeconds * o.factor ** i);
}
