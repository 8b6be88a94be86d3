import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { enqueueMessage } from '../notifications/index.js';
import { notifyContractor } from './crew-jobs.js';
import { movePlace, type Moved } from './move-place.js';

/** The use cases that move a place; each writes its message in the move's transaction. */

const about = (m: Moved) => ({ placeId: m.place.id, crewJobId: m.job.id, title: m.job.title, date: m.job.date });

/** The contractor's receipt for the place fee (already checked and stored): waits for staff. */
export function submitPlaceReceipt(
  db: Db,
  placeId: string,
  contractorId: string,
  receipt: { path: string; mime: string },
  now: Date,
): Promise<Moved> {
  return db.transaction(async (tx) => {
    const m = await movePlace(tx, placeId, 'submit_receipt', now, {
      contractorId,
      set: [
        sql`receipt_path = ${receipt.path}`,
        sql`receipt_mime = ${receipt.mime}`,
        sql`receipt_submitted_at = ${now.toISOString()}::timestamptz`,
      ],
    });
    await enqueueMessage(tx, {
      type: 'crew_receipt_submitted',
      to: { staff: true },
      data: { placeId, crewJobId: m.job.id, title: m.job.title },
      subject: `crew-place:${placeId}`,
    });
    return m;
  });
}

/** Staff approve: the place is confirmed, one moves from reserved_count to confirmed_count. */
export function approvePlace(db: Db, placeId: string, userId: string, now: Date): Promise<Moved> {
  return db.transaction(async (tx) => {
    const m = await movePlace(tx, placeId, 'approve', now, {
      set: [sql`reviewed_by = ${userId}`, sql`reviewed_at = ${now.toISOString()}::timestamptz`],
    });
    await notifyContractor(
      tx,
      m.place.contractorId,
      'crew_place_confirmed',
      { ...about(m), startsAt: m.job.startsAt.toISOString(), postcode: m.job.postcode },
      `crew-place:${m.place.id}`,
    );
    return m;
  });
}

/** Staff reject with a reason: the place is released. */
export function rejectPlace(db: Db, placeId: string, userId: string, reason: string, now: Date): Promise<Moved> {
  return db.transaction(async (tx) => {
    const at = sql`${now.toISOString()}::timestamptz`;
    const m = await movePlace(tx, placeId, 'reject', now, {
      set: [sql`reviewed_by = ${userId}`, sql`reviewed_at = ${at}`, sql`reject_reason = ${reason}`, sql`ended_at = ${at}`],
    });
    await notifyContractor(tx, m.place.contractorId, 'crew_place_rejected', { ...about(m), reason }, `crew-place:${m.place.id}`);
    return m;
  });
}

/** The contractor gives the place back before it is confirmed. */
export function cancelPlace(db: Db, placeId: string, contractorId: string, now: Date): Promise<Moved> {
  return movePlace(db, placeId, 'cancel', now, { contractorId, set: [sql`ended_at = ${now.toISOString()}::timestamptz`] });
}
