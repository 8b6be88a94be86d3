// The jobs module's public surface: what other modules, flows and the HTTP app may use.
// Everything else in this folder is private (eslint rule handy/module-surface); its tables
// (schema.ts) may be read by others but written only here or in src/flows (handy/no-foreign-writes).
export { createJob, insertJob, setJobPlace } from './create-job.js';
export type { JobPlace } from './create-job.js';
export { jobSpecByCustomerToken, loadJobSpec, requirementInput, specFromInput } from './job-spec.js';
export type { JobSpec } from './job-spec.js';
export { jobSpecView, presentSpec, specRef } from './presenters.js';
export { replaceRequirements, requireTasksIfUnset, tagAiRequirements, verifyRequirements } from './requirements.js';
export type { RequirementInput } from './requirements.js';
export { pickTeam, visitsByTrade } from './visits.js';
