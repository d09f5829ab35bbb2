import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';

/**
 * A Vite dev server over web/ for mounting single components in real Chromium, with /api
 * proxied to a running app (startServer()). `/__test` is an empty page with the base styles and
 * `window.__import(url)`, so a test loads a module by URL without `import()` in the function it
 * hands to the page (Vitest rewrites `import()` in test files, which would break in the browser).
 */
export type ComponentServer = { base: string; vite: ViteDevServer; close: () => Promise<void> };

const BLANK = `<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <link rel="stylesheet" href="/styles/base.css" />
    <script>window.__import = (url) => import(url);</script>
  </head>
  <body></body>
</html>`;

export async function startComponentServer(apiBase: string): Promise<ComponentServer> {
  const vite = await createServer({
    configFile: false,
    root: resolve('web'),
    logLevel: 'error',
    // Its own cache, so it does not race other dev servers on node_modules/.vite.
    cacheDir: join(tmpdir(), `sc-judge-vite-${process.pid}`),
    // The API is proxied; web/api/*.ts are modules of the app, served by Vite itself.
    server: { host: '127.0.0.1', port: 0, hmr: false, watch: null, proxy: { '^/api/(?![^?]*\\.ts(\\?|$))': apiBase } },
    // Pre-bundled up front and never rediscovered: a late discovery would reload the page mid-test.
    optimizeDeps: { include: ['lit', 'lit/decorators.js', 'lit/directives/repeat.js', 'idb'], noDiscovery: true },
    plugins: [
      {
        name: 'blank-test-page',
        configureServer(server) {
          server.middlewares.use('/__test', (_req, res) => {
            res.setHeader('content-type', 'text/html; charset=utf-8');
            res.end(BLANK);
          });
        },
      },
    ],
  });
  await vite.listen();
  const address = vite.httpServer!.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { base: `http://127.0.0.1:${port}`, vite, close: () => vite.close() };
}

/** Loads modules (paths under web/, e.g. `/pages/judge/outbox.ts`) into the page. */
export async function importInPage(page: Page, ...urls: string[]): Promise<void> {
  await page.evaluate(async (list) => {
    const w = window as unknown as { __import: (u: string) => Promise<unknown> };
    for (const u of list) await w.__import(u);
  }, urls);
}
