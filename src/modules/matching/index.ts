// The matching module's public surface: what other modules, flows and the HTTP app may use.
// Everything else in this folder is private (eslint rule handy/module-surface); its tables
// (schema.ts) may be read by others but written only here or in src/flows (handy/no-foreign-writes).
export { loadCandidateFacts, rankForSlot } from './rank-for-slot.js';
export { SPEC_WEIGHTS, compareCandidates, decidingComponent, scoreCandidate } from './score.js';
export type { Breakdown, JobTask, ScoreWeights, ScoredCandidate } from './score.js';
export { pruneStoredRankings, storeRanking } from './stored-rankings.js';
