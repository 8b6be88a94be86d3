import { defineConfig } from 'drizzle-kit';

// Used only to generate migrations (`npm run db:generate`); they are committed under drizzle/.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
  casing: 'snake_case',
});
