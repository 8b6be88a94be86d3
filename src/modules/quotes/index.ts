// The quotes module's public surface: what other modules, flows and the HTTP app may use.
// Everything else in this folder is private (eslint rule handy/module-surface); its tables
// (schema.ts) may be read by others but written only here or in src/flows (handy/no-foreign-writes).
export { createQuote } from './create-quote.js';
export { acceptQuote, markQuoteViewed, quoteByToken, quoteSpec } from './customer-quote.js';
export { quoteInput } from './inputs.js';
export type { QuoteInput } from './inputs.js';
export { presentQuote, quoteStatus, quoteUnavailable, quoteUrl, quoteView } from './presenters.js';
export { sendQuoteTx } from './send-quote.js';
