import { setBookingPayment } from '../bookings/index.js';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Db, Queryable } from '../../db/client.js';
import { bookings } from '../bookings/schema.js';
import { leads } from '../leads/schema.js';
import { customerLinkForJob, enqueueMessage } from '../notifications/index.js';
import { payments } from './schema.js';

type Booking = typeof bookings.$inferSelect;

/** What a customer paying by bank transfer needs to see. */
export type BankTransferDetails = {
  accountName: string;
  sortCode: string;
  accountNumber: string;
  reference: string;
  amountPence: number;
  dueAt: Date | null;
};

/** The payment reference the customer quotes on the transfer (short, unambiguous, from the booking id). */
export const transferReference = (bookingId: string) => `HANDY-${bookingId.slice(0, 8).toUpperCase()}`;

export function bankTransferDetails(b: Booking, config: Config): BankTransferDetails | null {
  if (b.status !== 'pending_confirmation' || b.paymentStatus !== 'awaiting_receipt') return null;
  return {
    accountName: config.BANK_ACCOUNT_NAME,
    sortCode: config.BANK_SORT_CODE,
    accountNumber: config.BANK_ACCOUNT_NUMBER,
    reference: transferReference(b.id),
    amountPence: b.depositPence ?? 0,
    dueAt: b.receiptDueAt,
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
  const updated = await setBookingPayment(tx, b.id, { paymentStatus: 'awaiting_receipt', receiptDueAt: dueAt }, now);
  await tx.insert(payments).values({
    kind: 'manual',
    status: 'awaiting_receipt',
    amountPence: b.depositPence,
    jobId: b.jobId,
    quoteId: b.quoteId,
    bookingId: b.id,
    sessionId: b.sessionId ?? 'customer',
    date: b.date,
    slot: b.slot,
    createdAt: now,
    updatedAt: now,
  });
  return updated!;
}

/** Receipts arriving: the clock stops while staff review (payment status back to pending). */
export async function stopReceiptClock(tx: Queryable, bookingId: string, now: Date) {
  await setBookingPayment(tx, bookingId, { paymentStatus: 'pending', receiptDueAt: null }, now);
}

async function leadOf(tx: Queryable, jobId: string) {
  const [lead] = await tx.select({ id: leads.id, name: leads.customerName }).from(leads).where(eq(leads.jobId, jobId)).limit(1);
  return lead ?? null;
}

/**
 * Scheduled (every minute, and timed for each deadline; see src/flows/expire-unpaid-bookings.ts):
 * reminds customers whose receipt deadline is within RECEIPT_REMINDER_HOURS_BEFORE, once. SKIP
 * LOCKED batches, so overlapping runs and concurrent uploads never wait.
 */
export async function remindUnpaidBookings(db: Db, config: Config, now: Date): Promise<number> {
  const at = now.toISOString();
  return db.transaction(async (tx) => {
    const due = await tx.execute<{ id: string }>(sql`
      select id from bookings
      where payment_status = 'awaiting_receipt' and status = 'pending_confirmation' and receipt_reminder_sent_at is null
        and receipt_due_at > ${at}::timestamptz
        and receipt_due_at <= ${at}::timestamptz + make_interval(hours => ${config.RECEIPT_REMINDER_HOURS_BEFORE})
      order by receipt_due_at limit 200
      for update skip locked`);
    for (const { id } of due.rows) {
      const b = await setBookingPayment(tx, id, { receiptReminderSentAt: now });
      const lead = await leadOf(tx, b!.jobId);
      const uploadUrl = await customerLinkForJob(tx, b!.jobId);
      if (lead && uploadUrl) {
        await enqueueMessage(tx, {
          type: 'receipt_reminder',
          to: { lead: lead.id },
          subject: `booking:${b!.id}`,
          dedupeKey: `receipt_reminder:${b!.id}`,
          data: {
            customerName: lead.name,
            amountPence: b!.depositPence ?? 0,
            uploadUrl,
            dueAt: b!.receiptDueAt!.toISOString(),
            reference: transferReference(b!.id),
          },
        });
      }
    }
    return due.rows.length;
  });
}

/** Bookings whose receipt deadline has passed with no receipt, locked (SKIP LOCKED: never waits on an upload). */
export async function lockOverdueUnpaidBookings(tx: Queryable, now: Date): Promise<string[]> {
  const overdue = await tx.execute<{ id: string }>(sql`
    select id from bookings
    where payment_status = 'awaiting_receipt' and status = 'pending_confirmation' and receipt_due_at <= ${now.toISOString()}::timestamptz
    order by receipt_due_at limit 200
    for update skip locked`);
  return overdue.rows.map((r) => r.id);
}

/** The manual payment that waited for the receipt ends with its cancelled booking, and the customer is told why. */
export async function closeUnpaid(tx: Queryable, b: Booking, now: Date) {
  await tx
    .update(payments)
    .set({ status: 'cancelled', updatedAt: now })
    .where(and(eq(payments.bookingId, b.id), eq(payments.status, 'awaiting_receipt')));
  const lead = await leadOf(tx, b.jobId);
  if (lead) {
    await enqueueMessage(tx, {
      type: 'booking_cancelled',
      to: { lead: lead.id },
      subject: `booking:${b.id}`,
      data: {
        customerName: lead.name,
        date: b.date,
        slot: b.slot as 'am' | 'pm',
        reason: 'no bank-transfer receipt arrived by the deadline',
        refundPence: 0,
        refundBy: null,
      },
    });
  }
}

/**
 * A booking ended by the business side (declined, cancelled) before it was paid: a deposit still
 * awaited is cancelled; a bank-transfer receipt waiting for review stays in the review queue,
 * flagged, since the money may have arrived and must then go back. True when one was flagged.
 */
export async function endWaitingPayments(tx: Queryable, bookingId: string, why: string, now: Date): Promise<boolean> {
  await tx
    .update(payments)
    .set({ status: 'cancelled', updatedAt: now })
    .where(and(eq(payments.bookingId, bookingId), inArray(payments.status, ['requires_payment', 'awaiting_receipt'])));
  const flagged = await tx
    .update(payments)
    .set({ flag: `booking ${why}: check the transfer arrived and refund it`, updatedAt: now })
    .where(and(eq(payments.bookingId, bookingId), eq(payments.status, 'pending_review')))
    .returning({ id: payments.id });
  return flagged.length > 0;
}
