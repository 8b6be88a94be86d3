// The payments module's public surface: what other modules, flows and the HTTP app may use.
// Everything else in this folder is private (eslint rule handy/module-surface); its tables
// (schema.ts) may be read by others but written only here or in src/flows (handy/no-foreign-writes).
export { awaitReceipt, bankTransferDetails, expireUnpaidBookings } from './bank-transfer.js';
export { cancelWithRefund } from './cancel-with-refund.js';
export { startCardCheckout } from './card-checkout.js';
export { stripeGateway } from './gateway.js';
export type { PaymentGateway } from './gateway.js';
export { hashBody, idempotent, sweepIdempotencyKeys } from './idempotency.js';
export { bankTransferView, paymentView, presentPayment } from './presenters.js';
export { readReceipt } from './read-receipt.js';
export { receiptDownloadRoute } from './receipt-download.js';
export { RECEIPT_TYPES, discardReceipt, escalateReceipts, spoolReceiptBytes, storeReceipt, submitReceipt } from './receipts.js';
export { refundDue } from './refunds.js';
