// Every table, for drizzle's typed queries and for drizzle-kit's migration generator.
export * from '../modules/catalog/schema.js';
export * from '../modules/contractors/schema.js';
export * from '../modules/auth/schema.js';
export * from '../modules/availability/schema.js';
export * from '../modules/jobs/schema.js';
export * from '../modules/bookings/schema.js';
