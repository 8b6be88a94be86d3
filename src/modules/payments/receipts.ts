import { setBookingPayment } from '../bookings/index.js';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { fileTypeFromBuffer } from 'file-type';
import type { FastifyRequest } from 'fastify';
import type { Db, Queryable } from '../../db/client.js';
import { type SpooledFile, spoolToFile } from '../../http/spool-upload.js';
import { ACTIVE_STATUSES } from '../bookings/schema.js';
import { AppError, notFound } from '../../shared/errors.js';
import { bookings } from '../bookings/schema.js';
import { alertStaff, links, messagingBaseUrl } from '../notifications/index.js';
import { stopReceiptClock } from './bank-transfer.js';
import { payments } from './schema.js';
import { activeContentInDocument } from '../../shared/upload-scan.js';
import { recordAudit } from '../audit/index.js';
import path from 'node:path';

export const RECEIPT_TYPES: ReadonlySet<string> = new Set([
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/heic',
  'image/heif',
  'application/pdf',
]);

const receiptDir = (uploadDir: string) => path.resolve(uploadDir, 'receipts');

/** Streams an uploaded receipt to a temporary file beside the stored ones (never whole in memory). */
export async function spoolReceipt(
  req: FastifyRequest,
  stream: Readable & { truncated?: boolean },
  uploadDir: string,
  maxBytes: number,
): Promise<SpooledFile> {
  await mkdir(receiptDir(uploadDir), { recursive: true, mode: 0o700 });
  return spoolToFile(
    req,
    stream,
    path.join(receiptDir(uploadDir), `${randomUUID()}.part`),
    maxBytes,
    () => new AppError('RECEIPT_TOO_LARGE', `Receipts may be at most ${Math.round(maxBytes / 1024 / 1024)} MB`, null),
  );
}

/**
 * A receipt that arrived whole from elsewhere (a Telegram photo, already capped at the size limit),
 * written where spooled ones go so it is checked and stored the same way. The caller removes `path`
 * if it is not stored.
 */
export async function spoolReceiptBytes(bytes: Buffer, uploadDir: string): Promise<SpooledFile> {
  await mkdir(receiptDir(uploadDir), { recursive: true, mode: 0o700 });
  const file = path.join(receiptDir(uploadDir), `${randomUUID()}.part`);
  await writeFile(file, bytes, { mode: 0o600 });
  return { path: file, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), head: bytes.subarray(0, 4100) };
}

/** Checks a spooled receipt by its bytes (not its name) and keeps it under the uploads directory. */
export async function storeReceipt(upload: SpooledFile, uploadDir: string): Promise<{ path: string; mime: string }> {
  const type = await fileTypeFromBuffer(upload.head);
  if (!type || !RECEIPT_TYPES.has(type.mime)) {
    throw new AppError('NOT_A_RECEIPT', 'Upload a photo (JPEG, PNG, WebP, HEIC) or a PDF of the receipt', { detected: type?.mime ?? null });
  }
  // At most RECEIPT_MAX_BYTES, already on disk: read back once for the active-content check.
  const active = activeContentInDocument(await readFile(upload.path), type.mime);
  if (active) throw new AppError('UNSAFE_FILE', `That file cannot be accepted (${active}); send a plain photo or PDF`, { reason: active });
  const file = path.join(receiptDir(uploadDir), `${randomUUID()}.${type.ext}`);
  await rename(upload.path, file);
  return { path: file, mime: type.mime };
}

/**
 * A bank-transfer receipt for a booking: a manual payment waiting for staff. The booking stays
 * pending_confirmation and keeps its slot blocked meanwhile. The stored file is removed again if
 * the database refuses the row.
 */
export async function submitReceipt(tx: Queryable, bookingId: string, receipt: { path: string; mime: string }, now: Date) {
  const [b] = await tx.select().from(bookings).where(eq(bookings.id, bookingId)).for('update');
  if (!b || !ACTIVE_STATUSES.includes(b.status)) throw notFound('Active booking', { id: bookingId });
  if (b.paymentStatus === 'paid') throw new AppError('ALREADY_PAID', 'This booking is already paid', null);
  const [open] = await tx
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.bookingId, bookingId), inArray(payments.status, ['pending_review'])));
  if (open) throw new AppError('RECEIPT_PENDING', 'A receipt for this booking is already waiting for review', { paymentId: open.id });
  const amountPence = b.depositPence ?? 0;
  if (amountPence <= 0) throw new AppError('NO_DEPOSIT_DUE', 'No deposit is due on this booking', null);
  if (b.receiptDueAt && b.receiptDueAt <= now) {
    throw new AppError('RECEIPT_DEADLINE_PASSED', 'The time to upload the receipt has run out; this booking is being cancelled', {
      dueAt: b.receiptDueAt,
    });
  }
  const review = { status: 'pending_review' as const, receiptPath: receipt.path, receiptMime: receipt.mime, updatedAt: now };
  // The payment that was waiting for this receipt (bank-transfer checkout), else a new one (staff).
  // Its created_at restarts at the receipt: the review escalation counts from there.
  const [waiting] = await tx
    .update(payments)
    .set({ ...review, createdAt: now })
    .where(and(eq(payments.bookingId, bookingId), eq(payments.status, 'awaiting_receipt')))
    .returning();
  const [p] = waiting
    ? [waiting]
    : await tx
        .insert(payments)
        .values({
          kind: 'manual',
          amountPence,
          jobId: b.jobId,
          quoteId: b.quoteId,
          bookingId: b.id,
          sessionId: b.sessionId ?? 'staff',
          date: b.date,
          slot: b.slot,
          createdAt: now,
          ...review,
        })
        .returning();
  await stopReceiptClock(tx, bookingId, now);
  return p!;
}

/** The receipt in its own transaction; the stored file is removed again if it is refused. */
export async function submitStoredReceipt(db: Db, bookingId: string, receipt: { path: string; mime: string }, now: Date) {
  try {
    return await db.transaction((tx) => submitReceipt(tx, bookingId, receipt, now));
  } catch (err) {
    await discardReceipt(receipt.path);
    throw err;
  }
}

export async function discardReceipt(file: string) {
  await rm(file, { force: true });
}

/** A receipt payment waiting for staff, locked for their decision; 409 once decided. */
export async function lockPendingReceipt(tx: Queryable, paymentId: string) {
  const [p] = await tx.select().from(payments).where(eq(payments.id, paymentId)).for('update');
  if (!p) throw notFound('Payment', { id: paymentId });
  if (p.kind !== 'manual' || p.status !== 'pending_review')
    throw new AppError('NOT_PENDING_REVIEW', `This payment is ${p.status}`, { status: p.status });
  return p;
}

type Payment = typeof payments.$inferSelect;

/** Staff accept the receipt: the payment succeeds and its booking is paid. */
export async function markReceiptApproved(tx: Queryable, p: Payment, userId: string, now: Date, ip: string | null) {
  await tx.update(payments).set({ status: 'succeeded', reviewedBy: userId, reviewedAt: now, updatedAt: now }).where(eq(payments.id, p.id));
  await setBookingPayment(tx, p.bookingId!, { paymentStatus: 'paid' });
  await recordAudit(tx, {
    action: 'payment.approved',
    actorUserId: userId,
    actor: `staff:${userId}`,
    ip,
    targetType: 'payment',
    targetId: p.id,
    details: { bookingId: p.bookingId, amountPence: p.amountPence },
  });
  return { ...p, status: 'succeeded' as const };
}

/** Staff reject the receipt, with their reason. */
export async function markReceiptRejected(tx: Queryable, p: Payment, userId: string, reason: string, now: Date, ip: string | null) {
  await tx
    .update(payments)
    .set({ status: 'rejected', rejectReason: reason, reviewedBy: userId, reviewedAt: now, updatedAt: now })
    .where(eq(payments.id, p.id));
  await recordAudit(tx, {
    action: 'payment.rejected',
    actorUserId: userId,
    actor: `staff:${userId}`,
    ip,
    targetType: 'payment',
    targetId: p.id,
    details: { bookingId: p.bookingId, reason },
  });
  return { ...p, status: 'rejected' as const };
}

/** Scheduled: receipts waiting longer than the review deadline are escalated to admins, once. */
export async function escalateReceipts(db: Db, now: Date, hours: number): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx.execute<{ id: string; booking_id: string }>(sql`
      select id, booking_id from payments
      where kind = 'manual' and status = 'pending_review' and escalated_at is null
        and created_at <= ${now.toISOString()}::timestamptz - make_interval(hours => ${hours})
      for update skip locked`);
    for (const p of due.rows) {
      await alertStaff(
        tx,
        'receipt_review_overdue',
        { paymentId: p.id, bookingId: p.booking_id, paymentsUrl: links.staffPayments(messagingBaseUrl()) },
        `payment:${p.id}`,
      );
      await tx.update(payments).set({ escalatedAt: now }).where(eq(payments.id, p.id));
    }
    return due.rows.length;
  });
}
