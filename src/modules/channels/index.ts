// The channels module's public surface: what other modules, flows and the HTTP app may use.
// Everything else in this folder is private (eslint rule handy/module-surface); its tables
// (schema.ts) may be read by others but written only here or in src/flows (handy/no-foreign-writes).
export { PermanentSendError } from './providers/types.js';
export type { OutChannel, Providers } from './providers/types.js';
export { startChannels } from './runtime.js';
export type { ChannelsRuntime } from './runtime.js';
