import { defineConfig } from 'vite';

// One front-end package for every screen: the ops console (/ops), the contractor app (/app) and
// the customer pages (/q, /v, /enquire). No React plugin: esbuild compiles JSX for the build, and
// fast refresh is not worth a dependency for pages the server serves from the build.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: '../dist/web',
    // Never emptied: `npm start` rebuilds while a running server (or a test's) may be serving the
    // last build; old hashed assets stay until replaced, so no request finds the directory gone.
    emptyOutDir: false,
    sourcemap: true,
    // No inline <script> or module-preload polyfill, so a strict CSP (script-src 'self') holds.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    rollupOptions: {
      // React Query ships "use client" directives meant for server components; they mean nothing here.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' || warning.code === 'SOURCEMAP_ERROR') return;
        warn(warning);
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
