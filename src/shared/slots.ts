/** A day's two bookable slots (SPEC "Slots"); their hours are configuration (BookingRules.windows). */
export const SLOTS = ['am', 'pm'] as const;
export type Slot = (typeof SLOTS)[number];
