// The availability module's public surface: what other modules, flows and the HTTP app may use.
// Everything else in this folder is private (eslint rule handy/module-surface); its tables
// (schema.ts) may be read by others but written only here or in src/flows (handy/no-foreign-writes).
export { availabilityView } from './availability-view.js';
export { bookingRules } from './booking-rules.js';
export { ACTIVE_BOOKING_STATUSES, eligibleContractorSlots } from './eligibility-sql.js';
export type { SlotRequest, Viewer } from './eligibility-sql.js';
export { bookableSlots, findAvailability } from './find-availability.js';
export {
  SLOTS,
  addDays,
  bookableRange,
  datesBetween,
  isIsoDate,
  isSlotBookable,
  isoWeekday,
  localToday,
  slotInstants,
  urgentExpectation,
  urgentSlot,
} from './slot-time.js';
export type { BookingRules, Slot, SlotWindows } from './slot-time.js';
