import { z } from 'zod';
import type { payments } from './schema.js';

export const paymentView = z.object({
  id: z.uuid(),
  kind: z.string(),
  status: z.string(),
  amountPence: z.number().int(),
  currency: z.string(),
  bookingId: z.uuid().nullable(),
  date: z.string(),
  slot: z.string(),
  flag: z.string().nullable(),
  clientSecret: z.string().nullable(),
  publishableKey: z.string().nullable(),
  createdAt: z.date(),
});

export function presentPayment(p: typeof payments.$inferSelect, publishableKey: string | null = null): z.infer<typeof paymentView> {
  return {
    id: p.id,
    kind: p.kind,
    status: p.status,
    amountPence: p.amountPence,
    currency: p.currency,
    bookingId: p.bookingId,
    date: p.date,
    slot: p.slot,
    flag: p.flag,
    clientSecret: p.status === 'requires_payment' ? p.clientSecret : null,
    publishableKey: p.kind === 'card' ? publishableKey : null,
    createdAt: p.createdAt,
  };
}

/** Where and by when to pay a bank-transfer deposit. */
export const bankTransferView = z.object({
  accountName: z.string(),
  sortCode: z.string(),
  accountNumber: z.string(),
  reference: z.string(),
  amountPence: z.number().int(),
  dueAt: z.date().nullable(),
});
