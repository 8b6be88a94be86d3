import { and, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { afterPermanentFailure } from './deliver-messages.js';
import { outboxMessages } from './schema.js';

/** Twilio's status words in the order they can only move forward. */
const STATUS_RANK: Record<string, number> = {
  queued: 1,
  accepted: 1,
  sending: 2,
  sent: 3,
  delivered: 4,
  read: 5,
  undelivered: 6,
  failed: 6,
};

/**
 * A provider's delivery report for a message we sent (found by our id, else by the provider's).
 * Reports can arrive out of order; a status never moves backwards. Undeliverable after the
 * provider accepted it: the next channel, or staff, as for any permanent failure.
 */
export async function recordProviderStatus(
  tx: Queryable,
  r: { messageId: string | null; providerId: string; status: string; errorCode: string | null },
  now: Date,
  publicBaseUrl: string,
) {
  const [m] = await tx
    .select()
    .from(outboxMessages)
    .where(
      r.messageId
        ? eq(outboxMessages.id, r.messageId)
        : and(inArray(outboxMessages.channel, ['sms', 'whatsapp']), eq(outboxMessages.providerId, r.providerId)),
    )
    .for('update');
  if (!m) return;
  if ((STATUS_RANK[r.status] ?? 0) < (STATUS_RANK[m.providerStatus ?? ''] ?? 0)) return;
  const failed = r.status === 'failed' || r.status === 'undelivered';
  const error = `Twilio ${r.status}${r.errorCode ? ` (error ${r.errorCode})` : ''}`;
  await tx
    .update(outboxMessages)
    .set({
      // A worker that died after Twilio accepted the message is covered: its id is known now, so it is not sent again.
      providerId: m.providerId ?? r.providerId,
      providerStatus: r.status,
      status: failed
        ? 'failed'
        : r.status === 'read'
          ? 'read'
          : r.status === 'delivered'
            ? 'delivered'
            : m.status === 'pending' || m.status === 'sending'
              ? 'sent'
              : m.status,
      sentAt: m.sentAt ?? now,
      ...(r.status === 'delivered' || r.status === 'read' ? { deliveredAt: m.deliveredAt ?? now } : {}),
      ...(failed ? { failedAt: now, lastError: error } : {}),
    })
    .where(eq(outboxMessages.id, m.id));
  if (failed && m.status !== 'failed') await afterPermanentFailure(tx, m, error, publicBaseUrl);
}

/** A message that is no longer needed (e.g. the missed-call invitation once a voicemail came) is not sent. */
export async function cancelPendingMessage(tx: Queryable, dedupeKey: string) {
  await tx
    .update(outboxMessages)
    .set({ status: 'cancelled' })
    .where(and(eq(outboxMessages.dedupeKey, dedupeKey), eq(outboxMessages.status, 'pending')));
}
