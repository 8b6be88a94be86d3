// The intake module's public surface: what other modules, flows and the HTTP app may use.
// Everything else in this folder is private (eslint rule handy/module-surface); its tables
// (schema.ts) may be read by others but written only here or in src/flows (handy/no-foreign-writes).
export { httpTranscriptProvider } from './asr.js';
export { attachVideo } from './attach-video.js';
export { detectForLead } from './detect-for-lead.js';
export { requestVideo } from './request-video.js';
export { scorePendingVideos, scoreVideo } from './score-video.js';
export type { ScoringDeps } from './score-video.js';
export { seedSkus, skusByCode } from './sku-catalog.js';
export type { CatalogSku } from './sku-catalog.js';
export { offlineVideoProvider } from './video-analysis.js';
