/** Lead states and the only transitions allowed between them (SPEC "Leads"). Pure. */
export const LEAD_STATES = [
  'created',
  'sku_detected',
  'video_requested',
  'video_received',
  'video_scored',
  'estimator_queued',
  'estimating',
  'quote_generated',
  'quote_sent',
  'quote_viewed',
  'slot_held',
  'booked',
  'dispatching',
  'assigned',
  'in_progress',
  'completed',
  'expired',
  'lost',
  'cancelled',
] as const;
export type LeadState = (typeof LEAD_STATES)[number];

export const LEAD_TRANSITIONS: Record<LeadState, readonly LeadState[]> = {
  created: ['sku_detected', 'video_requested', 'estimator_queued', 'quote_generated', 'lost'],
  sku_detected: ['quote_generated', 'video_requested', 'estimator_queued', 'lost'],
  video_requested: ['video_received', 'expired', 'lost'],
  video_received: ['video_scored', 'estimator_queued'],
  video_scored: ['quote_generated', 'estimator_queued'],
  estimator_queued: ['estimating', 'lost'],
  estimating: ['quote_generated', 'estimator_queued'],
  quote_generated: ['quote_sent'],
  quote_sent: ['quote_viewed', 'quote_generated', 'expired', 'lost'],
  quote_viewed: ['slot_held', 'quote_generated', 'expired', 'lost'],
  slot_held: ['booked', 'quote_viewed'],
  booked: ['assigned', 'dispatching', 'cancelled'],
  dispatching: ['assigned', 'cancelled'],
  assigned: ['in_progress', 'cancelled', 'dispatching'],
  in_progress: ['completed'],
  completed: [],
  expired: ['quote_generated'],
  lost: [],
  cancelled: [],
};

export const canMoveLead = (from: LeadState, to: LeadState) => LEAD_TRANSITIONS[from].includes(to);
