/** Crew job and crew place rules. Pure: no I/O; the use cases apply them in single SQL statements. */

export const PLACE_STATUSES = ['reserved', 'receipt_submitted', 'confirmed', 'rejected', 'cancelled', 'expired'] as const;
export type PlaceStatus = (typeof PLACE_STATUSES)[number];
export const JOB_STATUSES = ['draft', 'open', 'full', 'in_progress', 'completed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Places counted in reserved_count: held, not yet confirmed. */
export const HELD: readonly PlaceStatus[] = ['reserved', 'receipt_submitted'];
/** Places that take a place on the job (the partial unique index covers exactly these). */
export const LIVE: readonly PlaceStatus[] = ['reserved', 'receipt_submitted', 'confirmed'];
/** Jobs that take reservations (full only until a place is released). */
export const RESERVABLE: readonly JobStatus[] = ['open', 'full'];

export type PlaceAction = 'submit_receipt' | 'approve' | 'reject' | 'cancel' | 'expire';

/**
 * Every move a place can make. Staff may approve or reject a place with or without a receipt
 * (a fee paid another way); a contractor may cancel until it is confirmed; only an unpaid
 * reservation expires (a receipt waiting for review does not lapse).
 */
export const PLACE_MOVES: Record<PlaceAction, { from: readonly PlaceStatus[]; to: PlaceStatus }> = {
  submit_receipt: { from: ['reserved'], to: 'receipt_submitted' },
  approve: { from: ['reserved', 'receipt_submitted'], to: 'confirmed' },
  reject: { from: ['reserved', 'receipt_submitted'], to: 'rejected' },
  cancel: { from: ['reserved', 'receipt_submitted'], to: 'cancelled' },
  expire: { from: ['reserved'], to: 'expired' },
};

export function canMove(from: PlaceStatus, action: PlaceAction): boolean {
  return PLACE_MOVES[action].from.includes(from);
}

export type Counts = { reservedCount: number; confirmedCount: number; requiredWorkers: number };

/** How a place changing state changes the job's counters. */
export function counterDelta(from: PlaceStatus | null, to: PlaceStatus): { reserved: number; confirmed: number } {
  const weight = (s: PlaceStatus | null) => ({ reserved: s && HELD.includes(s) ? 1 : 0, confirmed: s === 'confirmed' ? 1 : 0 });
  const a = weight(from);
  const b = weight(to);
  return { reserved: b.reserved - a.reserved, confirmed: b.confirmed - a.confirmed };
}

export const placesLeft = (c: Counts) => Math.max(0, c.requiredWorkers - c.reservedCount - c.confirmedCount);

/** open and full follow the counters; every other status is staff's and stays as it is. */
export function statusForCounts(status: JobStatus, c: Counts): JobStatus {
  if (!RESERVABLE.includes(status)) return status;
  return placesLeft(c) === 0 ? 'full' : 'open';
}

/** The invariant the CHECK constraint enforces, stated once for the tests and the model. */
export function countsValid(c: Counts): boolean {
  return c.reservedCount >= 0 && c.confirmedCount >= 0 && c.reservedCount + c.confirmedCount <= c.requiredWorkers;
}

export type JobAction = 'post' | 'start' | 'complete' | 'cancel';

/** Staff moves of a crew job; open <-> full is never a staff move (the counters drive it). */
export const JOB_MOVES: Record<JobAction, { from: readonly JobStatus[] }> = {
  post: { from: ['draft', 'open', 'full'] },
  start: { from: ['open', 'full'] },
  complete: { from: ['in_progress'] },
  cancel: { from: ['draft', 'open', 'full', 'in_progress'] },
};

export function jobTarget(action: JobAction, c: Counts): JobStatus {
  switch (action) {
    case 'post':
      return placesLeft(c) === 0 ? 'full' : 'open';
    case 'start':
      return 'in_progress';
    case 'complete':
      return 'completed';
    case 'cancel':
      return 'cancelled';
  }
}
