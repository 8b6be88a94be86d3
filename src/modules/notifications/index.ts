// The notifications module's public surface: what other modules, flows and the HTTP app may use.
// Everything else in this folder is private (eslint rule handy/module-surface); its tables
// (schema.ts) may be read by others but written only here or in src/flows (handy/no-foreign-writes).
export {
  bookingCancelledMessage,
  bookingConfirmedMessages,
  customerLinkForJob,
  paymentApprovedMessage,
  paymentRejectedMessage,
  sendDayBeforeReminders,
} from './booking-messages.js';
export { afterPermanentFailure, resendMessage } from './deliver-messages.js';
export { DELIVERY_QUEUE, startDeliveryWorker } from './delivery-worker.js';
export type { DeliveryWorker } from './delivery-worker.js';
export { links } from './links.js';
export { offerMessages } from './offer-messages.js';
export { alertStaff, configureMessaging, enqueueMessage, messagingBaseUrl, recordEvent, setPreference } from './outbox.js';
export { toE164, ukNational } from './phone.js';
export { cancelPendingMessage, recordProviderStatus } from './provider-status.js';
export type { Channel } from './routing.js';
export { extractLinks, isMessageType, renderMessage } from './templates.js';
export type { MessageData, MessageType, Rendered } from './templates.js';
