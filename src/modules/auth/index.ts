// The auth module's public surface: what other modules, flows and the HTTP app may use.
// Everything else in this folder is private (eslint rule handy/module-surface); its tables
// (schema.ts) may be read by others but written only here or in src/flows (handy/no-foreign-writes).
export { createUser } from './create-user.js';
export { ADMIN, CONTRACTOR, STAFF, STAFF_ROLES, describeAccess } from './principal.js';
export type { Access, Principal, Role } from './principal.js';
export { SESSION_ENDED_CHANNEL, resolveSession } from './sessions.js';
export { releaseUserTelegramChat, setUserTelegramChat } from './telegram-chat.js';
