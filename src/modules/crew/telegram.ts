import { rm } from 'node:fs/promises';
import { Composer, type Context, InlineKeyboard, type NextFunction } from 'grammy';
import { spoolReceiptBytes } from '../payments/index.js';
import { AppError, statusOf } from '../../shared/errors.js';
import { reviewKeyboard } from './announcer.js';
import { getCrewJob, listPlaces, myPlaces, openJobsFor } from './crew-queries.js';
import { placesLeft, RESERVABLE } from './crew-states.js';
import { jobText, placeText, pounds } from './crew-text.js';
import type { NewCrewJob } from './crew-jobs.js';
import type { CrewPlace } from './rows.js';
import { chatUser, type ChatUser, linkChat } from './telegram-link.js';
import * as crew from './crew-actions.js';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const PLACE_REF = new RegExp(`Ref: (${UUID})`);
const REJECT_PROMPT = 'Reason for rejecting place';

export const CREW_HELP = [
  'Handy crew jobs.',
  '/jobs: crew jobs with places free',
  '/status: your places',
  '/cancel: give a place back (before it is confirmed)',
  'Send the payment receipt as a photo (or PDF) here after reserving.',
  'Not linked yet? Get a code in the Handy app, then send /link CODE.',
  'Staff: /newjob Title | postcode | YYYY-MM-DD | am, pm or 08:00-16:00 | workers | fee in £ | task ids, comma separated | description',
  'Staff: /pending: receipts waiting for a decision',
].join('\n');

/**
 * The crew side of the Telegram bot, as a grammY Composer the main bot `use`s. Every action goes
 * through crew-actions, the same use cases as the API; the bot only translates chats to them.
 */
export function crewComposer<C extends Context>(deps: crew.CrewDeps): Composer<C> {
  const bot = new Composer<C>();
  const zone = deps.config.BUSINESS_TIME_ZONE;
  const who = (ctx: Context) => (ctx.from ? chatUser(deps.db, String(ctx.from.id)) : Promise.resolve(null));

  /** A refused action is an answer to the user, not a failure of the bot. */
  const safely =
    <X extends Context>(fn: (ctx: X, next: NextFunction) => Promise<unknown>) =>
    async (ctx: X, next: NextFunction) => {
      try {
        await fn(ctx, next);
      } catch (err) {
        if (!(err instanceof AppError) || statusOf(err) >= 500) throw err;
        if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: err.message.slice(0, 190), show_alert: true });
        else await ctx.reply(err.message);
      }
    };
  const ack = async (ctx: Context, text?: string) => {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery(text ? { text } : undefined);
  };

  async function contractorOf(ctx: Context): Promise<Extract<ChatUser, { kind: 'contractor' }> | null> {
    const u = await who(ctx);
    if (u?.kind === 'contractor') return u;
    await ack(ctx);
    await ctx.reply('This chat is not linked to a contractor account yet. Get a code in the Handy app, then send /link CODE.');
    return null;
  }
  async function reviewerOf(ctx: Context): Promise<Extract<ChatUser, { kind: 'staff' }> | null> {
    const u = await who(ctx);
    if (u?.kind === 'staff' && (u.role === 'admin' || u.role === 'va')) return u;
    await ack(ctx, 'Only linked admin or VA accounts can do this');
    if (!ctx.callbackQuery) await ctx.reply('Only linked admin or VA accounts can do this.');
    return null;
  }

  const placeKeyboard = (p: CrewPlace) =>
    p.status === 'reserved' || p.status === 'receipt_submitted'
      ? new InlineKeyboard().text('Cancel my place', `crew:cancel:${p.id}`)
      : undefined;
  const sendPlace = (ctx: Context, p: CrewPlace, title: string) =>
    ctx.reply(`${placeText(p, title, zone)}\nRef: ${p.id}`, { reply_markup: placeKeyboard(p) });

  async function showJob(ctx: Context, jobId: string) {
    const { job, taskIds } = await getCrewJob(deps.db, jobId);
    const u = await who(ctx);
    const keyboard = new InlineKeyboard();
    let footer = '';
    if (u?.kind === 'contractor') {
      const open = (await openJobsFor(deps.db, u.contractorId, deps.now())).find((r) => r.job.id === jobId);
      if (open?.myPlace) footer = `You have a place on this job (${open.myPlace.status.replace('_', ' ')}). /status for details.`;
      else if (open && !open.qualified) footer = `This job needs skills you have not listed: ${taskIds.join(', ')}.`;
      else if (open && placesLeft(job) > 0) keyboard.text(`Reserve a place (${pounds(job.placeFeePence)})`, `crew:reserve:${job.id}`);
    } else if (!u) {
      footer = 'To reserve, link this chat first: get a code in the Handy app, then send /link CODE.';
    }
    await ack(ctx);
    await ctx.reply([jobText(job, zone), footer].filter(Boolean).join('\n\n'), {
      reply_markup: keyboard.inline_keyboard.length ? keyboard : undefined,
    });
  }

  async function link(ctx: Context, code: string) {
    if (!ctx.chat || ctx.chat.type !== 'private') return;
    const u = await linkChat(deps.db, code, String(ctx.chat.id), deps.now());
    await ctx.reply(
      u.kind === 'contractor'
        ? `Linked: hello ${u.name}. /jobs shows crew jobs with places free.`
        : `Linked as ${u.role} ${u.name}. Receipts to check will arrive here; /pending lists them.`,
    );
  }

  const pm = bot.chatType('private');

  // Other /start payloads (and plain /start) belong to the main bot.
  pm.command(
    'start',
    safely(async (ctx, next) => {
      const arg = String(ctx.match ?? '').trim();
      const job = new RegExp(`^job_(${UUID})$`).exec(arg);
      if (job) return showJob(ctx, job[1]!);
      if (arg.startsWith('link_')) return link(ctx, arg.slice(5));
      return next();
    }),
  );
  pm.command(
    'link',
    safely((ctx) => link(ctx, String(ctx.match ?? ''))),
  );
  pm.command(
    'help',
    safely((ctx) => ctx.reply(CREW_HELP)),
  );

  pm.command(
    'jobs',
    safely(async (ctx) => {
      const u = await contractorOf(ctx);
      if (!u) return;
      const jobs = (await openJobsFor(deps.db, u.contractorId, deps.now())).filter((r) => placesLeft(r.job) > 0 && !r.myPlace);
      if (!jobs.length) return ctx.reply('No crew jobs with places free right now.');
      const keyboard = new InlineKeyboard();
      for (const r of jobs.slice(0, 10))
        keyboard.text(`${r.job.title} · ${r.job.date} · ${placesLeft(r.job)} left`, `crew:view:${r.job.id}`).row();
      await ctx.reply('Crew jobs with places free:', { reply_markup: keyboard });
    }),
  );

  pm.command(
    'status',
    safely(async (ctx) => {
      const u = await contractorOf(ctx);
      if (!u) return;
      const places = await myPlaces(deps.db, u.contractorId);
      if (!places.length) return ctx.reply('You have no crew places yet. /jobs shows what is open.');
      await ctx.reply(
        places
          .slice(0, 10)
          .map((r) => placeText(r.place, r.title, zone))
          .join('\n\n'),
      );
    }),
  );

  pm.command(
    'cancel',
    safely(async (ctx) => {
      const u = await contractorOf(ctx);
      if (!u) return;
      const places = (await myPlaces(deps.db, u.contractorId, true)).filter((r) => r.place.status !== 'confirmed');
      if (!places.length) return ctx.reply('You have no place that can be cancelled (confirmed places are final; talk to the office).');
      const keyboard = new InlineKeyboard();
      for (const r of places) keyboard.text(`Cancel: ${r.title}`, `crew:cancel:${r.place.id}`).row();
      await ctx.reply('Which place do you want to give back?', { reply_markup: keyboard });
    }),
  );

  bot.callbackQuery(
    new RegExp(`^crew:view:(${UUID})$`),
    safely((ctx) => showJob(ctx, (ctx.match as RegExpMatchArray)[1]!)),
  );

  bot.callbackQuery(
    new RegExp(`^crew:reserve:(${UUID})$`),
    safely(async (ctx) => {
      const u = await contractorOf(ctx);
      if (!u) return;
      const jobId = (ctx.match as RegExpMatchArray)[1]!;
      // A double tap or Telegram's redelivery carries the same message: the same key, the same place.
      const key = `tg:${ctx.callbackQuery.message?.chat.id ?? ctx.from.id}:${ctx.callbackQuery.message?.message_id ?? ctx.callbackQuery.id}:${jobId}`;
      const r = await crew.reserve(deps, { crewJobId: jobId, contractorId: u.contractorId, idempotencyKey: key });
      await ack(ctx, r.replayed ? 'You already have this place' : 'Place reserved');
      if (r.replayed) return;
      const { job } = await getCrewJob(deps.db, jobId);
      await sendPlace(ctx, r.place, job.title);
    }),
  );

  bot.callbackQuery(
    new RegExp(`^crew:cancel:(${UUID})$`),
    safely(async (ctx) => {
      const u = await contractorOf(ctx);
      if (!u) return;
      const m = await crew.cancel(deps, (ctx.match as RegExpMatchArray)[1]!, u.contractorId);
      await ack(ctx, 'Place cancelled');
      await ctx.reply(placeText(m.place, m.job.title, zone));
    }),
  );

  // Receipts: a photo or a PDF, for the place the message replies to, or the one reservation waiting.
  pm.on(
    ['message:photo', 'message:document'],
    safely(async (ctx, next) => {
      const u = await who(ctx);
      if (u?.kind !== 'contractor') return next();
      const reserved = (await myPlaces(deps.db, u.contractorId, true)).filter((r) => r.place.status === 'reserved');
      const ref = PLACE_REF.exec(ctx.msg.reply_to_message?.text ?? ctx.msg.caption ?? '')?.[1];
      const target = ref ? reserved.find((r) => r.place.id === ref) : reserved.length === 1 ? reserved[0] : undefined;
      if (!target) {
        return ctx.reply(
          reserved.length
            ? "You have several reservations waiting for payment: reply to the place's message with the receipt."
            : 'You have no reservation waiting for a receipt. /status shows your places.',
        );
      }
      const file = ctx.msg.photo ? ctx.msg.photo[ctx.msg.photo.length - 1]! : ctx.msg.document!;
      const max = deps.config.RECEIPT_MAX_BYTES;
      if ((file.file_size ?? 0) > max) return ctx.reply(`Receipts may be at most ${Math.round(max / 1024 / 1024)} MB.`);
      const upload = await spoolReceiptBytes(await download(ctx, file.file_id, max), deps.config.uploadDir);
      const m = await crew.submitReceipt(deps, target.place.id, u.contractorId, upload).finally(() => rm(upload.path, { force: true }));
      await ctx.reply(placeText(m.place, m.job.title, zone), { reply_markup: placeKeyboard(m.place) });
    }),
  );

  async function download(ctx: Context, fileId: string, max: number): Promise<Buffer> {
    const f = await ctx.api.getFile(fileId);
    if (!f.file_path) throw new AppError('FILE_UNAVAILABLE', 'Telegram did not hand over the file; send it again', null);
    const res = await fetch(`${deps.config.TELEGRAM_API_ROOT ?? 'https://api.telegram.org'}/file/bot${ctx.api.token}/${f.file_path}`);
    if (!res.ok) throw new Error(`Telegram file download failed: ${res.status}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length > max) throw new AppError('RECEIPT_TOO_LARGE', `Receipts may be at most ${Math.round(max / 1024 / 1024)} MB`, null);
    return bytes;
  }

  // Staff.
  pm.command(
    'pending',
    safely(async (ctx) => {
      if (!(await reviewerOf(ctx))) return;
      const waiting = await listPlaces(deps.db, 'receipt_submitted');
      if (!waiting.length) return ctx.reply('No receipts waiting.');
      for (const p of waiting.slice(0, 10)) {
        const { job } = await getCrewJob(deps.db, p.crewJobId);
        await ctx.reply(`${job.title}: receipt for ${pounds(p.feePence)}\nRef: ${p.id}`, { reply_markup: reviewKeyboard(p.id) });
      }
    }),
  );

  bot.callbackQuery(
    new RegExp(`^crew:approve:(${UUID})$`),
    safely(async (ctx) => {
      const staff = await reviewerOf(ctx);
      if (!staff) return;
      const m = await crew.approve(deps, (ctx.match as RegExpMatchArray)[1]!, staff.userId);
      await ack(ctx, 'Approved');
      await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } }).catch(() => null);
      await ctx.reply(`Approved: ${m.job.title}, ${m.job.confirmedCount} of ${m.job.requiredWorkers} confirmed.`);
    }),
  );

  bot.callbackQuery(
    new RegExp(`^crew:reject:(${UUID})$`),
    safely(async (ctx) => {
      if (!(await reviewerOf(ctx))) return;
      await ack(ctx);
      await ctx.reply(`${REJECT_PROMPT} ${(ctx.match as RegExpMatchArray)[1]}? Reply to this message with the reason.`, {
        reply_markup: { force_reply: true },
      });
    }),
  );

  pm.on(
    'message:text',
    safely(async (ctx, next) => {
      const prompt = ctx.msg.reply_to_message;
      const placeId = prompt?.from?.is_bot && prompt.text?.startsWith(REJECT_PROMPT) ? new RegExp(UUID).exec(prompt.text)?.[0] : undefined;
      if (!placeId || ctx.msg.text.startsWith('/')) return next();
      const staff = await reviewerOf(ctx);
      if (!staff) return;
      const m = await crew.reject(deps, placeId, staff.userId, ctx.msg.text.trim().slice(0, 500));
      await ctx.reply(`Rejected: ${m.job.title}. The place is released.`);
    }),
  );

  pm.command(
    'newjob',
    safely(async (ctx) => {
      const staff = await reviewerOf(ctx);
      if (!staff) return;
      const input = parseNewJob(String(ctx.match ?? ''));
      const job = await crew.createJob(deps, input, staff.userId);
      await ctx.reply(`Draft created:\n\n${jobText(job, zone)}`, {
        reply_markup: new InlineKeyboard().text('📣 Post to the channel', `crew:post:${job.id}`),
      });
    }),
  );

  bot.callbackQuery(
    new RegExp(`^crew:post:(${UUID})$`),
    safely(async (ctx) => {
      if (!(await reviewerOf(ctx))) return;
      const { job } = await crew.moveJob(deps, (ctx.match as RegExpMatchArray)[1]!, 'post');
      await ack(ctx, 'Posted');
      await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } }).catch(() => null);
      await ctx.reply(
        RESERVABLE.includes(job.status)
          ? `Posted: ${job.title}. The channel post shows places left as they fill.`
          : `The job is ${job.status}.`,
      );
    }),
  );

  return bot;
}

/** `/newjob Title | postcode | date | am, pm or HH:MM-HH:MM | workers | fee in £ | task ids | description`. */
export function parseNewJob(text: string): NewCrewJob {
  const parts = text.split('|').map((s) => s.trim());
  const usage = () =>
    new AppError(
      'NEWJOB_FORMAT',
      'Format: /newjob Title | postcode | YYYY-MM-DD | am, pm or 08:00-16:00 | workers | fee in £ | task ids (comma separated) | description',
      null,
    );
  if (parts.length < 6) throw usage();
  const [title, postcode, date, when, workers, fee, tasks, ...rest] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
    string | undefined,
    ...string[],
  ];
  const times = /^(\d{2}:\d{2})-(\d{2}:\d{2})$/.exec(when);
  const slot = when === 'am' || when === 'pm' ? when : null;
  if (!slot && !times) throw usage();
  const requiredWorkers = Number(workers);
  const pounds = Number(fee.replace(/^£/, ''));
  if (
    !Number.isInteger(requiredWorkers) ||
    requiredWorkers < 1 ||
    requiredWorkers > 100 ||
    !Number.isFinite(pounds) ||
    pounds < 0 ||
    pounds > 10_000 ||
    title.length < 3
  )
    throw usage();
  return {
    title,
    postcode,
    date,
    slot,
    startTime: times?.[1] ?? null,
    endTime: times?.[2] ?? null,
    requiredWorkers,
    placeFeePence: Math.round(pounds * 100),
    taskIds: (tasks ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    description: rest.join(' | ') || null,
  };
}
