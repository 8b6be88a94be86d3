import { eq } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/client.js';
import { recordEvent } from '../notifications/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import { canMoveLead, LEAD_TRANSITIONS, type LeadState } from './lead-states.js';
import { leadHistory, leads } from './schema.js';

export type LeadMove = { to: LeadState; actor: string; reason?: string | null; now: Date };

/**
 * The one way a lead changes state: under a row lock, checked against SPEC's table, with the
 * history row and the domain event written in the same transaction. Illegal: 409, nothing changes.
 */
export async function moveLead(tx: Queryable, leadId: string, m: LeadMove) {
  const [lead] = await tx.select().from(leads).where(eq(leads.id, leadId)).for('update');
  if (!lead) throw notFound('Lead', { id: leadId });
  if (!canMoveLead(lead.state, m.to)) {
    throw new AppError('INVALID_TRANSITION', `A lead in ${lead.state} cannot move to ${m.to}`, {
      from: lead.state,
      to: m.to,
      allowed: LEAD_TRANSITIONS[lead.state],
    });
  }
  const [updated] = await tx.update(leads).set({ state: m.to, stateChangedAt: m.now }).where(eq(leads.id, leadId)).returning();
  await tx
    .insert(leadHistory)
    .values({ leadId, fromState: lead.state, toState: m.to, actor: m.actor, reason: m.reason ?? null, at: m.now });
  await recordEvent(tx, 'lead.state_changed', leadId, { from: lead.state, to: m.to, actor: m.actor, reason: m.reason ?? null }, m.now);
  return updated!;
}

/**
 * The lead's state, locked, and whether `moveLeadAlong(path)` could walk it (`canGo`): a lead off
 * the path that cannot step onto it (lost, expired, cancelled) must not be walked, and the caller
 * decides what happens instead.
 */
export async function lockLeadForPath(tx: Queryable, leadId: string, path: readonly LeadState[]) {
  const [lead] = await tx.select({ state: leads.state }).from(leads).where(eq(leads.id, leadId)).for('update');
  if (!lead) throw notFound('Lead', { id: leadId });
  const canGo = path.includes(lead.state) || canMoveLead(lead.state, path[0]!);
  return { state: lead.state, canGo };
}

/** Moves along a path of states, skipping the ones already passed (e.g. slot_held -> booked -> assigned). */
export async function moveLeadAlong(tx: Queryable, leadId: string, path: LeadState[], m: Omit<LeadMove, 'to'>) {
  const [lead] = await tx.select({ state: leads.state }).from(leads).where(eq(leads.id, leadId)).for('update');
  if (!lead) throw notFound('Lead', { id: leadId });
  const from = path.indexOf(lead.state);
  for (const to of path.slice(from + 1)) await moveLead(tx, leadId, { ...m, to });
}

/**
 * Moves the lead only when it is in one of `from` (under the row lock); otherwise leaves it and
 * returns null. For side moves that follow something else (a hold, a booking, a payment), where
 * a lead already past that point must simply stay where it is.
 */
export async function moveLeadIfIn(tx: Queryable, leadId: string, from: readonly LeadState[], m: LeadMove) {
  const [lead] = await tx.select({ state: leads.state }).from(leads).where(eq(leads.id, leadId)).for('update');
  if (!lead || !from.includes(lead.state)) return null;
  return moveLead(tx, leadId, m);
}

/** Staff moving a lead by hand (lost, or along the table): one move in its own transaction. */
export function moveLeadByHand(db: Db, leadId: string, m: LeadMove) {
  return db.transaction((tx) => moveLead(tx, leadId, m));
}
