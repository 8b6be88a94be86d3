import type { Queryable } from '../db/client.js';
import { moveLeadAlong } from '../modules/leads/index.js';
import { acceptQuote } from '../modules/quotes/index.js';

/** The lead's way from the customer opening the quote to a contractor attached. */
export const QUOTE_BOOKED_PATH = ['quote_viewed', 'slot_held', 'booked', 'assigned'] as const;

/**
 * The step both quote checkouts share (the customer's link and the card webhook), in the
 * booking's transaction: the quote is accepted, then its lead goes on to assigned (a contractor
 * is attached), skipping the states it has already passed.
 */
export async function quoteBooked(
  tx: Queryable,
  quoteId: string,
  m: {
    actor: string;
    reason: string;
    now: Date;
    /** The customer's own checkout refuses a quote no longer active (410). */ mustBeActive: boolean;
  },
) {
  const quote = await acceptQuote(tx, quoteId, m.now, { mustBeActive: m.mustBeActive });
  await moveLeadAlong(tx, quote.leadId, [...QUOTE_BOOKED_PATH], {
    actor: m.actor,
    reason: m.reason,
    now: m.now,
  });
  return quote;
}
