import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { horizontalOverflow, launchBrowser, newPage, screenshot, startServer, VIEWPORTS, type E2eServer } from './helpers/browser.ts';

/**
 * A lower union takes part in the city's craftsman selection (demo data): the Feixi county
 * union's organiser finds this year's 合肥工匠评选 (run by the Hefei city union, above it) on
 * /awards/selections, sees it as a nominating unit — the rules and its own nominations, none of the
 * running union's controls — and forwards the county's remaining 肥西名匠 through the form.
 */
let server: E2eServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  ({ context, page } = await newPage(browser, 'landscape'));
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()} ${msg.location().url}`);
  });
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

async function capture(name: string) {
  for (const size of ['landscape', 'portrait'] as const) {
    await page.setViewportSize(VIEWPORTS[size]);
    await page.waitForTimeout(150);
    await screenshot(page, `selection-forwarding-${name}-${size}`);
    expect(await horizontalOverflow(page), `${name} at ${size}`).toBe(0);
  }
  await page.setViewportSize(VIEWPORTS.landscape);
}

describe('a county union forwards its craftsman to the city selection', () => {
  it('sees the city’s open selection as a nominating unit and forwards a 肥西名匠', async () => {
    await page.goto(`${server.base}/login`);
    await page.locator('#u').fill('organiser');
    await page.locator('#p').fill('Demo@2026!');
    await page.getByRole('button', { name: '登录' }).last().click();
    await page.waitForURL((u) => u.pathname !== '/login');

    await page.goto(`${server.base}/awards/selections`);
    const row = page.getByTestId('selections').locator('tr', { has: page.getByTestId('run-by') }).first();
    await row.waitFor();
    expect(await row.getByTestId('run-by').textContent()).toContain('合肥市总工会');
    await row.getByTestId('selection-link').click();
    await page.getByTestId('nominating-unit').waitFor();
    // None of the running union's controls; the candidates are the county's own people.
    expect(await page.getByTestId('next-step').count()).toBe(0);
    expect(await page.locator('sc-sel-review').count()).toBe(0);
    const before = await page.getByTestId('candidate').count();
    expect(before).toBeGreaterThan(0);

    await page.getByTestId('nom-source').selectOption('forwarded');
    const choice = page.getByTestId('nom-forwarded-title');
    await choice.waitFor();
    // Submitting without choosing is refused on the page.
    await page.getByTestId('nominate-submit').click();
    expect(await page.locator('#err-nom-person').textContent()).toBe('请选择要转报的称号获得者');
    const options = await choice.locator('option').allTextContents();
    expect(options).toHaveLength(2);
    expect(options[1]).toContain('肥西名匠');
    await choice.selectOption({ index: 1 });
    await page.getByTestId('nom-position').fill('变电运维班班长');
    await page.getByTestId('nom-frontLine').selectOption('yes');
    await page.getByTestId('nom-yearsInTrade').fill('15');
    await page.getByTestId('nom-stillInTrade').selectOption('yes');
    await page.getByTestId('nom-skill-trade_standing').check();
    await page.getByTestId('nom-declaration').check();
    await capture('form');
    await page.getByTestId('nominate-submit').click();
    await page.getByTestId('nominate-ok').waitFor();
    await expect.poll(() => page.getByTestId('candidate').count()).toBe(before + 1);
    expect(await page.getByTestId('candidates').textContent()).toContain('下级工会转报');
    // Every forwarded row names the union that sent it up.
    const forwardedRows = page.getByTestId('candidate').filter({ hasText: '下级工会转报' });
    expect(await forwardedRows.count()).toBeGreaterThan(0);
    for (const by of await forwardedRows.getByTestId('nominated-by').allTextContents()) expect(by).toBe('肥西县总工会');
    expect(await forwardedRows.getByTestId('nominated-by').count()).toBe(await forwardedRows.count());
    // Nobody is left to forward.
    await page.getByTestId('no-forwardable').waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await capture('done');
    expect(problems).toEqual([]);
  });
});
