import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import type { SpooledFile } from '../../http/spool-upload.js';
import { discardReceipt, storeReceipt } from '../payments/index.js';
import type { CrewAnnouncer } from './announcer.js';
import { createCrewJob, moveCrewJob, type NewCrewJob } from './crew-jobs.js';
import type { JobAction } from './crew-states.js';
import { expireCrewPlaces, remindCrewPlaces } from './expire-places.js';
import type { Moved } from './move-place.js';
import { approvePlace, cancelPlace, rejectPlace, submitPlaceReceipt } from './place-moves.js';
import { reservePlace, type ReserveInput } from './reserve-place.js';
import type { CrewPlace } from './rows.js';

export type QueueLike = { send: (name: string, data: object, options?: { startAfter?: Date }) => Promise<unknown> };
type Log = { error: (obj: object, msg?: string) => void };

/** What the API routes, the bot and the workers share: every crew action goes through here. */
export type CrewDeps = { db: Db; config: Config; now: () => Date; queue?: QueueLike; announcer: CrewAnnouncer | null; log: Log };

export const PLACE_TIMER = 'crew-place-timer';

/**
 * The use cases plus what follows a commit: the place's timed jobs (a reminder, then expiry;
 * pg-boss keeps them in the database across restarts, the minute sweep is the backstop) and the
 * channel post. Nothing here runs inside a transaction.
 */
async function afterCommit(deps: CrewDeps, jobId: string) {
  await deps.announcer?.refreshJob(jobId);
}

async function scheduleTimers(deps: CrewDeps, place: CrewPlace) {
  if (!deps.queue) return;
  const remindAt = new Date(place.expiresAt.getTime() - deps.config.CREW_REMINDER_MINUTES_BEFORE * 60_000);
  const sends = [deps.queue.send(PLACE_TIMER, { placeId: place.id }, { startAfter: place.expiresAt })];
  if (deps.config.CREW_REMINDER_MINUTES_BEFORE > 0 && remindAt > deps.now())
    sends.push(deps.queue.send(PLACE_TIMER, { placeId: place.id }, { startAfter: remindAt }));
  await Promise.all(sends).catch((err: unknown) =>
    deps.log.error({ err, placeId: place.id }, 'could not schedule the crew place timers; the sweep will catch up'),
  );
}

export async function reserve(deps: CrewDeps, input: ReserveInput) {
  const r = await reservePlace(deps.db, input, deps.config.CREW_RESERVATION_TTL_MINUTES, deps.now());
  if (!r.replayed) {
    await scheduleTimers(deps, r.place);
    await afterCommit(deps, r.place.crewJobId);
  }
  return r;
}

/** Checks the receipt by its bytes, stores it, and moves the place; the file goes again if the move is refused. */
export async function submitReceipt(deps: CrewDeps, placeId: string, contractorId: string, upload: SpooledFile): Promise<Moved> {
  const stored = await storeReceipt(upload, deps.config.uploadDir);
  let m: Moved;
  try {
    m = await submitPlaceReceipt(deps.db, placeId, contractorId, stored, deps.now());
  } catch (err) {
    await discardReceipt(stored.path);
    throw err;
  }
  await deps.announcer?.notifyReviewers(placeId);
  return m;
}

const thenRefresh = async (deps: CrewDeps, m: Promise<Moved>) => {
  const moved = await m;
  await afterCommit(deps, moved.job.id);
  return moved;
};

export const approve = (deps: CrewDeps, placeId: string, userId: string) =>
  thenRefresh(deps, approvePlace(deps.db, placeId, userId, deps.now()));
export const reject = (deps: CrewDeps, placeId: string, userId: string, reason: string) =>
  thenRefresh(deps, rejectPlace(deps.db, placeId, userId, reason, deps.now()));
export const cancel = (deps: CrewDeps, placeId: string, contractorId: string) =>
  thenRefresh(deps, cancelPlace(deps.db, placeId, contractorId, deps.now()));

export const createJob = (deps: CrewDeps, input: NewCrewJob, userId: string | null) =>
  createCrewJob(deps.db, input, userId, deps.config, deps.now());

export async function moveJob(deps: CrewDeps, jobId: string, action: JobAction, reason?: string | null) {
  const r = await moveCrewJob(deps.db, jobId, action, deps.now(), reason);
  if (action === 'post') await deps.announcer?.postJob(jobId);
  else await afterCommit(deps, jobId);
  return r;
}

/** The timed job and the minute sweep: reminders first, then expiry; every touched post is refreshed. */
export async function runPlaceTimers(deps: CrewDeps, scope: { placeId?: string } = {}) {
  const now = deps.now();
  const reminded = await remindCrewPlaces(deps.db, now, deps.config.CREW_REMINDER_MINUTES_BEFORE, scope);
  const expired = await expireCrewPlaces(deps.db, now, scope);
  for (const jobId of new Set(expired.map((m) => m.job.id))) await afterCommit(deps, jobId);
  return { reminded, expired: expired.length };
}
