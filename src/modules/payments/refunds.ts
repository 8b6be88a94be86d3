import { setBookingPayment } from '../bookings/index.js';
import { eq } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/client.js';
import type { CancellationCause } from '../bookings/index.js';
import type { PaymentGateway } from './gateway.js';
import { payments, refunds } from './schema.js';
import { recordAudit } from '../audit/index.js';

/** Records a refund to make (inside the caller's transaction); the money moves after commit. */
export async function recordRefund(tx: Queryable, payment: typeof payments.$inferSelect, amountPence: number, reason: string) {
  const status = payment.kind === 'card' ? 'pending' : 'to_pay_by_bank';
  const [refund] = await tx
    .insert(refunds)
    .values({ paymentId: payment.id, amountPence, reason, status })
    .onConflictDoNothing()
    .returning();
  await tx.update(payments).set({ status: 'refunded', updatedAt: new Date() }).where(eq(payments.id, payment.id));
  if (payment.bookingId) await setBookingPayment(tx, payment.bookingId, { paymentStatus: 'refunded' });
  if (refund) {
    await recordAudit(tx, {
      action: 'payment.refund_recorded',
      actor: 'system',
      targetType: 'payment',
      targetId: payment.id,
      details: { refundId: refund.id, amountPence, reason, status },
    });
  }
  return refund ?? null;
}

/**
 * Sends a pending card refund to the processor. Never inside a transaction; the refund id is the
 * idempotency key, so running it twice refunds once. A failure stays recorded for staff.
 */
export async function executeRefund(db: Db, gateway: PaymentGateway | null, refundId: string) {
  const [r] = await db.select().from(refunds).where(eq(refunds.id, refundId));
  if (!r || r.status !== 'pending') return r ?? null;
  const [p] = await db.select().from(payments).where(eq(payments.id, r.paymentId));
  if (!gateway || !p?.providerRef) {
    await db.update(refunds).set({ status: 'failed', error: 'card payments are not configured' }).where(eq(refunds.id, refundId));
    return null;
  }
  try {
    const done = await gateway.refund({ refundId, paymentIntentId: p.providerRef, amountPence: r.amountPence });
    const [updated] = await db
      .update(refunds)
      .set({ status: done.status, providerRef: done.id, error: null })
      .where(eq(refunds.id, refundId))
      .returning();
    return updated!;
  } catch (err) {
    await db
      .update(refunds)
      .set({ status: 'failed', error: String((err as Error).message).slice(0, 500) })
      .where(eq(refunds.id, refundId));
    return null;
  }
}

/** The cancellation policy: the business (or its contractor) cancelling refunds in full; the
 * customer gets the deposit back when cancelling at least `fullHoursBefore` hours ahead, else nothing. */
export function refundDue(o: { cause: CancellationCause; startsAt: Date; now: Date; paidPence: number; fullHoursBefore: number }): number {
  if (o.cause !== 'customer' && o.cause !== 'payment_not_received') return o.paidPence;
  return o.startsAt.getTime() - o.now.getTime() >= o.fullHoursBefore * 3_600_000 ? o.paidPence : 0;
}
