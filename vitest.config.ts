import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['node_modules/**', '.data/**'],
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    // Browser tests drive Chromium on a 2-core machine beside the other test files; a page that
    // misses a 30 s wait under that load is tried again (a real failure fails every time).
    retry: 2,
    hookTimeout: 60_000,
    // Two cores: two test files at a time, each on its own database.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
