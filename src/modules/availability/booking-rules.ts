import type { Config } from '../../config.js';
import type { BookingRules } from './slot-time.js';

export function bookingRules(config: Config): BookingRules {
  return {
    zone: config.BUSINESS_TIME_ZONE,
    windows: config.slots,
    windowDays: config.BOOKING_WINDOW_DAYS,
    sameDay: config.SAME_DAY_BOOKING,
    sameDayCutoff: config.SAME_DAY_CUTOFF,
    scoreWeights: config.scoreWeights,
  };
}
