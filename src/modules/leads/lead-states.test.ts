import { describe, expect, it } from 'vitest';
import { canMoveLead, LEAD_STATES, LEAD_TRANSITIONS, type LeadState } from './lead-states.js';

// SPEC's table, written out independently of the implementation.
const SPEC: [LeadState, LeadState[]][] = [
  ['created', ['sku_detected', 'video_requested', 'estimator_queued', 'quote_generated', 'lost']],
  ['sku_detected', ['quote_generated', 'video_requested', 'estimator_queued', 'lost']],
  ['video_requested', ['video_received', 'expired', 'lost']],
  ['video_received', ['video_scored', 'estimator_queued']],
  ['video_scored', ['quote_generated', 'estimator_queued']],
  ['estimator_queued', ['estimating', 'lost']],
  ['estimating', ['quote_generated', 'estimator_queued']],
  ['quote_generated', ['quote_sent']],
  ['quote_sent', ['quote_viewed', 'quote_generated', 'expired', 'lost']],
  ['quote_viewed', ['slot_held', 'quote_generated', 'expired', 'lost']],
  ['slot_held', ['booked', 'quote_viewed']],
  ['booked', ['assigned', 'dispatching', 'cancelled']],
  ['dispatching', ['assigned', 'cancelled']],
  ['assigned', ['in_progress', 'cancelled', 'dispatching']],
  ['in_progress', ['completed']],
  ['expired', ['quote_generated']],
];

describe('lead transitions', () => {
  it.each(SPEC.flatMap(([from, tos]) => tos.map((to) => [from, to] as const)))('allows %s -> %s', (from, to) => {
    expect(canMoveLead(from, to)).toBe(true);
  });

  it('allows nothing else (every pair checked)', () => {
    const allowed = new Set(SPEC.flatMap(([from, tos]) => tos.map((to) => `${from}>${to}`)));
    for (const from of LEAD_STATES)
      for (const to of LEAD_STATES) expect(canMoveLead(from, to), `${from} -> ${to}`).toBe(allowed.has(`${from}>${to}`));
  });

  it.each([
    ['created', 'booked'],
    ['quote_generated', 'quote_viewed'],
    ['completed', 'created'],
    ['lost', 'quote_generated'],
    ['slot_held', 'quote_sent'],
    ['video_requested', 'quote_generated'],
    ['booked', 'completed'],
    ['expired', 'quote_sent'],
  ] as const)('rejects %s -> %s', (from, to) => {
    expect(canMoveLead(from, to)).toBe(false);
  });

  it('ends at completed, lost and cancelled', () => {
    expect(LEAD_STATES.filter((s) => LEAD_TRANSITIONS[s].length === 0)).toEqual(['completed', 'lost', 'cancelled']);
  });
});
