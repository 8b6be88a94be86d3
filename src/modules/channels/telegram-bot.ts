import { timingSafeEqual } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { Bot, Composer, type Context } from 'grammy';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { users } from '../auth/schema.js';
import { contractors } from '../contractors/schema.js';
import { download, storeInboundMedia } from './media.js';
import { receiveInbound } from './inbound-intake.js';
import { inboundEvents, type StoredMedia } from './schema.js';
import { withLimits } from './providers/telegram.js';

export type BotDeps = {
  db: Db;
  config: Config;
  now: () => Date;
  token: string;
  apiRoot: string | null;
  queue?: { send: (name: string, data: object) => Promise<unknown> };
  /**
   * Handlers other modules add to the bot (the crew module's `/start job_<id>` deep links and
   * buttons). They run before the enquiry handlers and call `next()` for updates they do not handle.
   */
  extensions?: Composer<Context>[];
};

/** The enquiry side of the bot: /start, a description, photos and video make or extend a lead. */
function intakeComposer(d: BotDeps): Composer<Context> {
  const c = new Composer<Context>();
  // A contractor's own chat is not a customer enquiry: leave it to the contractor handlers (or nobody).
  c.use(async (ctx, next) => {
    const chat = ctx.chat?.id;
    if (chat === undefined) return;
    const [contractor] = await d.db
      .select({ id: contractors.id })
      .from(contractors)
      .where(eq(contractors.telegramChatId, String(chat)));
    const [staff] = contractor
      ? []
      : await d.db
          .select({ id: users.id })
          .from(users)
          .where(eq(users.telegramChatId, String(chat)));
    if (staff) {
      await ctx.reply('This chat is linked to your Handy staff account: crew receipts to review arrive here. /help lists the commands.');
      return;
    }
    if (contractor) {
      await ctx.reply(
        'This chat is linked to your Handy contractor account; offers and jobs arrive here. Please use the app for anything else.',
      );
      return;
    }
    await next();
  });
  const fileBytes = async (ctx: Context, fileId: string) => {
    const file = await ctx.api.getFile(fileId);
    const root = (d.apiRoot ?? 'https://api.telegram.org').replace(/\/$/, '');
    return download(`${root}/file/bot${d.token}/${file.file_path}`, {}, d.config.VIDEO_MAX_BYTES);
  };
  const intake = async (ctx: Context, body: string, media: StoredMedia[]) => {
    const msg = ctx.message!;
    const result = await receiveInbound(
      d.db,
      {
        channel: 'telegram',
        from: String(msg.chat.id),
        providerId: `${msg.chat.id}:${msg.message_id}`,
        body,
        name: [msg.from?.first_name, msg.from?.last_name].filter(Boolean).join(' ') || null,
        media,
        at: d.now(),
      },
      d.config,
    );
    for (const videoId of result.videoIds) await d.queue?.send('score-video', { videoId }).catch(() => null);
    return result;
  };
  c.command('start', async (ctx) => {
    await intake(ctx, ctx.match?.trim() ?? '', []);
  });
  c.on('message:text', async (ctx) => {
    await intake(ctx, ctx.message.text, []);
  });
  c.on('message:photo', async (ctx) => {
    const largest = ctx.message.photo.at(-1)!;
    const media = [await storeInboundMedia(await fileBytes(ctx, largest.file_id), 'image/jpeg', d.config.uploadDir)];
    await intake(ctx, ctx.message.caption ?? '', media);
  });
  c.on(['message:video', 'message:video_note', 'message:document'], async (ctx) => {
    const f = ctx.message.video ?? ctx.message.video_note ?? ctx.message.document!;
    const media = [
      await storeInboundMedia(await fileBytes(ctx, f.file_id), 'mime_type' in f ? (f.mime_type ?? null) : 'video/mp4', d.config.uploadDir),
    ];
    await intake(ctx, ctx.message.caption ?? '', media);
  });
  return c;
}

export function buildTelegramBot(d: BotDeps): Bot {
  const bot = new Bot(d.token, { client: d.apiRoot ? { apiRoot: d.apiRoot } : {} });
  // Replies obey the same limits as the delivery worker's sends.
  withLimits(bot.api);
  for (const e of d.extensions ?? []) bot.use(e);
  bot.use(intakeComposer(d));
  return bot;
}

export function secretMatches(given: unknown, secret: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Each update_id is applied once: a retried delivery from Telegram changes nothing. */
export async function handleTelegramUpdate(db: Db, bot: Bot, update: { update_id: number }) {
  const [seen] = await db
    .select()
    .from(inboundEvents)
    .where(and(eq(inboundEvents.provider, 'telegram'), eq(inboundEvents.eventId, String(update.update_id))));
  if (seen) return { duplicate: true };
  if (!bot.isInited()) await bot.init();
  await bot.handleUpdate(update as never);
  await db
    .insert(inboundEvents)
    .values({ provider: 'telegram', eventId: String(update.update_id) })
    .onConflictDoNothing();
  return { duplicate: false };
}
