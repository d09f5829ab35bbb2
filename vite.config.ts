import { defineConfig } from 'vitest/config';

// One config for the web build (Vite) and the tests (Vitest).
export default defineConfig({
  root: 'web',
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // Lists each page's chunks, so the bundle-size check can add up what a page loads.
    manifest: true,
  },
  server: {
    proxy: { '/api': 'http://localhost:3000', '/docs': 'http://localhost:3000' },
  },
  test: {
    root: '.',
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    testTimeout: 20_000,
  },
});
