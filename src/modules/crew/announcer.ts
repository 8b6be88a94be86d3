import { and, eq, isNull, sql } from 'drizzle-orm';
import { Api, GrammyError, InlineKeyboard, InputFile } from 'grammy';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { contractors } from '../contractors/schema.js';
import { channelText, deepLink, pounds, shownPlacesLeft } from './crew-text.js';
import { crewJobs, crewPlaces } from './schema.js';
import { reviewerChats } from './telegram-link.js';

type Log = { error: (obj: object, msg?: string) => void };

/**
 * The crew job's face on Telegram: the channel post (edited as places fill) and the receipts put
 * in front of staff with approve/reject buttons. Called only after the change has committed; a
 * Telegram failure is logged and never undoes a reservation (the minute sweep re-syncs the post).
 */
export type CrewAnnouncer = {
  api: Api;
  botUsername: () => Promise<string>;
  /** Posts the job to the channel once; later calls refresh it. */
  postJob: (jobId: string) => Promise<void>;
  /** Edits the channel post to the job's current places; concurrent calls for a job coalesce. */
  refreshJob: (jobId: string) => Promise<void>;
  /** Sends a submitted receipt to every linked reviewer with approve/reject buttons. */
  notifyReviewers: (placeId: string) => Promise<void>;
};

export const reviewKeyboard = (placeId: string) =>
  new InlineKeyboard().text('✅ Approve', `crew:approve:${placeId}`).text('❌ Reject', `crew:reject:${placeId}`);

const notModified = (err: unknown) => err instanceof GrammyError && /not modified/i.test(err.description);

export function crewAnnouncer(db: Db, config: Config, log: Log, given?: Api): CrewAnnouncer | null {
  if (!config.TELEGRAM_BOT_TOKEN && !given) return null;
  const api = given ?? new Api(config.TELEGRAM_BOT_TOKEN!, { apiRoot: config.TELEGRAM_API_ROOT ?? 'https://api.telegram.org' });
  const zone = config.BUSINESS_TIME_ZONE;
  let username: Promise<string> | null = null;
  const botUsername = () => {
    username ??= api
      .getMe()
      .then((me) => me.username)
      .catch((err: unknown) => {
        username = null;
        throw err;
      });
    return username;
  };

  async function render(jobId: string) {
    const [job] = await db.select().from(crewJobs).where(eq(crewJobs.id, jobId));
    if (!job) return null;
    const name = await botUsername();
    const left = shownPlacesLeft(job);
    const keyboard = left > 0 ? new InlineKeyboard().url(`Reserve a place (${left} left)`, deepLink(name, job.id)) : undefined;
    return { job, left, text: channelText(job, zone, name), keyboard };
  }

  async function edit(jobId: string) {
    const r = await render(jobId);
    if (!r || r.job.channelMessageId === null || r.job.channelChatId === null) return;
    try {
      await api.editMessageText(r.job.channelChatId, r.job.channelMessageId, r.text, {
        reply_markup: r.keyboard ?? { inline_keyboard: [] },
        link_preview_options: { is_disabled: true },
      });
    } catch (err) {
      if (!notModified(err)) throw err;
    }
    await db.update(crewJobs).set({ channelPlacesLeft: r.left }).where(eq(crewJobs.id, jobId));
  }

  // Per job: one edit in flight and at most one queued behind it (which reads the newest state).
  const running = new Map<string, Promise<void>>();
  const queued = new Map<string, Promise<void>>();
  function refreshJob(jobId: string): Promise<void> {
    const waiting = queued.get(jobId);
    if (waiting) return waiting;
    const next: Promise<void> = (running.get(jobId) ?? Promise.resolve())
      .then(() => {
        queued.delete(jobId);
        running.set(jobId, next);
        return edit(jobId);
      })
      .catch((err: unknown) => log.error({ err, jobId }, 'could not update the crew job post on Telegram'))
      .finally(() => {
        if (running.get(jobId) === next) running.delete(jobId);
      });
    queued.set(jobId, next);
    return next;
  }

  async function postJob(jobId: string) {
    const channel = config.TELEGRAM_CREW_CHANNEL_ID;
    if (!channel) return;
    // Claim the post first, so two staff pressing "post" at once make one channel message.
    const [claimed] = await db
      .update(crewJobs)
      .set({ channelChatId: channel })
      .where(and(eq(crewJobs.id, jobId), isNull(crewJobs.channelMessageId), isNull(crewJobs.channelChatId)))
      .returning({ id: crewJobs.id });
    if (!claimed) return refreshJob(jobId);
    try {
      const r = (await render(jobId))!;
      const msg = await api.sendMessage(channel, r.text, { reply_markup: r.keyboard, link_preview_options: { is_disabled: true } });
      await db.update(crewJobs).set({ channelMessageId: msg.message_id, channelPlacesLeft: r.left }).where(eq(crewJobs.id, jobId));
    } catch (err) {
      await db.update(crewJobs).set({ channelChatId: null }).where(eq(crewJobs.id, jobId));
      log.error({ err, jobId }, 'could not post the crew job to the Telegram channel');
      return;
    }
    // A reservation that landed while the message was being sent is shown too.
    await refreshJob(jobId);
  }

  async function notifyReviewers(placeId: string) {
    const [p] = await db
      .select({ place: crewPlaces, title: crewJobs.title, contractor: contractors.name })
      .from(crewPlaces)
      .innerJoin(crewJobs, eq(crewJobs.id, crewPlaces.crewJobId))
      .innerJoin(contractors, eq(contractors.id, crewPlaces.contractorId))
      .where(eq(crewPlaces.id, placeId));
    if (!p?.place.receiptPath) return;
    const caption = `Receipt for ${p.title}\n${p.contractor} · place fee ${pounds(p.place.feePence)}\nPlace ${placeId}`;
    for (const chat of await reviewerChats(db)) {
      const file = new InputFile(p.place.receiptPath);
      const options = { caption, reply_markup: reviewKeyboard(placeId) };
      try {
        // Telegram shows JPEG and PNG as photos; PDFs, HEIC and WebP travel as documents.
        if (p.place.receiptMime === 'image/jpeg' || p.place.receiptMime === 'image/png') await api.sendPhoto(chat, file, options);
        else await api.sendDocument(chat, file, options);
      } catch (err) {
        log.error({ err, placeId, chat }, 'could not send a crew receipt to a reviewer');
      }
    }
  }

  return { api, botUsername, postJob, refreshJob, notifyReviewers };
}

const shared = new WeakMap<Db, WeakMap<Config, CrewAnnouncer | null>>();

/** One announcer per database and configuration, so the API and the workers of a process share the per-job edit queue. */
export function sharedAnnouncer(db: Db, config: Config, log: Log): CrewAnnouncer | null {
  let byConfig = shared.get(db);
  if (!byConfig) shared.set(db, (byConfig = new WeakMap()));
  if (!byConfig.has(config)) byConfig.set(config, crewAnnouncer(db, config, log));
  return byConfig.get(config)!;
}

/** Scheduled: brings every channel post whose places changed without an edit (another process, a failed call) up to date. */
export async function resyncChannelPosts(db: Db, announcer: CrewAnnouncer | null): Promise<number> {
  if (!announcer) return 0;
  const { rows } = await db.execute<{ id: string }>(sql`
    select id from crew_jobs
     where channel_message_id is not null
       and channel_places_left is distinct from
           case when status in ('open', 'full') then greatest(0, required_workers - reserved_count - confirmed_count) else -1 end
     limit 50`);
  for (const { id } of rows) await announcer.refreshJob(id);
  return rows.length;
}
