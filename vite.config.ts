import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * Lists the built files the start page, the sign-in page and the judge's page need, as
 * `offline-pages.json`: the service worker (web/public/sw.js) keeps them when it installs, so a
 * tablet opens them without network, even pages it has not visited yet (after signing out offline).
 */
function offlinePages(): Plugin {
  const pages = ['/pages/home-page.ts', '/pages/login-page.ts', '/pages/judge/judge-page.ts'];
  return {
    name: 'offline-pages',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = new Set<string>();
      const add = (fileName: string) => {
        if (files.has(`/${fileName}`)) return;
        files.add(`/${fileName}`);
        const chunk = bundle[fileName];
        if (chunk?.type !== 'chunk') return;
        chunk.imports.forEach(add);
        for (const css of chunk.viteMetadata?.importedCss ?? []) files.add(`/${css}`);
      };
      for (const chunk of Object.values(bundle))
        if (chunk.type === 'chunk' && (chunk.isEntry || pages.some((p) => chunk.facadeModuleId?.endsWith(p)))) add(chunk.fileName);
      this.emitFile({ type: 'asset', fileName: 'offline-pages.json', source: JSON.stringify([...files].sort()) });
    },
  };
}

// One config for the web build (Vite) and the tests (Vitest).
export default defineConfig({
  root: 'web',
  plugins: [offlinePages()],
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
