/** Every link a message carries, in one place, so pages and messages agree. */
export const links = {
  quote: (base: string, token: string) => `${base}/q/${token}`,
  videoUpload: (base: string, token: string) => `${base}/v/${token}`,
  /** The contractor app: one tap opens the offer and its countdown. */
  offer: (base: string, offerId: string) => `${base}/app/offers/${offerId}`,
  contractorBooking: (base: string, bookingId: string) => `${base}/app/bookings/${bookingId}`,
  /** The ops console. */
  staffLead: (base: string, leadId: string) => `${base}/ops/leads/${leadId}`,
  staffBooking: (base: string, bookingId: string) => `${base}/ops/bookings/${bookingId}`,
  staffDispatch: (base: string, dispatchId: string) => `${base}/ops/dispatches/${dispatchId}`,
  staffPayments: (base: string) => `${base}/ops/payments?status=pending_review`,
  staffMessages: (base: string, status: string) => `${base}/ops/messages?status=${status}`,
};
