import { and, eq, sql } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Db, Queryable } from '../../db/client.js';
import { bookings } from '../bookings/schema.js';
import { transitionBookingTx } from '../bookings/index.js';
import { leads } from '../leads/schema.js';
import { customerLinkForJob } from '../notifications/index.js';
import { enqueueMessage } from '../notifications/index.js';
import { payments } from './schema.js';

type Booking = typeof bookings.$inferSelect;

/** What a customer paying by bank transfer needs to see. */
export type BankTransferDetails = {
  accountName: string; sortCode: string; accountNumber: string; reference: string; amountPence: number; dueAt: Date | null;
};

/** The payment reference the customer quotes on the transfer (short, unambiguous, from the booking id). */
export const transferReference = (bookingId: string) => `HANDY-${bookingId.slice(0, 8).toUpperCase()}`;

export function bankTransferDetails(b: Booking, config: Config): BankTransferDetails | null {
  if (b.status !== 'pending_confirmation' || b.paymentStatus !== 'awaiting_receipt') return null;
  return {
    accountName: config.BANK_ACCOUNT_NAME, sortCode: config.BANK_SORT_CODE, accountNumber: config.BANK_ACCOUNT_NUMBER,
    reference: transferReference(b.id), amountPence: b.depositPence ?? 0, dueAt: b.receiptDueAt,
  };
}

/**
 * A bank-transfer checkout, in the booking's transaction: the booking waits for the receipt
 * (payment status awaiting_receipt) until RECEIPT_UPLOAD_HOURS from now, and the ledger gets a
 * manual payment in the same state. No deposit due: nothing to wait for.
 */
export async function awaitReceipt(tx: Queryable, b: Booking, hours: number, now: Date): Promise<Booking> {
  if (!b.depositPence || b.depositPence <= 0 || b.paymentStatus === 'paid') return b;
  const dueAt = new Date(now.getTime() + hours * 3_600_000);
  const [updated] = await tx
    .update(bookings)
    .set({ paymentStatus: 'awaiting_receipt', receiptDueAt: dueAt, updatedAt: now })
    .where(eq(bookings.id, b.id))
    .returning();
  await tx.insert(payments).values({
    kind: 'manual', status: 'awaiting_receipt', amountPence: b.depositPence, jobId: b.jobId, quoteId: b.quoteId, bookingId: b.id,
    sessionId: b.sessionId ?? 'customer', date: b.date, slot: b.slot, createdAt: now, updatedAt: now,
  });
  return updated!;
}

/** Receipts arriving: the clock stops while staff review (payment status back to pending). */
export async function stopReceiptClock(tx: Queryable, bookingId: string, now: Date) {
  await tx.update(bookings).set({ paymentStatus: 'pending', receiptDueAt: null, updatedAt: now }).where(eq(bookings.id, bookingId));
}

async function leadOf(tx: Queryable, jobId: string) {
  const [lead] = await tx.select({ id: leads.id, name: leads.customerName }).from(leads).where(eq(leads.jobId, jobId)).limit(1);
  return lead ?? null;
}

/**
 * Scheduled (every minute, and timed for each deadline): reminds customers whose receipt deadline
 * is within RECEIPT_REMINDER_HOURS_BEFORE, once; cancels bookings whose deadline has passed with
 * no receipt (cause payment_not_received), which frees the slot and moves the lead, in the same
 * transaction. SKIP LOCKED batches, so overlapping runs and concurrent uploads never wait.
 */
export async function expireUnpaidBookings(db: Db, config: Config, now: Date): Promise<{ reminded: number; cancelled: number }> {
  const at = now.toISOString();
  const reminded = await db.transaction(async (tx) => {
    const due = await tx.execute<{ id: string }>(sql`
      select id from bookings
      where payment_status = 'awaiting_receipt' and status = 'pending_confirmation' and receipt_reminder_sent_at is null
        and receipt_due_at > ${at}::timestamptz
        and receipt_due_at <= ${at}::timestamptz + make_interval(hours => ${config.RECEIPT_REMINDER_HOURS_BEFORE})
      order by receipt_due_at limit 200
      for update skip locked`);
    for (const { id } of due.rows) {
      const [b] = await tx.update(bookings).set({ receiptReminderSentAt: now }).where(eq(bookings.id, id)).returning();
      const lead = await leadOf(tx, b!.jobId);
      const uploadUrl = await customerLinkForJob(tx, b!.jobId);
      if (lead && uploadUrl) {
        await enqueueMessage(tx, {
          type: 'receipt_reminder', to: { lead: lead.id }, subject: `booking:${b!.id}`, dedupeKey: `receipt_reminder:${b!.id}`,
          data: { customerName: lead.name, amountPence: b!.depositPence ?? 0, uploadUrl, dueAt: b!.receiptDueAt!.toISOString(), reference: transferReference(b!.id) },
        });
      }
    }
    return due.rows.length;
  });
  const cancelled = await db.transaction(async (tx) => {
    const overdue = await tx.execute<{ id: string }>(sql`
      select id from bookings
      where payment_status = 'awaiting_receipt' and status = 'pending_confirmation' and receipt_due_at <= ${at}::timestamptz
      order by receipt_due_at limit 200
      for update skip locked`);
    for (const { id } of overdue.rows) {
      const b = await transitionBookingTx(tx, id, { to: 'cancelled', cause: 'payment_not_received', reason: 'No bank-transfer receipt by the deadline', actor: 'system' }, now);
      await tx.update(payments).set({ status: 'cancelled', updatedAt: now }).where(and(eq(payments.bookingId, id), eq(payments.status, 'awaiting_receipt')));
      const lead = await leadOf(tx, b.jobId);
      if (lead) {
        await enqueueMessage(tx, {
          type: 'booking_cancelled', to: { lead: lead.id }, subject: `booking:${b.id}`,
          data: { customerName: lead.name, date: b.date, slot: b.slot as 'am' | 'pm', reason: 'no bank-transfer receipt arrived by the deadline', refundPence: 0, refundBy: null },
        });
      }
    }
    return overdue.rows.length;
  });
  return { reminded, cancelled };
}
