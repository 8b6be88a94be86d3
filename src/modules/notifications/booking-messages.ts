import { linkToken } from '../../shared/secrets.js';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { bookings } from '../bookings/schema.js';
import { contractors } from '../contractors/schema.js';
import { jobs } from '../jobs/schema.js';
import { leads } from '../leads/schema.js';
import { quotes } from '../quotes/schema.js';
import { links } from './links.js';
import { enqueueMessage, messagingBaseUrl } from './outbox.js';

type Facts = {
  booking: typeof bookings.$inferSelect;
  lead: { id: string; customerName: string; address: string | null; postcode: string } | null;
  contractorName: string;
  address: string;
  description: string;
  manageUrl: string | null;
};

/** The customer's link for a job: its latest quote (the page shows the booking and takes receipts). */
export async function customerLinkForJob(tx: Queryable, jobId: string): Promise<string | null> {
  const [q] = await tx
    .select({ id: quotes.id })
    .from(quotes)
    .innerJoin(leads, eq(leads.id, quotes.leadId))
    .where(eq(leads.jobId, jobId))
    .orderBy(desc(quotes.version))
    .limit(1);
  return q ? links.quote(messagingBaseUrl(), linkToken('quote', q.id)) : null;
}

async function facts(tx: Queryable, bookingId: string): Promise<Facts | null> {
  const [row] = await tx
    .select({ booking: bookings, contractorName: contractors.name, jobPostcode: jobs.postcode, jobDescription: jobs.description })
    .from(bookings)
    .innerJoin(contractors, eq(contractors.id, bookings.contractorId))
    .innerJoin(jobs, eq(jobs.id, bookings.jobId))
    .where(eq(bookings.id, bookingId));
  if (!row) return null;
  const [lead] = await tx
    .select({
      id: leads.id,
      customerName: leads.customerName,
      address: leads.address,
      postcode: leads.postcode,
      description: leads.description,
    })
    .from(leads)
    .where(eq(leads.jobId, row.booking.jobId))
    .limit(1);
  const [quote] = row.booking.quoteId ? await tx.select({ id: quotes.id }).from(quotes).where(eq(quotes.id, row.booking.quoteId)) : [];
  const address = lead?.address ? `${lead.address}, ${lead.postcode}` : (lead?.postcode ?? row.jobPostcode);
  return {
    booking: row.booking,
    lead: lead ?? null,
    contractorName: row.contractorName,
    address,
    description: lead?.description ?? row.jobDescription ?? 'see the job',
    manageUrl: quote
      ? links.quote(messagingBaseUrl(), linkToken('quote', quote.id))
      : lead
        ? await customerLinkForJob(tx, row.booking.jobId)
        : null,
  };
}

/**
 * A booking became confirmed (created so, or moved there): the customer hears it once (an urgent
 * job names the contractor on the way), and the contractor gets the job with its address and slot.
 * The dedupe keys make "once" hold whichever path confirmed it.
 */
export async function bookingConfirmedMessages(tx: Queryable, bookingId: string): Promise<void> {
  const f = await facts(tx, bookingId);
  if (!f) return;
  const { booking: b } = f;
  const subject = `booking:${b.id}`;
  if (f.lead) {
    if (b.source === 'dispatch') {
      await enqueueMessage(tx, {
        type: 'contractor_assigned_customer',
        to: { lead: f.lead.id },
        subject,
        dedupeKey: `confirmed:${b.id}`,
        data: { customerName: f.lead.customerName, contractorName: f.contractorName, date: b.date, slot: b.slot, manageUrl: f.manageUrl },
      });
    } else {
      await enqueueMessage(tx, {
        type: 'booking_confirmed',
        to: { lead: f.lead.id },
        subject,
        dedupeKey: `confirmed:${b.id}`,
        data: { customerName: f.lead.customerName, date: b.date, slot: b.slot, manageUrl: f.manageUrl },
      });
    }
  }
  await enqueueMessage(tx, {
    type: 'contractor_assigned_contractor',
    to: { contractor: b.contractorId },
    subject,
    dedupeKey: `assigned:${b.id}:${b.contractorId}`,
    data: {
      contractorName: f.contractorName,
      date: b.date,
      slot: b.slot,
      address: f.address,
      description: f.description,
      jobUrl: links.contractorBooking(messagingBaseUrl(), b.id),
    },
  });
}

/** Staff approved the bank transfer: the customer's one confirmation message says so. */
export async function paymentApprovedMessage(tx: Queryable, bookingId: string, amountPence: number): Promise<void> {
  const f = await facts(tx, bookingId);
  if (!f?.lead) return;
  await enqueueMessage(tx, {
    type: 'payment_approved',
    to: { lead: f.lead.id },
    subject: `booking:${bookingId}`,
    dedupeKey: `confirmed:${bookingId}`,
    data: { customerName: f.lead.customerName, amountPence, date: f.booking.date, slot: f.booking.slot, manageUrl: f.manageUrl },
  });
}

export async function paymentRejectedMessage(tx: Queryable, bookingId: string, reason: string): Promise<void> {
  const f = await facts(tx, bookingId);
  if (!f?.lead) return;
  await enqueueMessage(tx, {
    type: 'payment_rejected',
    to: { lead: f.lead.id },
    subject: `booking:${bookingId}`,
    dedupeKey: `cancelled:${bookingId}`,
    data: { customerName: f.lead.customerName, reason, manageUrl: f.manageUrl },
  });
}

/** A cancellation with what the refund policy gave back; `reason` overrides the booking's own (a contractor's words stay internal). */
export async function bookingCancelledMessage(
  tx: Queryable,
  bookingId: string,
  refund: { pence: number; by: 'card' | 'bank' | null; transferUnderReview?: boolean },
  reason?: string,
): Promise<void> {
  const f = await facts(tx, bookingId);
  if (!f?.lead) return;
  await enqueueMessage(tx, {
    type: 'booking_cancelled',
    to: { lead: f.lead.id },
    subject: `booking:${bookingId}`,
    dedupeKey: `cancelled:${bookingId}`,
    data: {
      customerName: f.lead.customerName,
      date: f.booking.date,
      slot: f.booking.slot,
      reason: reason ?? f.booking.statusReason ?? 'cancelled',
      refundPence: refund.pence,
      refundBy: refund.pence > 0 ? refund.by : null,
      ...(refund.transferUnderReview ? { transferUnderReview: true } : {}),
    },
  });
}

/**
 * Scheduled: the day before each confirmed booking, one reminder to the customer and one to the
 * contractor. The dedupe key per booking makes it once however often the job runs.
 */
export async function sendDayBeforeReminders(db: Queryable, tomorrow: string): Promise<number> {
  const due = await db
    .select({ id: bookings.id })
    .from(bookings)
    .where(
      and(
        eq(bookings.date, tomorrow),
        eq(bookings.status, 'confirmed'),
        sql`not exists (select 1 from outbox_messages o where o.dedupe_key = ${'reminder:'} || ${bookings.id} || ':contractor#0')`,
      ),
    )
    .limit(1000);
  let sent = 0;
  for (const { id } of due) {
    const f = await facts(db, id);
    if (!f) continue;
    const b = f.booking;
    if (f.lead) {
      await enqueueMessage(db, {
        type: 'day_before_customer',
        to: { lead: f.lead.id },
        subject: `booking:${b.id}`,
        dedupeKey: `reminder:${b.id}:customer`,
        data: { customerName: f.lead.customerName, date: b.date, slot: b.slot, contractorName: f.contractorName, manageUrl: f.manageUrl },
      });
    }
    const ids = await enqueueMessage(db, {
      type: 'day_before_contractor',
      to: { contractor: b.contractorId },
      subject: `booking:${b.id}`,
      dedupeKey: `reminder:${b.id}:contractor`,
      data: {
        contractorName: f.contractorName,
        date: b.date,
        slot: b.slot,
        address: f.address,
        jobUrl: links.contractorBooking(messagingBaseUrl(), b.id),
      },
    });
    sent += ids.length;
  }
  return sent;
}
