// The customer module's public surface: what other modules, flows and the HTTP app may use.
// Everything else in this folder is private (eslint rule handy/module-surface); its tables
// (schema.ts) may be read by others but written only here or in src/flows (handy/no-foreign-writes).
export { forgetJobLink, jobLink, jobLinkForHold, quoteLink } from './link.js';
export type { CustomerLink } from './link.js';
