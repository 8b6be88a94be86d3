import { eq, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { AppError, notFound } from '../../shared/errors.js';
import { counterDelta, PLACE_MOVES, type PlaceAction } from './crew-states.js';
import { type CrewJob, type CrewPlace, fromRow } from './rows.js';
import { crewPlaces } from './schema.js';

export type Moved = { place: CrewPlace; job: CrewJob };

type MoveOptions = {
  /** Extra columns to set on the place (already-escaped SQL fragments). */
  set?: SQL[];
  /** Extra condition on the place, e.g. "its reservation has lapsed". */
  where?: SQL;
};

/**
 * Moves one place along PLACE_MOVES and its job's counters in a single statement. The job row is
 * locked first (as reserve and cancel-job do), so concurrent moves never deadlock; the place moves
 * only from an allowed state, and the counters change in the same statement, so they always
 * equal the places. Returns null when the place was not in a state this move starts from.
 */
export async function movePlaceIfAllowed(
  db: Queryable,
  placeId: string,
  action: PlaceAction,
  now: Date,
  opts: MoveOptions = {},
): Promise<Moved | null> {
  const move = PLACE_MOVES[action];
  // Every start state of a move weighs the same, so the counter change depends on the move alone.
  const d = counterDelta(move.from[0]!, move.to);
  const at = sql`${now.toISOString()}::timestamptz`;
  const from = sql.join(
    move.from.map((s) => sql`${s}`),
    sql`, `,
  );
  const extra = opts.set?.length ? sql`, ${sql.join(opts.set, sql`, `)}` : sql``;
  const { rows } = await db.execute<{ place: Record<string, unknown>; job: Record<string, unknown> }>(sql`
    with locked as (
      select j.id from crew_jobs j where j.id = (select crew_job_id from crew_places where id = ${placeId}) for update),
    moved as (
      update crew_places p set status = ${move.to}, updated_at = ${at}${extra}
        from locked
       where p.id = ${placeId} and p.crew_job_id = locked.id and p.status in (${from}) ${opts.where ? sql`and ${opts.where}` : sql``}
      returning p.*),
    job as (
      update crew_jobs j
         set reserved_count = j.reserved_count + ${d.reserved},
             confirmed_count = j.confirmed_count + ${d.confirmed},
             status = case when j.status in ('open', 'full')
                           then case when j.reserved_count + ${d.reserved} + j.confirmed_count + ${d.confirmed} >= j.required_workers then 'full' else 'open' end
                           else j.status::text end::crew_job_status,
             updated_at = ${at}
        from moved
       where j.id = moved.crew_job_id
      returning j.*)
    select to_jsonb(moved.*) as place, to_jsonb(job.*) as job from moved, job`);
  const r = rows[0];
  if (!r) return null;
  return { place: fromRow<CrewPlace>(r.place), job: fromRow<CrewJob>(r.job) };
}

/** Like movePlaceIfAllowed, but a place in the wrong state is a 409 naming its state. */
export async function movePlace(
  db: Queryable,
  placeId: string,
  action: PlaceAction,
  now: Date,
  opts: MoveOptions & { contractorId?: string } = {},
): Promise<Moved> {
  const owner = opts.contractorId ? sql`p.contractor_id = ${opts.contractorId}` : undefined;
  const where = owner && opts.where ? sql`${owner} and ${opts.where}` : (owner ?? opts.where);
  const moved = await movePlaceIfAllowed(db, placeId, action, now, { ...opts, where });
  if (moved) return moved;
  const [p] = await db
    .select({ status: crewPlaces.status, contractorId: crewPlaces.contractorId })
    .from(crewPlaces)
    .where(eq(crewPlaces.id, placeId));
  // Someone else's place is as good as missing to a contractor.
  if (!p || (opts.contractorId && p.contractorId !== opts.contractorId)) throw notFound('Crew place', { id: placeId });
  throw new AppError(
    'INVALID_TRANSITION',
    `This place is ${p.status}; it cannot be ${PLACE_MOVES[action].to.replace('_', ' ')} from there`,
    {
      status: p.status,
      allowedFrom: PLACE_MOVES[action].from,
    },
  );
}
