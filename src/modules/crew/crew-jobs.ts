import { and, eq, inArray } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Config } from '../../config.js';
import type { Db, Queryable } from '../../db/client.js';
import { isIsoDate, type Slot, slotInstants } from '../availability/index.js';
import { assertTasksExist } from '../contractors/index.js';
import { geocode } from '../geo/index.js';
import { enqueueMessage, type MessageData, type MessageType } from '../notifications/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import { JOB_MOVES, type JobAction, jobTarget, LIVE } from './crew-states.js';
import type { CrewJob } from './rows.js';
import { crewJobs, crewJobTasks, crewPlaces } from './schema.js';

export type NewCrewJob = {
  title: string;
  description?: string | null;
  postcode: string;
  date: string;
  slot?: Slot | null;
  startTime?: string | null;
  endTime?: string | null;
  placeFeePence: number;
  requiredWorkers: number;
  taskIds: string[];
};

/** The instants a crew job runs: a standard slot, or its own start and end (local time). */
export function crewJobTimes(input: Pick<NewCrewJob, 'date' | 'slot' | 'startTime' | 'endTime'>, config: Config) {
  if (!isIsoDate(input.date)) throw new AppError('INVALID_DATE', `${input.date} is not a calendar date`, { field: 'date' });
  if (input.slot) {
    if (input.startTime || input.endTime)
      throw new AppError('TIME_AMBIGUOUS', 'Give either a slot or a start and end time, not both', null);
    return slotInstants(input.date, input.slot, { zone: config.BUSINESS_TIME_ZONE, windows: config.slots });
  }
  if (!input.startTime || !input.endTime) throw new AppError('TIME_REQUIRED', 'Give a slot (am/pm) or a start and end time', null);
  const at = (t: string) => DateTime.fromISO(`${input.date}T${t}`, { zone: config.BUSINESS_TIME_ZONE });
  const start = at(input.startTime);
  const end = at(input.endTime);
  if (!start.isValid || !end.isValid) throw new AppError('INVALID_TIME', 'Times are HH:MM (24h)', null);
  if (end <= start) throw new AppError('INVALID_TIME', 'The end time must be after the start time', null);
  return { startsAt: start.toJSDate(), endsAt: end.toJSDate() };
}

/** Staff create a crew job as a draft; posting opens it. */
export async function createCrewJob(db: Db, input: NewCrewJob, userId: string | null, config: Config, now: Date): Promise<CrewJob> {
  const place = geocode(input.postcode);
  const { startsAt, endsAt } = crewJobTimes(input, config);
  if (startsAt <= now) throw new AppError('DATE_IN_PAST', 'A crew job must start in the future', { startsAt });
  const taskIds = [...new Set(input.taskIds)];
  await assertTasksExist(db, taskIds, 'taskIds');
  return db.transaction(async (tx) => {
    const [job] = await tx
      .insert(crewJobs)
      .values({
        title: input.title,
        description: input.description ?? null,
        postcode: place.postcode,
        outcode: place.outcode,
        latitude: place.latitude,
        longitude: place.longitude,
        date: input.date,
        slot: input.slot ?? null,
        startsAt,
        endsAt,
        placeFeePence: input.placeFeePence,
        requiredWorkers: input.requiredWorkers,
        createdByUserId: userId,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (taskIds.length) await tx.insert(crewJobTasks).values(taskIds.map((taskId) => ({ crewJobId: job!.id, taskId })));
    return job!;
  });
}

const DONE: Record<JobAction, string> = { post: 'posted', start: 'started', complete: 'completed', cancel: 'cancelled' };

/**
 * Staff moves of a crew job. Posting opens a draft (open or full by its counters); cancelling
 * releases every live place in the same transaction and tells their contractors. The job row is
 * locked first, like every place move, so nothing deadlocks.
 */
export async function moveCrewJob(
  db: Db,
  id: string,
  action: JobAction,
  now: Date,
  reason?: string | null,
): Promise<{ job: CrewJob; released: string[] }> {
  return db.transaction(async (tx) => {
    const [j] = await tx.select().from(crewJobs).where(eq(crewJobs.id, id)).for('update');
    if (!j) throw notFound('Crew job', { id });
    if (!JOB_MOVES[action].from.includes(j.status)) {
      throw new AppError('INVALID_TRANSITION', `A ${j.status} crew job cannot be ${DONE[action]}`, {
        status: j.status,
        allowedFrom: JOB_MOVES[action].from,
      });
    }
    if (action === 'post' && j.startsAt <= now)
      throw new AppError('CREW_JOB_STARTED', 'This crew job has already started', { startsAt: j.startsAt });
    let released: string[] = [];
    if (action === 'cancel') {
      const gone = await tx
        .update(crewPlaces)
        .set({ status: 'cancelled', endedAt: now, updatedAt: now })
        .where(and(eq(crewPlaces.crewJobId, id), inArray(crewPlaces.status, [...LIVE])))
        .returning({ id: crewPlaces.id, contractorId: crewPlaces.contractorId });
      released = gone.map((p) => p.id);
      for (const p of gone)
        await notifyContractor(
          tx,
          p.contractorId,
          'crew_job_cancelled',
          { crewJobId: id, title: j.title, reason: reason ?? null, placeId: p.id },
          `crew-place:${p.id}`,
        );
    }
    const [job] = await tx
      .update(crewJobs)
      .set({
        status: jobTarget(action, j),
        ...(action === 'cancel' ? { reservedCount: 0, confirmedCount: 0, cancelReason: reason ?? null } : {}),
        updatedAt: now,
      })
      .where(eq(crewJobs.id, id))
      .returning();
    return { job: job!, released };
  });
}

/** A message to a contractor, on their preferred channel (Telegram once linked) with the usual fallbacks. */
export async function notifyContractor<K extends MessageType>(
  tx: Queryable,
  contractorId: string,
  type: K,
  data: MessageData[K],
  subject: string,
) {
  await enqueueMessage(tx, { type, to: { contractor: contractorId }, data, subject });
}
