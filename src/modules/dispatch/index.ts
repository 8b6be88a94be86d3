// The dispatch module's public surface: what other modules, flows and the HTTP app may use.
// Everything else in this folder is private (eslint rule handy/module-surface); its tables
// (schema.ts) may be read by others but written only here or in src/flows (handy/no-foreign-writes).
export { expireOffers } from './advance-dispatch.js';
export { closeDispatchFor, declineOffer, lockAcceptable } from './respond-to-offer.js';
export { assertNoLiveDispatch, dispatchableSpec, startDispatch, startDispatchInTx } from './start-dispatch.js';
export type { DispatchDeps } from './start-dispatch.js';
export { notifyWaitlist } from './waitlist.js';
