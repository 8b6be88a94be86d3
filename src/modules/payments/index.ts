// The payments module's public surface: what other modules, flows and the HTTP app may use.
// Everything else in this folder is private (eslint rule handy/module-surface); its tables
// (schema.ts) may be read by others but written only here or in src/flows (handy/no-foreign-writes).
export {
  awaitReceipt,
  bankTransferDetails,
  closeUnpaid,
  endWaitingPayments,
  lockOverdueUnpaidBookings,
  remindUnpaidBookings,
} from './bank-transfer.js';
export { refundForCancellation } from './cancellation-refund.js';
export { createCardPayment, openCardPayment, storeIntent } from './card-checkout.js';
export {
  flagPaidWithoutSlot,
  lockPaymentOfEvent,
  markPaymentBooked,
  markPaymentNotPaid,
  recordEventOutcome,
  recordProviderEvent,
  settled,
} from './card-settlement.js';
export type { WebhookOutcome } from './card-settlement.js';
export { stripeGateway } from './gateway.js';
export type { PaymentGateway, ProviderEvent } from './gateway.js';
export { hashBody, idempotent, sweepIdempotencyKeys } from './idempotency.js';
export { bankTransferView, paymentView, presentPayment } from './presenters.js';
export { readReceipt } from './read-receipt.js';
export {
  RECEIPT_TYPES,
  discardReceipt,
  escalateReceipts,
  lockPendingReceipt,
  markReceiptApproved,
  markReceiptRejected,
  spoolReceiptBytes,
  storeReceipt,
  submitReceipt,
  submitStoredReceipt,
} from './receipts.js';
export { executeRefund, refundDue } from './refunds.js';
