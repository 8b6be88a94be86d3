// The leads module's public surface: what other modules, flows and the HTTP app may use.
// Everything else in this folder is private (eslint rule handy/module-surface); its tables
// (schema.ts) may be read by others but written only here or in src/flows (handy/no-foreign-writes).
export { createLead } from './create-lead.js';
export { expireStaleLeads, releaseLapsedLeadHolds } from './expire-leads.js';
export { leadFollowsBooking, leadOfJob } from './follow-booking.js';
export { setLeadPlace, setVideoTokenHash } from './lead-contact.js';
export { lockLeadForPath, moveLead, moveLeadAlong, moveLeadIfIn } from './move-lead.js';
