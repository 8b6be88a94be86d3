import { ACTIVE_BOOKING_STATUSES } from '../api/vocabulary';

/**
 * Booking-status colours as the business's calendar defines them (booking-hardening-report):
 * scheduled/confirmed blue, in progress yellow, completed green, cancelled red, pending
 * confirmation orange. Declined is a refusal like cancelled, so red too. Backgrounds are soft
 * and text dark so every label keeps AA contrast; the bar colour is for charts and borders.
 */
export const STATUS_COLOURS: Record<string, { bg: string; bar: string; label: string }> = {
  confirmed: { bg: '#dbeafe', bar: '#1d4ed8', label: 'Confirmed' },
  in_progress: { bg: '#fef3c7', bar: '#a16207', label: 'In progress' },
  completed: { bg: '#dcfce7', bar: '#15803d', label: 'Completed' },
  cancelled: { bg: '#fee2e2', bar: '#b91c1c', label: 'Cancelled' },
  declined: { bg: '#fee2e2', bar: '#7f1d1d', label: 'Declined' },
  pending_confirmation: { bg: '#ffedd5', bar: '#c2410c', label: 'Pending confirmation' },
};

export const ACTIVE_BOOKING: ReadonlySet<string> = new Set(ACTIVE_BOOKING_STATUSES);
