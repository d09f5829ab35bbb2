import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { openDb } from '../../../db/client.ts';
import { buildApp } from '../../../server/app.ts';
import { loadConfig } from '../../../server/config.ts';
import type { TestApp } from '../../helpers/test-app.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENS_DIR = resolve('test-results/screens');

/** Tablet sizes the product must fit (10-inch, both orientations) and a phone for public pages. */
export const VIEWPORTS = {
  landscape: { width: 1024, height: 768 },
  portrait: { width: 768, height: 1024 },
  phone: { width: 390, height: 844 },
  desktop: { width: 1440, height: 900 },
  /** Venue screens: a 1080p projector or TV, and a 4K one. */
  hall: { width: 1920, height: 1080 },
  hall4k: { width: 3840, height: 2160 },
} as const;

/** Viewports without a touch screen. */
const POINTER_ONLY: readonly (keyof typeof VIEWPORTS)[] = ['desktop', 'hall', 'hall4k'];

export type E2eServer = { app: TestApp; base: string; close: () => Promise<void> };

/**
 * The real app serving the built web app (`npm run build` first; `npm test` does) on a random
 * port, with the demo data on a fresh in-memory database.
 */
/** The app with the demo data in memory on a free port; `env` adds configuration (e.g. PUBLIC_URL). */
export async function startServer(env: Record<string, string> = {}): Promise<E2eServer> {
  const webDist = resolve('dist/web');
  if (!existsSync(resolve(webDist, 'index.html'))) throw new Error('dist/web is missing: run `npm run build` first (npm test does)');
  const config = { ...loadConfig({ DEMO: 'true', LOG_LEVEL: 'warn', ...env }), webDist };
  const app = (await buildApp(config, { db: openDb(':memory:'), logger: false })) as TestApp;
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, base: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/**
 * A demo competition's full name, e.g. `2026年肥西县职工职业技能大赛` for the suffix
 * `肥西县职工职业技能大赛`: the year follows the day the demo data was created.
 */
export function demoCompetitionName(server: E2eServer, suffix: string): string {
  const row = server.app.db.$client.prepare('select name from competitions where name like ? order by id limit 1').get(`%年${suffix}`) as
    | { name: string }
    | undefined;
  if (!row) throw new Error(`no demo competition named …${suffix}`);
  return row.name;
}

/** Debian's Chromium driven by playwright-core (no browser download). */
export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (.ci/run does)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** A fresh browser context (its own cookies and storage) at a tablet size, touch enabled. */
export async function newPage(
  browser: Browser,
  viewport: keyof typeof VIEWPORTS = 'landscape',
  opts: { locale?: string } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: VIEWPORTS[viewport],
    hasTouch: !POINTER_ONLY.includes(viewport),
    locale: opts.locale ?? 'zh-CN',
    serviceWorkers: 'allow',
  });
  const page = await context.newPage();
  return { context, page };
}

/** Saves a screenshot under test-results/screens (ignored by git) and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  const path = resolve(SCREENS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** Fails when the page scrolls sideways (content wider than the viewport). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** The page printed to PDF: how many pages, and whether the first is portrait (A4: 595 × 842 pt). */
export async function pdfPages(page: Page): Promise<{ pages: number; portrait: boolean }> {
  await page.emulateMedia({ media: 'print' });
  const source = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
  await page.emulateMedia({ media: 'screen' });
  const box = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)/.exec(source)!;
  return { pages: source.match(/\/Type\s*\/Page[^s]/g)?.length ?? 0, portrait: Number(box[1]) < Number(box[2]) };
}
