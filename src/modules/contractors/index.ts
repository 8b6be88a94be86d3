// The contractors module's public surface: what other modules, flows and the HTTP app may use.
// Everything else in this folder is private (eslint rule handy/module-surface); its tables
// (schema.ts) may be read by others but written only here or in src/flows (handy/no-foreign-writes).
export { clock } from './clock.js';
export { countCompletedTasks } from './completed-tasks.js';
export { profileCompletionScore } from './profile-completion.js';
export { assertTasksExist } from './replace-skills.js';
export { createContractor } from './save-contractor.js';
export { releaseContractorTelegramChat, setContractorTelegramChat } from './telegram-chat.js';
