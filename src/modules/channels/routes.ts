import { and, desc, eq, sql } from 'drizzle-orm';
import type { Bot } from 'grammy';
import { z } from 'zod';
import type { App, AppContext } from '../../http/context.js';
import { AppError, notFound } from '../../shared/errors.js';
import { errors, uuidParam } from '../../shared/schemas.js';
import { STAFF } from '../auth/index.js';
import { contractors } from '../contractors/schema.js';
import { setContractorTelegramChat } from '../contractors/index.js';
import { leads } from '../leads/schema.js';
import { enqueueMessage, isMessageType, renderMessage, resendMessage, setPreference } from '../notifications/index.js';
import { outboxMessages } from '../notifications/schema.js';
import { presentCaptured } from './presenters.js';
import { settingsFromConfig } from './runtime.js';
import { capturedMessages, inboundMessages } from './schema.js';
import { buildTelegramBot, handleTelegramUpdate, secretMatches } from './telegram-bot.js';

const STATUSES = ['pending', 'sending', 'sent', 'delivered', 'read', 'failed', 'cancelled'] as const;
const CHANNELS = ['email', 'sms', 'whatsapp', 'telegram'] as const;
const message = z.object({
  id: z.uuid(),
  type: z.string(),
  channel: z.string(),
  recipient: z.string(),
  status: z.enum(STATUSES),
  attempts: z.number().int(),
  nextAttemptAt: z.date(),
  lastError: z.string().nullable(),
  providerId: z.string().nullable(),
  providerStatus: z.string().nullable(),
  leadId: z.uuid().nullable(),
  contractorId: z.uuid().nullable(),
  subject: z.string().nullable(),
  payload: z.unknown(),
  createdAt: z.date(),
  sentAt: z.date().nullable(),
  deliveredAt: z.date().nullable(),
  failedAt: z.date().nullable(),
  fallbackOf: z.uuid().nullable(),
});
const present = (m: typeof outboxMessages.$inferSelect) => ({
  id: m.id,
  type: m.template,
  channel: m.channel,
  recipient: m.recipient,
  status: m.status,
  attempts: m.attempts,
  nextAttemptAt: m.nextAttemptAt,
  lastError: m.lastError,
  providerId: m.providerId,
  providerStatus: m.providerStatus,
  leadId: m.leadId,
  contractorId: m.contractorId,
  subject: m.subject,
  payload: m.payload,
  createdAt: m.createdAt,
  sentAt: m.sentAt,
  deliveredAt: m.deliveredAt,
  failedAt: m.failedAt,
  fallbackOf: m.fallbackOf,
});
const captured = z.object({
  id: z.uuid(),
  channel: z.string(),
  to: z.string(),
  from: z.string().nullable(),
  subject: z.string().nullable(),
  text: z.string().nullable(),
  html: z.string().nullable(),
  links: z.array(z.string()),
  providerId: z.string(),
  meta: z.unknown(),
  createdAt: z.date(),
});

export function channelRoutes(app: App, ctx: AppContext) {
  const tags = ['messages'];

  app.get(
    '/messages',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'Outgoing messages by status (failed ones first to act on)',
        querystring: z.object({
          status: z.enum(STATUSES).optional(),
          leadId: z.uuid().optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.object({ messages: z.array(message) }), ...errors },
      },
    },
    async (req) => {
      const q = req.query;
      const rows = await ctx.db
        .select()
        .from(outboxMessages)
        .where(and(q.status ? eq(outboxMessages.status, q.status) : undefined, q.leadId ? eq(outboxMessages.leadId, q.leadId) : undefined))
        .orderBy(desc(outboxMessages.createdAt))
        .limit(q.limit);
      return { messages: rows.map(present) };
    },
  );

  app.post(
    '/messages/:id/resend',
    {
      config: { access: ['admin', 'va'] },
      schema: {
        tags,
        summary: 'Send a message again (a failed one from its first attempt; a delivered one as a copy)',
        params: uuidParam,
        response: { 200: z.object({ message }), ...errors },
      },
    },
    async (req) => {
      const r = await resendMessage(ctx.db, req.params.id);
      if (!r.message) throw notFound('Message', { id: req.params.id });
      if (!r.resent)
        throw new AppError('MESSAGE_IN_FLIGHT', `This message is ${r.message.status}; it is being sent already`, {
          status: r.message.status,
        });
      return { message: present(r.message) };
    },
  );

  app.get(
    '/messages/captured',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'The "Messages" mailbox: everything the embedded email, SMS, WhatsApp and Telegram providers received, with its links',
        querystring: z.object({
          channel: z.enum(CHANNELS).optional(),
          to: z.string().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.object({ messages: z.array(captured) }), ...errors },
      },
    },
    async (req) => {
      const q = req.query;
      const rows = await ctx.db
        .select()
        .from(capturedMessages)
        .where(
          and(
            q.channel ? eq(capturedMessages.channel, q.channel) : undefined,
            q.to ? sql`${capturedMessages.to} ilike ${`%${q.to}%`}` : undefined,
          ),
        )
        .orderBy(desc(capturedMessages.createdAt))
        .limit(q.limit);
      return { messages: rows };
    },
  );

  app.get(
    '/messages/captured/:id',
    {
      config: { access: STAFF },
      schema: { tags, summary: 'One captured message', params: uuidParam, response: { 200: z.object({ message: captured }), ...errors } },
    },
    async (req) => {
      const [row] = await ctx.db.select().from(capturedMessages).where(eq(capturedMessages.id, req.params.id));
      if (!row) throw notFound('Captured message', { id: req.params.id });
      return { message: presentCaptured(row) };
    },
  );

  const entry = z.object({
    direction: z.enum(['in', 'out']),
    channel: z.string(),
    at: z.date(),
    text: z.string(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    status: z.string().nullable(),
    type: z.string().nullable(),
    media: z.array(z.object({ kind: z.string(), mime: z.string() })),
    id: z.uuid(),
  });

  app.get(
    '/leads/:id/conversation',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: "A lead's conversation: every message in and out, on every channel, oldest first",
        params: uuidParam,
        response: { 200: z.object({ entries: z.array(entry) }), ...errors },
      },
    },
    async (req) => {
      const [lead] = await ctx.db.select({ id: leads.id }).from(leads).where(eq(leads.id, req.params.id));
      if (!lead) throw notFound('Lead', { id: req.params.id });
      const ins = await ctx.db.select().from(inboundMessages).where(eq(inboundMessages.leadId, lead.id));
      const outs = await ctx.db.select().from(outboxMessages).where(eq(outboxMessages.leadId, lead.id));
      const entries = [
        ...ins.map((m) => ({
          id: m.id,
          direction: 'in' as const,
          channel: m.channel,
          at: m.createdAt,
          text: m.body,
          from: m.from,
          to: null,
          status: null,
          type: null,
          media: m.media.map(({ kind, mime }) => ({ kind, mime })),
        })),
        ...outs.map((m) => ({
          id: m.id,
          direction: 'out' as const,
          channel: m.channel,
          at: m.sentAt ?? m.createdAt,
          from: null,
          to: m.recipient,
          status: m.status,
          type: m.template,
          media: [],
          text: isMessageType(m.template) ? renderMessage(m.template, m.payload as never).text : m.template,
        })),
      ].sort((a, b) => a.at.getTime() - b.at.getTime());
      return { entries };
    },
  );

  app.post(
    '/leads/:id/conversation',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'Reply to a lead (on their preferred channel, or the one named)',
        params: uuidParam,
        body: z.object({ text: z.string().trim().min(1).max(1600), channel: z.enum(CHANNELS).optional() }),
        response: { 201: z.object({ messageIds: z.array(z.uuid()) }), ...errors },
      },
    },
    async (req, reply) => {
      const ids = await ctx.db.transaction(async (tx) => {
        const [lead] = await tx.select({ id: leads.id }).from(leads).where(eq(leads.id, req.params.id));
        if (!lead) throw notFound('Lead', { id: req.params.id });
        const out = await enqueueMessage(tx, {
          type: 'staff_reply',
          to: { lead: lead.id },
          data: { text: req.body.text },
          subject: `lead:${lead.id}`,
          ...(req.body.channel ? { channels: [req.body.channel] } : {}),
        });
        const [row] = await tx.select({ status: outboxMessages.status }).from(outboxMessages).where(eq(outboxMessages.id, out[0]!));
        if (row?.status === 'failed')
          throw new AppError('NO_CONTACT', `We have no ${req.body.channel ?? ''} address for this lead`.replace('  ', ' '), {
            channel: req.body.channel ?? null,
          });
        return out;
      });
      return reply.status(201).send({ messageIds: ids });
    },
  );

  const preference = z.object({
    channel: z.enum(CHANNELS),
    telegramChatId: z
      .string()
      .regex(/^-?\d{1,20}$/)
      .nullable()
      .optional(),
  });
  app.put(
    '/leads/:id/message-preference',
    {
      config: { access: ['admin', 'va'] },
      schema: {
        tags,
        summary: 'How a customer wants to hear from us',
        params: uuidParam,
        body: preference,
        response: { 200: preference, ...errors },
      },
    },
    async (req) => {
      const [lead] = await ctx.db.select({ id: leads.id }).from(leads).where(eq(leads.id, req.params.id));
      if (!lead) throw notFound('Lead', { id: req.params.id });
      await setPreference(ctx.db, { leadId: lead.id }, req.body.channel, req.body.telegramChatId);
      return req.body;
    },
  );

  app.put(
    '/contractors/:id/message-preference',
    {
      config: { access: ['admin', 'va'] },
      schema: {
        tags,
        summary: "A contractor's preferred channel and Telegram chat (offers and jobs go there)",
        params: uuidParam,
        body: preference,
        response: { 200: preference, ...errors },
      },
    },
    async (req) => {
      await ctx.db.transaction(async (tx) => {
        const [c] = await tx.select({ id: contractors.id }).from(contractors).where(eq(contractors.id, req.params.id)).for('update');
        if (!c) throw notFound('Contractor', { id: req.params.id });
        if (req.body.telegramChatId !== undefined) {
          const [taken] = req.body.telegramChatId
            ? await tx.select({ id: contractors.id }).from(contractors).where(eq(contractors.telegramChatId, req.body.telegramChatId))
            : [];
          if (taken && taken.id !== c.id)
            throw new AppError('TELEGRAM_CHAT_TAKEN', 'Another contractor has this Telegram chat', { contractorId: taken.id });
          await setContractorTelegramChat(tx, c.id, req.body.telegramChatId, ctx.now());
        }
        await setPreference(tx, { contractorId: c.id }, req.body.channel);
      });
      return req.body;
    },
  );

  let bot: Bot | null = null;
  app.post(
    '/webhooks/telegram',
    {
      config: { access: 'public' },
      schema: {
        tags: ['channels'],
        summary: 'Telegram bot webhook (X-Telegram-Bot-Api-Secret-Token verified; each update_id once)',
        body: z.looseObject({ update_id: z.number().int().nonnegative() }),
        response: { 200: z.object({ ok: z.boolean(), duplicate: z.boolean() }), ...errors },
      },
    },
    async (req) => {
      const s = ctx.channels?.settings.telegram ?? settingsFromConfig(ctx.config).telegram;
      if (!s) throw new AppError('CHANNEL_NOT_CONFIGURED', 'Telegram is not configured', null);
      if (!secretMatches(req.headers['x-telegram-bot-api-secret-token'], s.secret))
        throw new AppError('INVALID_SECRET', 'The Telegram secret token does not match', null);
      bot ??= buildTelegramBot({
        db: ctx.db,
        config: ctx.config,
        now: ctx.now,
        token: s.token,
        apiRoot: s.apiRoot,
        extensions: ctx.telegramComposers,
        ...(ctx.queue ? { queue: ctx.queue } : {}),
      });
      const r = await handleTelegramUpdate(ctx.db, bot, req.body);
      return { ok: true, duplicate: r.duplicate };
    },
  );
}
