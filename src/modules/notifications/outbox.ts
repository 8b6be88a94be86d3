import type { Queryable } from '../../db/client.js';
import { domainEvents, outboxMessages } from './schema.js';

type Message = {
  channel: 'email' | 'sms' | 'whatsapp' | 'telegram' | 'staff';
  recipient: string;
  template: string;
  payload: Record<string, unknown>;
  subject?: string;
};

/** Queues a message in the caller's transaction: it exists exactly when the change that caused it does. */
export async function enqueueMessage(tx: Queryable, m: Message): Promise<void> {
  await tx.insert(outboxMessages).values({ ...m, subject: m.subject ?? null });
}

/** A customer message by every channel we have an address for. */
export async function messageCustomer(
  tx: Queryable,
  to: { email: string | null; phone: string | null },
  template: string,
  payload: Record<string, unknown>,
  subject: string,
): Promise<void> {
  if (to.email) await enqueueMessage(tx, { channel: 'email', recipient: to.email, template, payload, subject });
  if (to.phone) await enqueueMessage(tx, { channel: 'sms', recipient: to.phone, template, payload, subject });
}

export async function recordEvent(tx: Queryable, type: string, aggregateId: string, payload: Record<string, unknown>, at: Date): Promise<void> {
  await tx.insert(domainEvents).values({ type, aggregateId, payload, at });
}
