// Every table, for drizzle's typed queries and for drizzle-kit's migration generator.
export * from '../modules/catalog/schema.js';
export * from '../modules/contractors/schema.js';
export * from '../modules/auth/schema.js';
export * from '../modules/availability/schema.js';
export * from '../modules/jobs/schema.js';
export * from '../modules/bookings/schema.js';
export * from '../modules/notifications/schema.js';
export * from '../modules/leads/schema.js';
export * from '../modules/intake/schema.js';
export * from '../modules/estimator/schema.js';
export * from '../modules/quotes/schema.js';
export * from '../modules/dispatch/schema.js';
export * from '../modules/payments/schema.js';
export * from '../modules/crew/schema.js';

export * from '../modules/auth/code-schema.js';
export * from '../modules/contractor-jobs/schema.js';

export * from '../modules/channels/schema.js';

export * from '../modules/audit/schema.js';
export * from '../modules/matching/schema.js';
