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
    environment: 'node',
    pool: 'forks',
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    testTimeout: 20_000,
    projects: [
      // Domain and HTTP API tests: in-process and independent, in parallel.
      { extends: true, test: { name: 'api', include: ['test/domain/**/*.test.ts', 'test/server/**/*.test.ts'], sequence: { groupOrder: 0 } } },
      // Browser tests: each file starts a seeded server and a Chromium. On a 2-core machine two
      // Chromiums beside API test workers starve each other (renders and scrypt sign-ins took
      // seconds and tests hit their timeouts), so these run after the API tests, one file at a time.
      // Starting the server and Chromium is a real few seconds of work: hooks get 30 s.
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/e2e/**/*.test.ts', 'test/web/**/*.test.ts'],
          fileParallelism: false,
          hookTimeout: 30_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
