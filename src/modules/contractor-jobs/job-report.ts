import { rm } from 'node:fs/promises';
import { count, eq } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/client.js';
import { AppError, notFound } from '../../shared/errors.js';
import { storeCheckedFile } from '../../shared/checked-upload.js';
import { bookings } from '../bookings/schema.js';
import { RECEIPT_TYPES } from '../payments/index.js';
import { bookingPhotos, bookingReports } from './schema.js';
import path from 'node:path';

/** Photos are images only: the receipts' check without PDF. */
const PHOTO_TYPES: ReadonlySet<string> = new Set([...RECEIPT_TYPES].filter((t) => t.startsWith('image/')));
export const MAX_PHOTOS_PER_JOB = 12;
const PHOTO_STATUSES = new Set(['confirmed', 'in_progress', 'completed']);

export function storeJobPhoto(bytes: Buffer, uploadDir: string) {
  return storeCheckedFile(
    bytes,
    path.join(uploadDir, 'job-photos'),
    PHOTO_TYPES,
    (detected) => new AppError('NOT_A_PHOTO', 'Upload a photo (JPEG, PNG, WebP or HEIC)', { detected }),
  );
}

/**
 * Attaches a stored photo to one of the contractor's jobs. The booking row lock makes the
 * per-job limit hold under concurrent uploads; the file is removed again if the row is refused.
 */
export async function addJobPhoto(
  db: Db,
  bookingId: string,
  contractorId: string,
  file: { path: string; mime: string; bytes: number },
  now: Date,
) {
  try {
    return await db.transaction(async (tx) => {
      const [b] = await tx
        .select({ contractorId: bookings.contractorId, status: bookings.status })
        .from(bookings)
        .where(eq(bookings.id, bookingId))
        .for('update');
      if (!b || b.contractorId !== contractorId) throw notFound('Booking', { id: bookingId });
      if (!PHOTO_STATUSES.has(b.status))
        throw new AppError('NOT_PHOTOGRAPHABLE', `Photos are for confirmed, started or completed jobs, not ${b.status} ones`, {
          status: b.status,
        });
      const [n] = await tx.select({ n: count() }).from(bookingPhotos).where(eq(bookingPhotos.bookingId, bookingId));
      if (n!.n >= MAX_PHOTOS_PER_JOB)
        throw new AppError('TOO_MANY_PHOTOS', `A job may have at most ${MAX_PHOTOS_PER_JOB} photos`, { max: MAX_PHOTOS_PER_JOB });
      const [row] = await tx
        .insert(bookingPhotos)
        .values({ bookingId, contractorId, path: file.path, mime: file.mime, bytes: file.bytes, createdAt: now })
        .returning();
      return row!;
    });
  } catch (e) {
    await rm(file.path, { force: true });
    throw e;
  }
}

/** The contractor's completion notes on a job, written in the completing transaction. */
export async function addCompletionNotes(tx: Queryable, bookingId: string, contractorId: string, notes: string, now: Date) {
  await tx.insert(bookingReports).values({ bookingId, contractorId, notes, createdAt: now });
}
