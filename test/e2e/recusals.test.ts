import { and, eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entries, events, judgeAssignments, judges, people } from '../../db/schema.ts';
import { DEMO_PASSWORD } from '../../db/seed.ts';
import { horizontalOverflow, launchBrowser, newPage, screenshot, startServer, type E2eServer } from './helpers/browser.ts';

/**
 * Recusal seen where panels are set: the organiser sees which drawn numbers a panel marks with
 * fewer judges (judges of the same employer stand aside), and a warning where that leaves a number
 * below the part's minimum, so nobody's score falls back to a plain mean unnoticed. The demo's
 * drone event: one of its five judges stands aside from No. 12 (four marks of five).
 */

let server: E2eServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let url: string;
let droneId: number;
const problems: string[] = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const drone = server.app.db.select().from(events).where(eq(events.name, '无人机驾驶')).get()!;
  droneId = drone.id;
  url = `${server.base}/org/competitions/${drone.competitionId}/events/${drone.id}/judges`;
  ({ context, page } = await newPage(browser, 'landscape'));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${server.base}/login`);
  await page.locator('#u').fill('organiser');
  await page.locator('#p').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).last().click();
  await page.waitForURL(`${server.base}/org`);
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

describe('recusals on the panels page', () => {
  it('lists the number a panel marks with fewer judges', async () => {
    await page.goto(url);
    await page.getByTestId('panel-grid').waitFor();
    await expect.poll(() => page.getByTestId('recusals-flight').textContent()).toContain('12号 4 人评分');
    expect(await page.getByTestId('recusals-below-flight').count()).toBe(0);
  });

  it('warns when standing aside leaves a number below the minimum, in Chinese and in English', async () => {
    // Two more of the five turn out to work for No. 12's employer: it would get two marks, fewer than three.
    const twelve = server.app.db
      .select({ employerId: people.employerId })
      .from(entries)
      .innerJoin(people, eq(people.id, entries.personId))
      .where(and(eq(entries.eventId, droneId), eq(entries.drawnNumber, 12)))
      .get()!;
    const others = server.app.db
      .select({ id: judges.id, employerId: judges.employerId })
      .from(judgeAssignments)
      .innerJoin(judges, eq(judges.id, judgeAssignments.judgeId))
      .where(and(eq(judgeAssignments.eventId, droneId), eq(judgeAssignments.role, 'judge')))
      .all()
      .filter((j) => j.employerId !== twelve.employerId);
    expect(others.length).toBe(4);
    for (const j of others.slice(0, 2)) {
      const res = await page.request.patch(`${server.base}/api/judges/${j.id}`, { data: { employerId: twelve.employerId, employerName: null } });
      expect(res.status(), await res.text()).toBe(200);
    }
    await page.reload();
    await page.getByTestId('panel-grid').waitFor();
    const warning = page.getByTestId('recusals-below-flight');
    await expect.poll(() => warning.textContent()).toContain('12号因裁判回避少于最少评分人数 3');
    expect(await page.getByTestId('recusals-flight').textContent()).toContain('12号 2 人评分');
    expect(await page.getByRole('alert').filter({ hasText: '12号因裁判回避' }).count()).toBeGreaterThan(0);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await warning.scrollIntoViewIfNeeded();
    await screenshot(page, 'recusals-panels-landscape');
    await page.setViewportSize({ width: 800, height: 1280 });
    await page.waitForTimeout(150);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await warning.scrollIntoViewIfNeeded();
    await screenshot(page, 'recusals-panels-portrait');
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByTestId('lang').click();
    await expect.poll(() => warning.textContent()).toContain('below the minimum of 3');
    expect(await page.getByTestId('recusals-flight').textContent()).toContain('No. 12: 2 judges');
    await page.getByTestId('lang').click();
    expect(problems).toEqual([]);
  });

  it('shows the chief judge which numbers that leaves short, on the marking grid', async () => {
    const chief = await newPage(browser, 'landscape');
    try {
      await chief.page.goto(`${server.base}/chief?code=WRJCP001`);
      const short = chief.page.getByTestId('short-12-flight');
      await expect.poll(() => short.textContent(), { timeout: 15_000 }).toContain('回避后仅2人');
      expect(await chief.page.getByTestId('short-11-flight').count()).toBe(0);
      expect(await horizontalOverflow(chief.page)).toBeLessThanOrEqual(0);
      await short.scrollIntoViewIfNeeded();
      await screenshot(chief.page, 'recusals-chief-grid-landscape');
    } finally {
      await chief.context.close();
    }
  });
});
