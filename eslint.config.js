import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import boundaries from './eslint/boundaries.js';

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', 'drizzle/', 'coverage/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  { files: ['bench/**', 'scripts/**', 'test/**', 'src/main.ts'], rules: { 'no-console': 'off' } },
  // Module boundaries (docs/ARCHITECTURE.md): public surfaces only, no writes to another module's tables.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    plugins: { handy: boundaries },
    rules: { 'handy/module-surface': 'error', 'handy/no-foreign-writes': 'error' },
  },
  { files: ['eslint.config.js', 'eslint/**/*.js', 'web/vite.config.ts'], ...tseslint.configs.disableTypeChecked },
  // The customer pages' scripts run in the browser, untyped.
  {
    files: ['src/web/assets/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false },
      globals: Object.fromEntries(
        [
          'document',
          'window',
          'location',
          'fetch',
          'localStorage',
          'crypto',
          'FormData',
          'URL',
          'URLSearchParams',
          'Node',
          'setInterval',
          'clearInterval',
        ].map((g) => [g, 'readonly']),
      ),
    },
  },
);
