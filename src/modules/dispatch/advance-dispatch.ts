import { and, eq, inArray, lte } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/client.js';
import { bookingRules } from '../availability/index.js';
import { loadJobSpec } from '../jobs/index.js';
import { leads } from '../leads/schema.js';
import { customerLinkForJob } from '../notifications/index.js';
import { links } from '../notifications/index.js';
import { alertStaff, enqueueMessage, messagingBaseUrl } from '../notifications/index.js';
import { notifyOffer } from './notify.js';
import { rankUrgent } from './rank-urgent.js';
import { offerRecipients, offers, urgentDispatches } from './schema.js';
import type { DispatchDeps } from './start-dispatch.js';

type Dispatch = typeof urgentDispatches.$inferSelect;

/** Nobody took it: staff are told, and so is the customer, with their three options. */
async function flagUnfilled(tx: Queryable, dispatch: Dispatch, d: DispatchDeps, reason: string) {
  await tx.update(urgentDispatches).set({ status: 'unfilled', flaggedAt: d.now }).where(eq(urgentDispatches.id, dispatch.id));
  await alertStaff(
    tx,
    'urgent_unfilled',
    { dispatchId: dispatch.id, jobId: dispatch.jobId, reason, dispatchUrl: links.staffDispatch(messagingBaseUrl(), dispatch.id) },
    `dispatch:${dispatch.id}`,
  );
  if (dispatch.leadId) {
    const [lead] = await tx.select().from(leads).where(eq(leads.id, dispatch.leadId));
    if (lead) {
      await enqueueMessage(tx, {
        type: 'urgent_no_contractor',
        to: { lead: lead.id },
        data: {
          customerName: lead.customerName,
          options: ['schedule', 'browse_contractors', 'waitlist'],
          bookUrl: await customerLinkForJob(tx, dispatch.jobId),
        },
        subject: `dispatch:${dispatch.id}`,
      });
    }
  }
}

/**
 * One broadcast to every eligible on-shift contractor (SPEC), those who declined or let lapse a
 * targeted offer included: a "not now" two minutes ago is not a "never", and they can decline the
 * broadcast too.
 */
async function openBroadcast(tx: Queryable, dispatch: Dispatch, d: DispatchDeps) {
  const spec = await loadJobSpec(tx, dispatch.jobId);
  const { ranked: recipients } = await rankUrgent(tx, spec, bookingRules(d.config), d.now);
  if (!recipients.length) return flagUnfilled(tx, dispatch, d, 'nobody eligible on shift to broadcast to');
  const [broadcast] = await tx
    .insert(offers)
    .values({
      dispatchId: dispatch.id,
      kind: 'broadcast',
      contractorId: null,
      priority: 'normal',
      expiresAt: new Date(d.now.getTime() + d.config.BROADCAST_TTL_MINUTES * 60_000),
      createdAt: d.now,
    })
    .returning();
  await tx
    .insert(offerRecipients)
    .values(
      recipients.map((c) => ({ offerId: broadcast!.id, contractorId: c.contractorId, matchScore: c.matchScore, reasons: c.reasons })),
    );
  await tx.update(urgentDispatches).set({ status: 'broadcast' }).where(eq(urgentDispatches.id, dispatch.id));
  await notifyOffer(tx, { type: 'offer.new', offerId: broadcast!.id, contractorId: null });
}

/** After a decline or expiry: when no targeted offer is still open, the broadcast opens. */
export async function advanceDispatch(tx: Queryable, dispatchId: string, d: DispatchDeps) {
  const [dispatch] = await tx.select().from(urgentDispatches).where(eq(urgentDispatches.id, dispatchId)).for('update');
  if (!dispatch || dispatch.status !== 'targeted') return;
  const open = await tx
    .select({ id: offers.id })
    .from(offers)
    .where(and(eq(offers.dispatchId, dispatchId), eq(offers.kind, 'targeted'), eq(offers.status, 'offered')));
  if (open.length === 0) await openBroadcast(tx, dispatch, d);
}

/**
 * Scheduled (and timed per offer): expires offers past their time, opens broadcasts whose
 * targeted round is over, and flags dispatches whose broadcast lapsed. SKIP LOCKED batches.
 */
export async function expireOffers(db: Db, d: DispatchDeps): Promise<{ expired: number }> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(offers)
      .where(and(eq(offers.status, 'offered'), lte(offers.expiresAt, d.now)))
      .for('update', { skipLocked: true })
      .limit(500);
    if (!due.length) return { expired: 0 };
    await tx
      .update(offers)
      .set({ status: 'expired', respondedAt: d.now })
      .where(
        inArray(
          offers.id,
          due.map((o) => o.id),
        ),
      );
    for (const o of due) await notifyOffer(tx, { type: 'offer.expired', offerId: o.id, contractorId: o.contractorId });
    for (const dispatchId of new Set(due.filter((o) => o.kind === 'targeted').map((o) => o.dispatchId)))
      await advanceDispatch(tx, dispatchId, d);
    for (const o of due.filter((x) => x.kind === 'broadcast')) {
      const [dispatch] = await tx.select().from(urgentDispatches).where(eq(urgentDispatches.id, o.dispatchId)).for('update');
      if (dispatch?.status === 'broadcast') await flagUnfilled(tx, dispatch, d, 'broadcast expired');
    }
    return { expired: due.length };
  });
}
