import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { AppError, notFound } from '../../shared/errors.js';
import { LIVE, RESERVABLE } from './crew-states.js';
import { type CrewPlace, fromRow, pgError } from './rows.js';
import { crewJobs, crewPlaces } from './schema.js';

export type ReserveInput = { crewJobId: string; contractorId: string; idempotencyKey?: string | null };
export type Reserved = { place: CrewPlace; replayed: boolean };

async function byKey(db: Db, contractorId: string, key: string | null | undefined, crewJobId: string): Promise<CrewPlace | null> {
  if (!key) return null;
  const [p] = await db
    .select()
    .from(crewPlaces)
    .where(and(eq(crewPlaces.contractorId, contractorId), eq(crewPlaces.idempotencyKey, key)));
  if (!p) return null;
  if (p.crewJobId !== crewJobId)
    throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used to reserve a place on another crew job', { key });
  return p;
}

/** Why no place was taken: read after the write failed, never as the guard. */
async function refusal(db: Db, { crewJobId, contractorId }: ReserveInput, now: Date): Promise<AppError> {
  const [mine] = await db
    .select({ id: crewPlaces.id, status: crewPlaces.status })
    .from(crewPlaces)
    .where(and(eq(crewPlaces.crewJobId, crewJobId), eq(crewPlaces.contractorId, contractorId), inArray(crewPlaces.status, [...LIVE])));
  if (mine) return new AppError('ALREADY_RESERVED', 'You already have a place on this crew job', { placeId: mine.id, status: mine.status });
  const [j] = await db.select().from(crewJobs).where(eq(crewJobs.id, crewJobId));
  if (!j) return notFound('Crew job', { id: crewJobId });
  if (!RESERVABLE.includes(j.status)) return new AppError('CREW_JOB_NOT_OPEN', `This crew job is ${j.status}`, { status: j.status });
  if (j.startsAt <= now) return new AppError('CREW_JOB_STARTED', 'This crew job has already started', { startsAt: j.startsAt });
  return new AppError('CREW_FULL', 'Every place on this crew job is taken', { requiredWorkers: j.requiredWorkers, placesLeft: 0 });
}

/** The job exists; the contractor is active and skilled in every task it requires (any confidence). One round trip. */
async function assertEligible(db: Db, crewJobId: string, contractorId: string) {
  const { rows } = await db.execute<{ job: boolean; active: boolean | null; missing: string[] }>(sql`
    select exists (select 1 from crew_jobs where id = ${crewJobId}) as job,
           (select is_active from contractors where id = ${contractorId}) as active,
           array(select t.task_id from crew_job_tasks t
                  where t.crew_job_id = ${crewJobId}
                    and not exists (select 1 from contractor_skills s where s.contractor_id = ${contractorId} and s.task_id = t.task_id)
                  order by t.task_id) as missing`);
  const r = rows[0]!;
  if (!r.job) throw notFound('Crew job', { id: crewJobId });
  if (r.active === null) throw notFound('Contractor', { id: contractorId });
  if (!r.active) throw new AppError('CONTRACTOR_INACTIVE', 'An inactive contractor cannot take a place');
  if (r.missing.length)
    throw new AppError('NOT_QUALIFIED', 'This crew job needs skills you have not listed', { missingTaskIds: r.missing });
}

/**
 * Takes a place: one statement whose conditional UPDATE moves the counter only while a place is
 * left (the CHECK on crew_jobs is the backstop) and inserts the place from its result. Nothing is
 * read first and then written. A unique violation (same contractor twice, or the same key racing)
 * aborts the whole statement, so the counter never drifts from the places.
 */
export async function reservePlace(db: Db, input: ReserveInput, ttlMinutes: number, now: Date): Promise<Reserved> {
  const replay = await byKey(db, input.contractorId, input.idempotencyKey, input.crewJobId);
  if (replay) return { place: replay, replayed: true };
  await assertEligible(db, input.crewJobId, input.contractorId);

  const at = now.toISOString();
  const expiresAt = new Date(now.getTime() + ttlMinutes * 60_000).toISOString();
  try {
    const { rows } = await db.execute<{ place: Record<string, unknown> }>(sql`
      with taken as (
        update crew_jobs
           set reserved_count = reserved_count + 1,
               status = case when reserved_count + 1 + confirmed_count >= required_workers then 'full' else 'open' end::crew_job_status,
               updated_at = ${at}::timestamptz
         where id = ${input.crewJobId}
           and status in ('open', 'full')
           and starts_at > ${at}::timestamptz
           and reserved_count + confirmed_count < required_workers
        returning id, place_fee_pence)
      insert into crew_places (crew_job_id, contractor_id, status, fee_pence, idempotency_key, expires_at, created_at, updated_at)
      select id, ${input.contractorId}, 'reserved', place_fee_pence, ${input.idempotencyKey ?? null}, ${expiresAt}::timestamptz, ${at}::timestamptz, ${at}::timestamptz
        from taken
      returning to_jsonb(crew_places.*) as place`);
    if (rows[0]) return { place: fromRow<CrewPlace>(rows[0].place), replayed: false };
  } catch (err) {
    // The one-live-place index or the key index: both are explained below.
    if (pgError(err)?.code !== '23505') throw err;
  }
  // A request with the same key may have won while this one waited for the row lock.
  const raced = await byKey(db, input.contractorId, input.idempotencyKey, input.crewJobId);
  if (raced) return { place: raced, replayed: true };
  throw await refusal(db, input, now);
}
