import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { studios } from '../../db/schema.ts';
import { DEMO_PASSWORD, studioYearShift } from '../../db/seed.ts';
import { horizontalOverflow, launchBrowser, newPage, screenshot, startServer, type E2eServer } from './helpers/browser.ts';

/**
 * The innovation-studio pages in Chromium, on the demo data, at a 10-inch tablet in landscape
 * (1024×768) and on a desktop (1440×900): the registry, a studio's life cycle, the evaluation
 * ranking and scoring sheet, the five-smalls tiers and the dashboard charts.
 */

let server: E2eServer;
let browser: Browser;

/** A studio-record year of the demo data (they move with the day the data is created). */
const studioYear = (y: number) => y + studioYearShift(server.app.clock.now());

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const VIEWPORTS = ['landscape', 'desktop'] as const;

/** A page whose context is signed in as a demo account (through the API, sharing the cookie). */
async function signedIn(viewport: (typeof VIEWPORTS)[number], username = 'studio') {
  const { context, page } = await newPage(browser, viewport);
  const res = await context.request.post(`${server.base}/api/auth/login`, { data: { username, password: DEMO_PASSWORD } });
  expect(res.status()).toBe(200);
  return { context, page };
}

/** Elements (through shadow roots) reaching past the right edge, and controls lower than 44 px. */
function layoutProblems(p: Page): Promise<{ overflowing: string[]; small: string[] }> {
  return p.evaluate(() => {
    const overflowing: string[] = [];
    const small: string[] = [];
    const width = document.documentElement.clientWidth;
    const walk = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll<HTMLElement>('*')) {
        if (el.shadowRoot) walk(el.shadowRoot);
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        // Inside a horizontally scrolling table wrapper is fine: the page itself does not scroll.
        let scroller = false;
        for (let up: Element | null = el.parentElement; up; up = up.parentElement ?? ((up.getRootNode() as ShadowRoot).host ?? null)) {
          if (getComputedStyle(up).overflowX === 'auto') {
            scroller = true;
            break;
          }
        }
        if (!scroller && r.right > width + 0.5) overflowing.push(`${el.tagName.toLowerCase()}.${el.className} right=${Math.round(r.right)}`);
        const tag = el.tagName.toLowerCase();
        const control = tag === 'button' || tag === 'select' || (tag === 'input' && !['checkbox', 'radio', 'hidden'].includes((el as HTMLInputElement).type));
        if (control && r.height < 43.5) small.push(`${tag} "${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 20)}" ${r.height}px`);
      }
    };
    walk(document);
    return { overflowing: overflowing.slice(0, 5), small };
  });
}

async function checkLayout(page: Page) {
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  const problems = await layoutProblems(page);
  expect(problems.overflowing).toEqual([]);
  expect(problems.small).toEqual([]);
}

const studioId = (name: string) => server.app.db.select().from(studios).all().find((s) => s.name.endsWith(name))!.id;

describe('innovation studios in the browser', () => {
  it("signs in at /login and reaches the registry from the home page's 管理 card", async () => {
    const { context, page } = await newPage(browser, 'landscape');
    await page.goto(`${server.base}/login`);
    await page.locator('#u').fill('studio');
    await page.locator('#p').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).last().click();
    await page.waitForURL((u) => u.pathname !== '/login');
    await page.goto(`${server.base}/`);
    await page.getByTestId('manage').getByRole('link', { name: /创新工作室/ }).click();
    await page.waitForURL((u) => u.pathname === '/studios');
    await page.locator('sc-studio-registry table tbody tr').first().waitFor();
    await context.close();
  });

  for (const viewport of VIEWPORTS) {
    it(`shows the registry with levels and statuses, filters it, and exports it (${viewport})`, async () => {
      const { context, page } = await signedIn(viewport);
      await page.goto(`${server.base}/studios`);
      const rows = page.locator('sc-studio-registry table tbody tr');
      await rows.first().waitFor();
      // Feixi's studios, national demonstration first; the Huaibei studio is another city's.
      expect(await rows.count()).toBe(14);
      expect(await rows.first().innerText()).toContain('国家级示范');
      expect(await page.locator('sc-studio-registry table').innerText()).not.toContain('国网淮北供电公司');
      expect(await page.locator('sc-studio-registry .badge[data-status="delisted"]').count()).toBe(1);
      await checkLayout(page);
      await screenshot(page, `studios-registry-${viewport}`);

      await page.getByTestId('filter-kind').selectOption('skill_master');
      await expect.poll(() => rows.count()).toBe(2);
      expect(await rows.allInnerTexts()).toEqual([expect.stringContaining('技能大师工作室'), expect.stringContaining('技能大师工作室')]);
      const href = await page.getByTestId('export-registry').getAttribute('href');
      expect(href).toBe('/api/studios/export?kind=skill_master');
      const file = await context.request.get(`${server.base}${href}`);
      expect(file.headers()['content-type']).toContain('spreadsheetml');
      expect(file.headers()['x-row-count']).toBe('2');
      await context.close();
    });

    it(`shows a studio's life cycle, figures and funding (${viewport})`, async () => {
      const { context, page } = await signedIn(viewport);
      await page.goto(`${server.base}/studios`);
      await page.getByRole('link', { name: /劳模创新工作室$/ }).first().click();
      await page.getByTestId('studio-name').waitFor();
      expect(await page.getByTestId('studio-name').innerText()).toMatch(/劳模创新工作室$/);
      const steps = page.locator('sc-studio-detail [data-testid="steps"] ol.timeline li');
      expect(await steps.count()).toBe(10);
      // Newest first: the 2025 yearly review, then the national naming.
      expect(await steps.nth(1).innerText()).toContain('命名为全国示范性劳模和工匠人才创新工作室');
      expect(await steps.last().innerText()).toContain('提交申报');
      await page.locator('sc-studio-records [data-testid="figures"] tbody tr').first().waitFor();
      expect(await page.locator('sc-studio-records [data-testid="figures"] tbody tr').count()).toBe(5); // 2023–2026 and the total
      expect(await page.locator('sc-studio-records [data-testid="funding"]').innerText()).toContain('合肥市总工会');
      expect(await page.locator('sc-studio-records sc-column-chart svg rect').count()).toBeGreaterThan(4);
      await checkLayout(page);
      await screenshot(page, `studios-detail-${viewport}`);
      await context.close();
    });

    it(`shows the evaluation ranking against the threshold and the panel's recusals (${viewport})`, async () => {
      const { context, page } = await signedIn(viewport);
      await page.goto(`${server.base}/studios/evaluations`);
      await page.getByRole('link', { name: `${studioYear(2026)}年度肥西县创新工作室联合绩效评估` }).click();
      const rows = page.locator('sc-studio-evaluation [data-testid="ranking-row"]');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(4);
      const texts = await rows.allInnerTexts();
      expect(texts.filter((t) => t.includes('达到分数线'))).toHaveLength(3);
      expect(texts.filter((t) => t.includes('未达分数线'))).toHaveLength(1);
      expect(await page.locator('sc-studio-evaluation [data-testid="panel"]').innerText()).toContain('回避：');
      await checkLayout(page);
      await screenshot(page, `studios-evaluation-${viewport}`);
      await context.close();
    });

    it(`shows the five-smalls tiers, the ranked entries and those screened out (${viewport})`, async () => {
      const { context, page } = await signedIn(viewport);
      await page.goto(`${server.base}/studios/five-smalls`);
      await page.getByRole('link', { name: `${studioYear(2025)}年度肥西县职工“五小”创新成果评选` }).click();
      await page.getByTestId('tiers').waitFor();
      const tiers = await page.locator('sc-five-smalls-campaign .tier-card').allInnerTexts();
      expect(tiers).toHaveLength(3);
      expect(tiers[0]).toContain('一等奖');
      expect(tiers[0]).toContain('3,000');
      expect(await page.locator('sc-five-smalls-campaign .tier.t1').count()).toBeGreaterThanOrEqual(1);
      expect(await page.locator('sc-five-smalls-campaign [data-testid="screened-out"] tbody tr').count()).toBeGreaterThanOrEqual(6);
      expect(await page.locator('sc-five-smalls-campaign [data-testid="screened-out"]').innerText()).toContain('成果须已在生产工作中实施应用');
      await checkLayout(page);
      await screenshot(page, `studios-five-smalls-${viewport}`);
      await context.close();
    });

    it(`draws the dashboard charts (${viewport})`, async () => {
      const { context, page } = await signedIn(viewport);
      await page.goto(`${server.base}/studios/dashboard`);
      await page.getByTestId('tiles').waitFor();
      expect(await page.getByTestId('dashboard-title').innerText()).toContain('肥西县总工会');
      const years = page.locator('sc-studio-dashboard [data-testid="chart-years"] sc-column-chart');
      await years.locator('svg rect').first().waitFor();
      expect(await years.locator('text.cat').allTextContents()).toEqual([2023, 2024, 2025, 2026].map((y) => String(studioYear(y))));
      expect(await years.locator('svg rect').count()).toBeGreaterThanOrEqual(16);
      expect(await page.locator('sc-studio-dashboard [data-testid="chart-kind"] sc-bar-list li').count()).toBe(6);
      expect(await page.locator('sc-studio-dashboard [data-testid="chart-area"] sc-bar-list li').count()).toBeGreaterThanOrEqual(4);
      // Totals per subtree: the county's own line first, then each area under it.
      const subtree = page.locator('sc-studio-dashboard [data-testid="subtree-totals"] tbody tr');
      expect(await subtree.first().innerText()).toContain('肥西县总工会（合计）');
      expect(await subtree.count()).toBeGreaterThanOrEqual(5);
      await checkLayout(page);
      await screenshot(page, `studios-dashboard-${viewport}`);
      await page.getByTestId('chart-benefit').scrollIntoViewIfNeeded();
      await screenshot(page, `studios-dashboard-charts-${viewport}`);
      // Drilling into a township shows only its studios.
      await page.locator('sc-studio-dashboard [data-testid="chart-area"] sc-bar-list a', { hasText: '桃花工业园工会' }).click();
      await expect.poll(() => page.getByTestId('dashboard-title').innerText()).toContain('桃花工业园工会');
      expect(new URL(page.url()).searchParams.get('org')).not.toBeNull();
      await context.close();
    });
  }

  it('lets a reviewer score through the sheet, naming the item whose points are out of range', async () => {
    const { context, page } = await signedIn('landscape');
    await page.goto(`${server.base}/studios/evaluations`);
    await page.getByRole('link', { name: `${studioYear(2026)}年度肥西县创新工作室联合绩效评估` }).click();
    const sheet = page.getByTestId('my-sheet');
    await sheet.waitFor();
    // The county union's own sheet for the 紫蓬镇 applicant is still empty in the demo.
    const applicant = sheet.locator('.applicant', { hasText: '应急救援蓝领创新工作室' });
    expect(await applicant.innerText()).toContain('未完成');
    const inputs = applicant.locator('input[type="number"]');
    expect(await inputs.count()).toBe(7);
    await inputs.nth(0).fill('25'); // 创新项目 is out of 20
    for (let i = 1; i < 7; i++) await inputs.nth(i).fill('8');
    await applicant.getByRole('button', { name: '保存评分' }).click();
    await applicant.locator('.field-error').waitFor();
    expect(await applicant.locator('.field-error').innerText()).toContain('「创新项目」得分须在0至20分之间');
    await screenshot(page, 'studios-evaluation-sheet-error');
    await inputs.nth(0).fill('16');
    await applicant.getByRole('button', { name: '保存评分' }).click();
    await applicant.getByText('已保存').waitFor();
    expect(await applicant.innerText()).toContain('已完成');
    const row = page.locator('sc-studio-evaluation [data-testid="ranking-row"]', { hasText: '应急救援蓝领创新工作室' });
    expect(await row.innerText()).toContain('3/3 份');
    await context.close();
  });

  it('registers an application through the form: a de-listed host is refused until its ban ends, another is accepted', async () => {
    const { context, page } = await signedIn('landscape');
    await page.goto(`${server.base}/studios/new`);
    const form = page.locator('sc-studio-form form');
    await form.locator('#host option', { hasText: '上派镇专职消防队' }).waitFor({ state: 'attached' });
    await form.locator('#name').fill('上派植保飞防蓝领创新工作室');
    await form.locator('#kind').selectOption('blue_collar');
    expect(await page.getByTestId('leader-rule').innerText()).toContain('满足其一即可');
    await form.locator('#host').selectOption({ label: '上派镇农业综合服务站（上派镇工会）' });
    await form.locator('#leader option').nth(1).waitFor({ state: 'attached' });
    await form.locator('#leader').selectOption({ index: 1 });
    await form.getByLabel('县级技术能手').check();
    await form.locator('#applied').fill(`${studioYear(2026)}-11-20`);
    await form.getByRole('button', { name: '提交申报' }).click();
    await page.getByTestId('error-banner').waitFor();
    expect(await page.getByTestId('error-banner').innerText()).toContain(`${studioYear(2027)}-06-18前不得再次申报`);
    expect(await form.locator('.field-error[data-field="hostEmployerId"]').innerText()).toContain(`${studioYear(2027)}-06-18`);
    await screenshot(page, 'studios-apply-banned');

    await form.locator('#host').selectOption({ label: '上派镇专职消防队（上派镇工会）' });
    await form.locator('#leader option').nth(1).waitFor({ state: 'attached' });
    await form.locator('#leader').selectOption({ index: 1 });
    await form.getByRole('button', { name: '提交申报' }).click();
    await page.waitForURL((u) => /^\/studios\/\d+$/.test(u.pathname));
    await page.getByTestId('studio-name').waitFor();
    expect(await page.getByTestId('studio-name').innerText()).toBe('上派植保飞防蓝领创新工作室');
    expect(await page.locator('sc-studio-detail .head').innerText()).toContain('已申报');
    expect(await page.locator('sc-studio-detail [data-testid="steps"]').innerText()).toContain('提交申报');
    await context.close();
  });

  it('records a decision through the form: the lapsed craft studio is re-confirmed', async () => {
    const { context, page } = await signedIn('desktop');
    await page.goto(`${server.base}/studios/${studioId('三河传统农具制作技艺工作室')}`);
    const form = page.getByTestId('decision-form');
    await form.waitFor();
    expect(await page.locator('sc-studio-detail .head').innerText()).toContain('期满待复核');
    await form.locator('select[name="action"]').selectOption('reconfirm');
    await form.locator('input[name="date"]').fill(`${studioYear(2026)}-01-04`); // before the lapse was recorded
    await form.getByRole('button', { name: '记录' }).click();
    await form.locator('.field-error[data-field="date"]').waitFor();
    await form.locator('input[name="date"]').fill(`${studioYear(2026)}-02-10`);
    await form.locator('textarea[name="note"]').fill('补报复核材料，经审核同意复核认定');
    await form.getByRole('button', { name: '记录' }).click();
    await page.locator('sc-studio-detail .head .badge[data-status="recognised"]').waitFor();
    expect(await page.locator('sc-studio-detail [data-testid="steps"] ol.timeline li').first().innerText()).toContain('复核认定为县级传统技艺工作室');
    const row = server.app.db.select().from(studios).where(eq(studios.id, studioId('三河传统农具制作技艺工作室'))).get()!;
    expect(row).toMatchObject({ status: 'recognised', termStartsOn: `${studioYear(2026)}-02-10`, termEndsOn: `${studioYear(2029)}-02-10` });
    await context.close();
  });

  it("shows a de-listed studio's ban, and the HR bureau cannot change the union's studios", async () => {
    const { context, page } = await signedIn('landscape', 'hr');
    await page.goto(`${server.base}/studios/${studioId('植保无人机蓝领创新工作室')}`);
    await page.getByTestId('ban-banner').waitFor();
    expect(await page.getByTestId('ban-banner').innerText()).toContain(`${studioYear(2027)}-06-18`);
    expect(await page.getByTestId('decision-form').count()).toBe(0);
    await screenshot(page, 'studios-delisted-hr');
    await context.close();
  });
});
