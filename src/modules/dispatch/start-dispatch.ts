import { and, eq, inArray } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Db, Queryable } from '../../db/client.js';
import { bookingRules } from '../availability/index.js';
import { AppError } from '../../shared/errors.js';
import { assertJobNotBooked, recordCandidates } from '../bookings/index.js';
import { type JobSpec, loadJobSpec } from '../jobs/index.js';
import { moveLeadIfIn } from '../leads/index.js';
import { leads } from '../leads/schema.js';
import { alertStaff, links, messagingBaseUrl } from '../notifications/index.js';
import { notifyOffer } from './notify.js';
import { rankUrgent } from './rank-urgent.js';
import { offers, urgentDispatches } from './schema.js';

export type DispatchDeps = { config: Config; now: Date };

/** The job as dispatch needs it: 409 NO_REQUIREMENTS until its task requirements are set. */
export async function dispatchableSpec(db: Queryable, jobId: string) {
  const spec = await loadJobSpec(db, jobId);
  if (!spec.tasks.some((t) => t.isPrimary))
    throw new AppError('NO_REQUIREMENTS', 'Set the job’s task requirements before dispatching', { jobId });
  return spec;
}

/** 409 DISPATCH_IN_PROGRESS when the job already has a live dispatch. */
export async function assertNoLiveDispatch(db: Queryable, jobId: string) {
  const [live] = await db
    .select({ id: urgentDispatches.id })
    .from(urgentDispatches)
    .where(and(eq(urgentDispatches.jobId, jobId), inArray(urgentDispatches.status, ['targeted', 'broadcast'])));
  if (live) throw new AppError('DISPATCH_IN_PROGRESS', 'This job is already being dispatched', { dispatchId: live.id });
}

type DispatchInput = { jobId: string; leadId?: string | null; userId?: string | null };

/**
 * Marks a job urgent: scores everyone who could take it now and sends targeted offers to the
 * top TARGETED_OFFERS (priority high, OFFER_TTL_SECONDS). With nobody on shift the dispatch is
 * flagged for staff at once and the customer is offered the alternatives. One transaction; the
 * offers reach contractors' apps by NOTIFY when it commits.
 */
export async function startDispatch(db: Db, input: DispatchInput, d: DispatchDeps) {
  const spec = await dispatchableSpec(db, input.jobId);
  return db.transaction((tx) => startDispatchInTx(tx, spec, input, d));
}

/**
 * The same, inside the caller's transaction (a re-dispatch cancels the booking first in it).
 * 409 JOB_ALREADY_BOOKED while the job has an active booking: its offers could never be accepted.
 */
export async function startDispatchInTx(tx: Queryable, spec: JobSpec, input: DispatchInput, d: DispatchDeps) {
  await assertJobNotBooked(tx, input.jobId, 'to make it urgent, re-dispatch that booking (POST /api/bookings/{id}/dispatch)');
  const leadId =
    input.leadId ?? (await tx.select({ id: leads.id }).from(leads).where(eq(leads.jobId, input.jobId)).limit(1))[0]?.id ?? null;
  const { slot, ranked } = await rankUrgent(tx, spec, bookingRules(d.config), d.now);
  const top = ranked.slice(0, d.config.TARGETED_OFFERS);
  const [dispatch] = await tx
    .insert(urgentDispatches)
    .values({
      jobId: input.jobId,
      leadId,
      date: slot.date,
      slot: slot.slot,
      createdByUserId: input.userId ?? null,
      status: top.length ? 'targeted' : 'unfilled',
      flaggedAt: top.length ? null : d.now,
      createdAt: d.now,
    })
    .onConflictDoNothing()
    .returning();
  if (!dispatch) throw new AppError('DISPATCH_IN_PROGRESS', 'This job is already being dispatched', { jobId: input.jobId });
  await recordCandidates(tx, input.jobId, ranked);
  const expiresAt = new Date(d.now.getTime() + d.config.OFFER_TTL_SECONDS * 1000);
  const created = top.length
    ? await tx
        .insert(offers)
        .values(
          top.map((c) => ({
            dispatchId: dispatch.id,
            kind: 'targeted' as const,
            contractorId: c.contractorId,
            priority: 'high' as const,
            matchScore: c.matchScore,
            reasons: c.reasons,
            expiresAt,
            createdAt: d.now,
          })),
        )
        .returning()
    : [];
  for (const o of created) await notifyOffer(tx, { type: 'offer.new', offerId: o.id, contractorId: o.contractorId });
  if (!top.length) {
    await alertStaff(
      tx,
      'urgent_unfilled',
      {
        dispatchId: dispatch.id,
        jobId: input.jobId,
        reason: 'nobody on shift',
        dispatchUrl: links.staffDispatch(messagingBaseUrl(), dispatch.id),
      },
      `dispatch:${dispatch.id}`,
    );
  }
  if (leadId) await moveLeadIfIn(tx, leadId, ['booked'], { to: 'dispatching', actor: 'system', reason: 'urgent dispatch', now: d.now });
  return { dispatch, offers: created, candidates: ranked.length };
}
