import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entries, events } from '../../db/schema.ts';
import { DEMO_PASSWORD } from '../../db/seed.ts';
import { horizontalOverflow, launchBrowser, newPage, screenshot, startServer, type E2eServer } from './helpers/browser.ts';

let server: E2eServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Every console error and uncaught page error from now on, each with the address it happened at. */
function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  return errors;
}

describe('home page and language', () => {
  it('shows visitors the public pages with no error in the console (no 401 for not being signed in)', async () => {
    const power = server.app.db.select().from(events).where(eq(events.name, '配电线路工')).get()!;
    const { context, page } = await newPage(browser, 'landscape');
    const errors = consoleErrors(page);
    for (const [path, ready] of [
      ['/', 'sc-home-page'],
      ['/results', 'sc-results-page'],
      ['/judge', 'sc-judge-page input'],
      [`/screen/event/${power.id}`, 'sc-screen-page [data-key]'],
    ] as const) {
      await page.goto(`${server.base}${path}`);
      await page.locator(ready).first().waitFor();
      await page.waitForLoadState('networkidle').catch(() => undefined);
    }
    expect(errors).toEqual([]);
    await context.close();
  });

  it('asks a visitor on a staff page to sign in, with no 401 in the console', async () => {
    const { context, page } = await newPage(browser, 'landscape');
    const errors = consoleErrors(page);
    for (const [path, tag] of [
      ['/people', 'sc-people-page'],
      ['/people/1', 'sc-person-page'],
      ['/org', 'sc-organiser-page'],
      ['/hr', 'sc-hr-page'],
      ['/awards', 'sc-awards-page'],
      ['/awards/selections', 'sc-selections-page'],
      ['/studios', 'sc-studios-page'],
      ['/calendar', 'sc-calendar-page'],
      ['/admin', 'sc-admin-page'],
    ] as const) {
      await page.goto(`${server.base}${path}`);
      await page.locator(tag).waitFor();
      await page.waitForLoadState('networkidle').catch(() => undefined);
      await page.locator(`${tag} a[href^="/login"], ${tag} [data-testid="sign-in"]`).first().waitFor({ timeout: 5000 });
    }
    expect(errors).toEqual([]);
    await context.close();
  });

  it('speaks Chinese first, switches to English and remembers it', async () => {
    const { context, page } = await newPage(browser, 'portrait');
    await page.goto(server.base);
    await expect.poll(() => page.locator('sc-app header a.title').textContent()).toBe('职工技能竞赛管理系统');
    await page.getByText('裁判员登录').waitFor();
    await screenshot(page, 'home-portrait-zh');
    await page.getByTestId('lang').click();
    await page.getByText('Judge sign-in').waitFor();
    await page.reload();
    await page.getByText('Judge sign-in').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await screenshot(page, 'home-portrait-en');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await context.close();
  });
});

describe('venue screen', () => {
  for (const [viewport, minFont] of [['hall', 36], ['hall4k', 72]] as const)
    it(`fills a ${viewport === 'hall' ? '1080p' : '4K'} hall screen: type scales with it, rows fill it, pages rotate`, async () => {
      const power = server.app.db.select().from(events).where(eq(events.name, '配电线路工')).get()!;
      const { context, page } = await newPage(browser, viewport);
      await page.goto(`${server.base}/screen/event/${power.id}`);
      await page.locator('sc-screen-page [data-key]').first().waitFor();
      const height = page.viewportSize()!.height;
      const font = await page.locator('sc-screen-page .table').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      expect(font).toBeGreaterThanOrEqual(minFont);
      // The first page of the 30 contestants fills the screen without running off it.
      const rows = page.locator('sc-screen-page [data-key]');
      const last = (await rows.last().boundingBox())!;
      expect(last.y + last.height).toBeGreaterThan(height * 0.7);
      expect(last.y + last.height).toBeLessThanOrEqual(height);
      expect(await rows.count()).toBeLessThan(30);
      expect(await page.locator('sc-screen-page .pager').innerText()).toMatch(/^1 \/ [2-9]/);
      // 18 of the 30 have every mark in, 12 still wait for some: the first page holds only complete
      // entries, none of them 暂定 (an incomplete entry never sits above a complete one).
      expect(await page.locator('sc-screen-page [data-key] [data-testid="total"] .prov').count()).toBe(0);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await screenshot(page, `screen-${viewport}`);

      // The drone event (12 entries, 5 incomplete) fits one page: complete first, then 暂定 ones,
      // each note whole under its number.
      const drone = server.app.db.select().from(events).where(eq(events.name, '无人机驾驶')).get()!;
      await page.goto(`${server.base}/screen/event/${drone.id}`);
      await page.locator('sc-screen-page [data-key]').first().waitFor();
      const provisional = await page
        .locator('sc-screen-page [data-key]')
        .evaluateAll((els) => els.map((el) => (el.querySelector('[data-testid="rank"]')!.textContent!.trim() === '—' ? null : el.querySelector('.total .prov') !== null)));
      const ranked = provisional.filter((p) => p !== null);
      expect(ranked.indexOf(true)).toBeGreaterThan(0);
      expect(ranked.slice(ranked.indexOf(true)).every((p) => p === true)).toBe(true);
      for (const note of await page.locator('sc-screen-page [data-testid="total"] .prov').all()) {
        const fits = await note.evaluate((el) => el.scrollWidth <= el.clientWidth + 1 && el.getBoundingClientRect().right <= el.closest('.cell')!.getBoundingClientRect().right + 1);
        expect(fits).toBe(true);
      }
      await screenshot(page, `screen-${viewport}-incomplete`);
      await context.close();
    });

  it('switches to results mode after release: names and the prizes awarded', async () => {
    const welding = server.app.db.select().from(events).where(eq(events.name, '焊工')).get()!;
    const login = await server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'organiser', password: DEMO_PASSWORD } });
    const cookie = `sid=${login.cookies.find((c) => c.name === 'sid')!.value}`;
    const awarded = await server.app.inject({ method: 'POST', url: `/api/events/${welding.id}/prizes`, headers: { cookie } });
    expect(awarded.statusCode).toBeLessThan(300);
    const { context, page } = await newPage(browser, 'hall');
    await page.goto(`${server.base}/screen/event/${welding.id}`);
    await page.getByTestId('results-mode').waitFor();
    expect(await page.getByTestId('results-mode').textContent()).toBe('成绩公布');
    const first = page.locator('sc-screen-page [data-key]').first();
    await expect.poll(() => first.locator('[data-testid="prize"]').textContent()).toBe('一等奖');
    expect((await first.locator('[data-testid="name"]').textContent())!.trim().length).toBeGreaterThan(1);
    expect(await page.getByTestId('anonymous-note').count()).toBe(0);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'screen-results-mode');
    await context.close();
  });

  it('shows the live ranking and moves a contestant when a judge’s marks arrive', async () => {
    const power = server.app.db.select().from(events).where(eq(events.name, '配电线路工')).get()!;
    const { context, page } = await newPage(browser, 'desktop');
    await page.goto(`${server.base}/screen/event/${power.id}`);
    await page.getByTestId('live-status').filter({ hasText: '实时' }).waitFor();
    await page.locator('sc-screen-page [data-key]').first().waitFor();
    await screenshot(page, 'screen-power-desktop');

    // Entrant 30 has no 悬瓶更换 marks yet: five judges mark it with full marks through the API.
    // It ranks near the bottom, off the first page of the screen.
    expect(await page.locator('sc-screen-page [data-key="r30"]').count()).toBe(0);
    const codes = ['PDXL0001', 'PDXL0002', 'PDXL0003', 'PDXL0004', 'PDXL0005'];
    const panel = (await (await fetch(`${server.base}/api/public/events/${power.id}/ranking`)).json()) as { parts: { id: string }[] };
    const task2 = panel.parts[2]!.id;
    for (const code of codes) {
      const login = await fetch(`${server.base}/api/auth/judge-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const sheet = (await (await fetch(`${server.base}/api/judge/panel`, { headers: { cookie } })).json()) as { scheme: { parts: { id: string; criteria: { id: string; max: number }[] }[] } };
      const criteria = sheet.scheme.parts.find((p) => p.id === task2)!.criteria;
      const res = await fetch(`${server.base}/api/marks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ marks: criteria.map((c) => ({ idempotencyKey: `e2e-${code}-${c.id}`, number: 30, partId: task2, criterionId: c.id, value: c.max })) }),
      });
      expect(res.status).toBe(200);
    }
    // Full marks on the task lift it onto the first page, without reloading.
    await page.locator('sc-screen-page [data-key="r30"]').waitFor({ timeout: 5000 });
    expect(Number(await page.locator('sc-screen-page [data-key="r30"] [data-testid="rank"]').textContent())).toBeLessThanOrEqual(5);
    await page.waitForTimeout(700); // let the rows finish gliding
    await screenshot(page, 'screen-power-after-marks');
    await context.close();
  });

  it('shows a withdrawn contestant ranked after the others with 退赛, and a disqualified one as 取消资格', async () => {
    const drone = server.app.db.select().from(events).where(eq(events.name, '无人机驾驶')).get()!;
    const { context, page } = await newPage(browser, 'desktop');
    await page.goto(`${server.base}/screen/event/${drone.id}`);
    await page.getByTestId('live-status').filter({ hasText: '实时' }).waitFor();
    await page.locator('sc-screen-page [data-key="r1"]').waitFor();
    const list = server.app.db.select().from(entries).where(eq(entries.eventId, drone.id)).all();
    const byNumber = (n: number) => list.find((e) => e.drawnNumber === n)!.id;
    server.app.db.update(entries).set({ status: 'withdrawn' }).where(eq(entries.id, byNumber(1))).run();
    server.app.db.update(entries).set({ status: 'disqualified', disqualifiedReason: '违规操作' }).where(eq(entries.id, byNumber(2))).run();
    server.app.rankings.invalidate(drone.id);
    const withdrawn = page.locator('sc-screen-page [data-key="r1"]');
    await withdrawn.getByText('退赛').waitFor();
    await page.locator('sc-screen-page [data-key="r2"]').getByText('取消资格').waitFor();
    // Ranked on its parts done, after every contestant still in: the last ranked row.
    const ranking = (await (await fetch(`${server.base}/api/public/events/${drone.id}/ranking`)).json()) as { rows: { number: number; rank: number | null }[] };
    const ranked = ranking.rows.filter((r) => r.rank !== null);
    expect(ranked[ranked.length - 1]!.number).toBe(1);
    expect(await page.locator('sc-screen-page').innerText()).not.toContain('违规操作');
    await page.waitForTimeout(700);
    await screenshot(page, 'screen-entry-states');
    await context.close();
  });
});
