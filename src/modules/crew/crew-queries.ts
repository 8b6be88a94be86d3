import { and, asc, desc, eq, gt, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { notFound } from '../../shared/errors.js';
import { contractors, contractorSkills } from '../contractors/schema.js';
import { type JobStatus, LIVE, type PlaceStatus, RESERVABLE } from './crew-states.js';
import type { CrewJob } from './rows.js';
import { crewJobs, crewJobTasks, crewPlaces } from './schema.js';

/** Reads shared by the API and the bot. */

async function taskIdsOf(db: Db, ids: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (!ids.length) return map;
  const rows = await db.select().from(crewJobTasks).where(inArray(crewJobTasks.crewJobId, ids)).orderBy(asc(crewJobTasks.taskId));
  for (const r of rows) map.get(r.crewJobId)!.push(r.taskId);
  return map;
}

export async function withTasks(db: Db, jobs: CrewJob[]) {
  const tasks = await taskIdsOf(
    db,
    jobs.map((j) => j.id),
  );
  return jobs.map((job) => ({ job, taskIds: tasks.get(job.id)! }));
}

export async function getCrewJob(db: Db, id: string) {
  const [job] = await db.select().from(crewJobs).where(eq(crewJobs.id, id));
  if (!job) throw notFound('Crew job', { id });
  return (await withTasks(db, [job]))[0]!;
}

export async function listCrewJobs(db: Db, status?: JobStatus) {
  const jobs = await db
    .select()
    .from(crewJobs)
    .where(status ? eq(crewJobs.status, status) : undefined)
    .orderBy(asc(crewJobs.startsAt), asc(crewJobs.id))
    .limit(200);
  return withTasks(db, jobs);
}

export async function placesOfJob(db: Db, crewJobId: string) {
  return db
    .select({ place: crewPlaces, contractorName: contractors.name })
    .from(crewPlaces)
    .innerJoin(contractors, eq(contractors.id, crewPlaces.contractorId))
    .where(eq(crewPlaces.crewJobId, crewJobId))
    .orderBy(asc(crewPlaces.createdAt), asc(crewPlaces.id));
}

export async function listPlaces(db: Db, status?: PlaceStatus) {
  return db
    .select()
    .from(crewPlaces)
    .where(status ? eq(crewPlaces.status, status) : undefined)
    .orderBy(desc(crewPlaces.updatedAt))
    .limit(200);
}

export async function myPlaces(db: Db, contractorId: string, liveOnly = false) {
  return db
    .select({ place: crewPlaces, title: crewJobs.title })
    .from(crewPlaces)
    .innerJoin(crewJobs, eq(crewJobs.id, crewPlaces.crewJobId))
    .where(and(eq(crewPlaces.contractorId, contractorId), liveOnly ? inArray(crewPlaces.status, [...LIVE]) : undefined))
    .orderBy(desc(crewPlaces.createdAt))
    .limit(100);
}

/** Jobs taking reservations that have not started, with whether this contractor has the skills and their live place. */
export async function openJobsFor(db: Db, contractorId: string, now: Date) {
  const jobs = await db
    .select()
    .from(crewJobs)
    .where(and(inArray(crewJobs.status, [...RESERVABLE]), gt(crewJobs.startsAt, now)))
    .orderBy(asc(crewJobs.startsAt), asc(crewJobs.id))
    .limit(100);
  const rows = await withTasks(db, jobs);
  const skills = new Set(
    (
      await db.select({ taskId: contractorSkills.taskId }).from(contractorSkills).where(eq(contractorSkills.contractorId, contractorId))
    ).map((s) => s.taskId),
  );
  const mine = jobs.length
    ? await db
        .select({ id: crewPlaces.id, crewJobId: crewPlaces.crewJobId, status: crewPlaces.status })
        .from(crewPlaces)
        .where(
          and(
            eq(crewPlaces.contractorId, contractorId),
            inArray(
              crewPlaces.crewJobId,
              jobs.map((j) => j.id),
            ),
            inArray(crewPlaces.status, [...LIVE]),
          ),
        )
    : [];
  const byJob = new Map(mine.map((p) => [p.crewJobId, p]));
  return rows.map((r) => ({ ...r, qualified: r.taskIds.every((t) => skills.has(t)), myPlace: byJob.get(r.job.id) ?? null }));
}
