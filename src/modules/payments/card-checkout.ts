import { and, eq } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/client.js';
import { payments } from './schema.js';

type Payment = typeof payments.$inferSelect;

/** The checkout session's card payment still waiting for Stripe: concurrent checkouts share it. */
export async function openCardPayment(tx: Queryable, jobId: string, sessionId: string): Promise<Payment | null> {
  const [open] = await tx
    .select()
    .from(payments)
    .where(
      and(eq(payments.jobId, jobId), eq(payments.sessionId, sessionId), eq(payments.kind, 'card'), eq(payments.status, 'requires_payment')),
    );
  return open ?? null;
}

/** A card payment for a held slot's deposit, before any PaymentIntent exists. */
export async function createCardPayment(
  tx: Queryable,
  p: { amountPence: number; jobId: string; quoteId: string; sessionId: string; date: string; slot: Payment['slot']; now: Date },
): Promise<Payment> {
  const [created] = await tx
    .insert(payments)
    .values({
      kind: 'card',
      status: 'requires_payment',
      amountPence: p.amountPence,
      jobId: p.jobId,
      quoteId: p.quoteId,
      sessionId: p.sessionId,
      date: p.date,
      slot: p.slot,
      createdAt: p.now,
      updatedAt: p.now,
    })
    .returning();
  return created!;
}

/** Stores the PaymentIntent Stripe made for the payment (after commit: Stripe is never called inside a transaction). */
export async function storeIntent(db: Db, paymentId: string, intent: { id: string; clientSecret: string }, now: Date): Promise<Payment> {
  const [stored] = await db
    .update(payments)
    .set({ providerRef: intent.id, clientSecret: intent.clientSecret, updatedAt: now })
    .where(eq(payments.id, paymentId))
    .returning();
  return stored!;
}
