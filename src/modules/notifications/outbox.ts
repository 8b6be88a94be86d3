import { eq, sql } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Queryable } from '../../db/client.js';
import { contractors } from '../contractors/schema.js';
import { leads } from '../leads/schema.js';
import { toE164 } from './phone.js';
import { routesFor, type Channel, type Route } from './routing.js';
import { domainEvents, messagePreferences, outboxMessages } from './schema.js';
import { STAFF_ALERTS, type MessageData, type MessageType } from './templates.js';

export const OUTBOX_NOTIFY_CHANNEL = 'handy_outbox';

/** Who a message is for. People are looked up (preferred channel, then the fallback order). */
export type Recipient =
  | { lead: string }
  | { contractor: string }
  /** Staff alerts: the alert address, and the staff Telegram chat when configured. */
  | { staff: true }
  | { email: string }
  /** An address given for one channel (a waitlist entry, an inbound number). */
  | { channel: Channel; address: string };

export type OutgoingMessage<K extends MessageType = MessageType> = {
  type: K;
  to: Recipient;
  data: MessageData[K];
  /** What caused it, e.g. quote:<id>. */
  subject?: string;
  /** At most one message per key and route (e.g. one day-before reminder per booking). */
  dedupeKey?: string;
  /** Only these channels (e.g. urgent offers: not email). */
  channels?: Channel[];
  sendAfter?: Date;
};

type Defaults = { publicBaseUrl: string; fallbackOrder: Channel[]; staffAlertEmail: string; staffTelegramChatId: string | null };
const defaults: Defaults = {
  publicBaseUrl: 'http://localhost:3000',
  fallbackOrder: ['email', 'whatsapp', 'sms', 'telegram'],
  staffAlertEmail: 'staff-alerts@handy.local',
  staffTelegramChatId: null,
};

/** Set once at start-up from the configuration: where staff alerts go, the fallback order, link base. */
export function configureMessaging(config: Config): void {
  defaults.publicBaseUrl = config.publicBaseUrl;
  defaults.fallbackOrder = config.fallbackOrder;
  defaults.staffAlertEmail = config.STAFF_ALERT_EMAIL;
  defaults.staffTelegramChatId = config.STAFF_TELEGRAM_CHAT_ID ?? null;
}
export const messagingBaseUrl = () => defaults.publicBaseUrl;

const SOURCE_CHANNEL: Record<string, Channel | null> = { whatsapp: 'whatsapp', telegram: 'telegram', call: 'sms', web: null, manual: null };

type Resolved = { routes: Route[]; leadId: string | null; contractorId: string | null; together?: boolean };

async function resolve(tx: Queryable, to: Recipient, allowed?: Channel[]): Promise<Resolved> {
  const order = defaults.fallbackOrder;
  if ('lead' in to) {
    const [row] = await tx
      .select({
        email: leads.email,
        phone: leads.phone,
        source: leads.source,
        preferred: messagePreferences.channel,
        chat: messagePreferences.telegramChatId,
      })
      .from(leads)
      .leftJoin(messagePreferences, eq(messagePreferences.leadId, leads.id))
      .where(eq(leads.id, to.lead));
    if (!row) return { routes: [], leadId: null, contractorId: null };
    const preferred = (row.preferred as Channel | null) ?? SOURCE_CHANNEL[row.source] ?? null;
    return {
      routes: routesFor({ email: row.email, phone: row.phone && toE164(row.phone), telegramChatId: row.chat }, preferred, order, allowed),
      leadId: to.lead,
      contractorId: null,
    };
  }
  if ('contractor' in to) {
    const [row] = await tx
      .select({
        email: contractors.email,
        phone: contractors.phone,
        chat: contractors.telegramChatId,
        preferred: messagePreferences.channel,
      })
      .from(contractors)
      .leftJoin(messagePreferences, eq(messagePreferences.contractorId, contractors.id))
      .where(eq(contractors.id, to.contractor));
    if (!row) return { routes: [], leadId: null, contractorId: null };
    const preferred = (row.preferred as Channel | null) ?? (row.chat ? 'telegram' : null);
    return {
      routes: routesFor({ email: row.email, phone: row.phone && toE164(row.phone), telegramChatId: row.chat }, preferred, order, allowed),
      leadId: null,
      contractorId: to.contractor,
    };
  }
  if ('staff' in to) {
    const routes: Route[] = [{ channel: 'email', recipient: defaults.staffAlertEmail }];
    if (defaults.staffTelegramChatId) routes.push({ channel: 'telegram', recipient: defaults.staffTelegramChatId });
    return { routes, leadId: null, contractorId: null, together: true };
  }
  if ('email' in to) return { routes: [{ channel: 'email', recipient: to.email }], leadId: null, contractorId: null };
  return {
    routes: [{ channel: to.channel, recipient: to.channel === 'email' || to.channel === 'telegram' ? to.address : toE164(to.address) }],
    leadId: null,
    contractorId: null,
  };
}

/**
 * Queues a message in the caller's transaction: it exists exactly when the change that caused it
 * does, and the delivery worker is woken when that transaction commits. The channel is chosen
 * now (preferred, then the fallback order); the other routes are kept for a permanent failure.
 * Returns the ids queued (none when a dedupe key was used already).
 */
export async function enqueueMessage<K extends MessageType>(tx: Queryable, m: OutgoingMessage<K>): Promise<string[]> {
  const r = await resolve(tx, m.to, m.channels);
  const base = {
    template: m.type,
    payload: m.data as Record<string, unknown>,
    subject: m.subject ?? null,
    leadId: r.leadId,
    contractorId: r.contractorId,
    // Due at once unless delayed; the epoch (not now()) keeps it due under any injected clock.
    nextAttemptAt: m.sendAfter ?? new Date(0),
  };
  if (!r.routes.length) {
    // Nobody to send to: kept as a failed message so staff see it in the failed list.
    const [row] = await tx
      .insert(outboxMessages)
      .values({
        ...base,
        channel: 'staff',
        recipient: 'unreachable',
        status: 'failed',
        lastError: 'no address for any allowed channel',
        failedAt: sql`now()`,
        dedupeKey: m.dedupeKey ?? null,
      })
      .onConflictDoNothing()
      .returning({ id: outboxMessages.id });
    return row ? [row.id] : [];
  }
  const sends = r.together
    ? r.routes.map((x) => ({ route: x, fallbacks: [] as Route[] }))
    : [{ route: r.routes[0]!, fallbacks: r.routes.slice(1) }];
  const ids: string[] = [];
  for (const [i, s] of sends.entries()) {
    const [row] = await tx
      .insert(outboxMessages)
      .values({
        ...base,
        channel: s.route.channel,
        recipient: s.route.recipient,
        fallbacks: s.fallbacks,
        dedupeKey: m.dedupeKey ? `${m.dedupeKey}#${i}` : null,
      })
      .onConflictDoNothing()
      .returning({ id: outboxMessages.id });
    if (row) ids.push(row.id);
  }
  if (ids.length) await tx.execute(sql`select pg_notify(${OUTBOX_NOTIFY_CHANNEL}, '')`);
  return ids;
}

/** A staff alert (email to the alert address, and the staff Telegram chat when configured). */
export const alertStaff = <K extends MessageType>(tx: Queryable, type: K, data: MessageData[K], subject?: string) => {
  if (!STAFF_ALERTS.has(type)) throw new Error(`${type} is not a staff alert`);
  return enqueueMessage(tx, { type, to: { staff: true }, data, ...(subject ? { subject } : {}) });
};

/** Remembers how a person wants to be reached (staff set it; an inbound channel implies it). */
export async function setPreference(
  tx: Queryable,
  who: { leadId: string } | { contractorId: string },
  channel: Channel,
  telegramChatId?: string | null,
) {
  const owner = 'leadId' in who ? { leadId: who.leadId } : { contractorId: who.contractorId };
  const target = 'leadId' in who ? messagePreferences.leadId : messagePreferences.contractorId;
  const chat = telegramChatId === undefined ? {} : { telegramChatId };
  await tx
    .insert(messagePreferences)
    .values({ ...owner, channel, ...chat })
    .onConflictDoUpdate({ target, set: { channel, ...chat, updatedAt: sql`now()` } });
}

export async function recordEvent(
  tx: Queryable,
  type: string,
  aggregateId: string,
  payload: Record<string, unknown>,
  at: Date,
): Promise<void> {
  await tx.insert(domainEvents).values({ type, aggregateId, payload, at });
}
