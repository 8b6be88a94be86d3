import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { notifyContractor } from './crew-jobs.js';
import { movePlaceIfAllowed, type Moved } from './move-place.js';

type Scope = { placeId?: string; limit?: number };

/**
 * Releases unpaid reservations whose time is up. Each place moves in its own single statement
 * (job row locked first, like every move), so a sweep never deadlocks with requests or another
 * sweep, and a place that was paid or cancelled meanwhile is simply skipped.
 */
export async function expireCrewPlaces(db: Db, now: Date, scope: Scope = {}): Promise<Moved[]> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const { rows } = await db.execute<{ id: string }>(sql`
    select id from crew_places
     where status = 'reserved' and expires_at <= ${at} ${scope.placeId ? sql`and id = ${scope.placeId}` : sql``}
     order by expires_at limit ${scope.limit ?? 500}`);
  const expired: Moved[] = [];
  for (const { id } of rows) {
    const m = await db.transaction(async (tx) => {
      const moved = await movePlaceIfAllowed(tx, id, 'expire', now, { where: sql`p.expires_at <= ${at}`, set: [sql`ended_at = ${at}`] });
      if (moved) {
        await notifyContractor(
          tx,
          moved.place.contractorId,
          'crew_place_expired',
          { placeId: id, crewJobId: moved.job.id, title: moved.job.title },
          `crew-place:${id}`,
        );
      }
      return moved;
    });
    if (m) expired.push(m);
  }
  return expired;
}

/** Tells each contractor once, shortly before their unpaid reservation lapses. */
export async function remindCrewPlaces(db: Db, now: Date, minutesBefore: number, scope: Scope = {}): Promise<number> {
  if (minutesBefore <= 0) return 0;
  const at = sql`${now.toISOString()}::timestamptz`;
  return db.transaction(async (tx) => {
    const { rows } = await tx.execute<{
      id: string;
      contractor_id: string;
      crew_job_id: string;
      expires_at: Date;
      fee_pence: number;
      title: string;
    }>(sql`
      update crew_places p set reminder_sent_at = ${at}
        from crew_jobs j
       where j.id = p.crew_job_id and p.id in (
         select id from crew_places
          where status = 'reserved' and reminder_sent_at is null
            and expires_at > ${at} and expires_at <= ${at} + make_interval(mins => ${minutesBefore})
            ${scope.placeId ? sql`and id = ${scope.placeId}` : sql``}
          order by expires_at limit ${scope.limit ?? 500}
          for update skip locked)
      returning p.id, p.contractor_id, p.crew_job_id, p.expires_at, p.fee_pence, j.title`);
    for (const p of rows) {
      const minutesLeft = Math.max(1, Math.round((new Date(p.expires_at).getTime() - now.getTime()) / 60_000));
      await notifyContractor(
        tx,
        p.contractor_id,
        'crew_reservation_expiring',
        {
          placeId: p.id,
          crewJobId: p.crew_job_id,
          title: p.title,
          feePence: p.fee_pence,
          expiresAt: new Date(p.expires_at).toISOString(),
          minutesLeft,
        },
        `crew-place:${p.id}`,
      );
    }
    return rows.length;
  });
}
