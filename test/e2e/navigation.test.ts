import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../db/seed.ts';
import { buildCertificateNumber } from '../../server/domain/awards/index.ts';
import { horizontalOverflow, launchBrowser, newPage, screenshot, startServer, VIEWPORTS, type E2eServer } from './helpers/browser.ts';

let server: E2eServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh tablet with console errors and uncaught exceptions collected. */
async function tablet(viewport: keyof typeof VIEWPORTS = 'landscape'): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const { context, page } = await newPage(browser, viewport);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  return { context, page, errors };
}

async function signIn(page: Page, username: string) {
  await page.goto(`${server.base}/login`);
  await page.locator('#u').fill(username);
  await page.locator('#p').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).last().click();
}

/** A staff session cookie for the API. */
async function cookieOf(username: string): Promise<string> {
  const res = await server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
  const sid = res.cookies.find((c) => c.name === 'sid');
  if (!sid) throw new Error(`sign-in of ${username} failed: ${res.statusCode}`);
  return `sid=${sid.value}`;
}

/** The top navigation's links, as the person sees them. */
async function areas(page: Page): Promise<string[]> {
  const nav = page.getByTestId('areas');
  await nav.waitFor();
  return nav.locator('a').allTextContents();
}

describe('one app for every role', () => {
  it('each role lands on the work waiting for it, under one top navigation', async () => {
    const cases = [
      { username: 'admin', landing: '/admin', current: '机构与账号', sees: '组织机构' },
      { username: 'organiser', landing: '/org', current: '竞赛管理', sees: '竞赛' },
      { username: 'hr', landing: '/hr', current: '技能等级', sees: '职业技能等级' },
      { username: 'studio', landing: '/studios', current: '创新工作室', sees: '工作室' },
      { username: 'viewer', landing: '/org', current: '竞赛管理', sees: '竞赛' },
    ];
    for (const c of cases) {
      const { context, page, errors } = await tablet();
      await signIn(page, c.username);
      await page.waitForURL(`${server.base}${c.landing}`);
      const links = await areas(page);
      expect(links.slice(0, 6), c.username).toEqual(['竞赛管理', '评分与成绩', '奖项与称号', '技能等级', '创新工作室', '人员']);
      expect(links.includes('机构与账号'), c.username).toBe(c.username === 'admin');
      await expect.poll(() => page.locator('[data-testid=areas] a[aria-current=page]').textContent()).toBe(c.current);
      await page.getByText(c.sees).first().waitFor();
      await screenshot(page, `nav-landing-${c.username}`);

      // No dead ends: from every area, the navigation reaches every other one and the start page.
      for (const name of links) {
        await page.getByTestId('areas').getByRole('link', { name, exact: true }).click();
        await expect.poll(() => page.locator('[data-testid=areas] a[aria-current=page]').textContent()).toBe(name);
        expect(await page.getByText('页面不存在').count()).toBe(0);
      }
      await page.getByRole('link', { name: '职工技能竞赛管理系统' }).click();
      await page.waitForURL(`${server.base}/`);
      await expect.poll(() => page.getByTestId('manage').isVisible()).toBe(true);
      expect(errors, c.username).toEqual([]);
      await context.close();
    }
  }, 240_000);

  it('the HR officer sees the proposals and certificates waiting for them on landing', async () => {
    // The county union runs the Feixi title rules on its released welding results: proposals wait
    // for both signatures.
    const union = await cookieOf('organiser');
    const welding = server.app.db.$client.prepare(`select id from events where name = '焊工' order by id limit 1`).get() as { id: number };
    expect((await server.app.inject({ method: 'POST', url: '/api/title-rules', headers: { cookie: union }, payload: { presetKey: 'feixi_b_level' } })).statusCode).toBe(201);
    expect((await server.app.inject({ method: 'POST', url: `/api/events/${welding.id}/proposals/generate`, headers: { cookie: union } })).statusCode).toBeLessThan(300);
    const { proposed } = server.app.db.$client
      .prepare(`select count(*) as proposed from award_proposals where status = 'proposed' and hr_approved_at is null`)
      .get() as { proposed: number };
    expect(proposed).toBeGreaterThan(0);

    const { context, page, errors } = await tablet('portrait');
    await signIn(page, 'hr');
    await page.waitForURL(`${server.base}/hr`);
    const waiting = page.getByTestId('waiting');
    await expect.poll(() => waiting.innerText()).toContain(`待人社局签署的称号与晋级建议 ${proposed} 条`);
    await screenshot(page, 'nav-landing-hr-waiting');
    await page.getByTestId('proposals-waiting').click();
    await page.waitForURL(`${server.base}/awards?tab=proposals&status=proposed`);
    // The link opens what waits: proposals not yet signed, none that are decided.
    await expect.poll(() => page.getByTestId('proposal').count()).toBe(proposed);
    expect(await page.locator('#po-status').inputValue()).toBe('proposed');
    expect(await page.getByTestId('proposal-status').allTextContents()).not.toContain('已驳回');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('the administrator sees the organisation tree and adds a body and an account to it', async () => {
    const { context, page, errors } = await tablet('portrait');
    await signIn(page, 'admin');
    await page.waitForURL(`${server.base}/admin`);
    const tree = page.getByTestId('org-tree');
    await tree.getByRole('button', { name: /肥西县总工会/ }).first().click();
    await expect.poll(() => page.getByTestId('org-detail').locator('h2').textContent()).toBe('肥西县总工会');
    await expect.poll(() => page.getByTestId('accounts').innerText()).toContain('organiser');

    const addOrg = page.getByTestId('add-org');
    await addOrg.locator('#n').fill('肥西县桃花镇总工会');
    await addOrg.locator('#k').selectOption('union');
    await addOrg.locator('#l').selectOption('township');
    await addOrg.getByRole('button', { name: '添加' }).click();
    await expect.poll(() => tree.innerText()).toContain('肥西县桃花镇总工会');
    // The form is cleared for the next body, the region code back to the chosen body's.
    expect(await addOrg.locator('#n').inputValue()).toBe('');
    expect(await addOrg.locator('#rc').inputValue()).toBe('340123');

    await tree.getByRole('button', { name: /肥西县桃花镇总工会/ }).click();
    const addAccount = page.getByTestId('add-account');
    await addAccount.locator('#u').fill('taohua');
    await addAccount.locator('#d').fill('桃花镇工会干事');
    await addAccount.locator('#pw').fill('short');
    // The browser's own check (minlength) would stop this; the server's refusal is shown by field too.
    await addAccount.locator('#pw').evaluate((el) => el.removeAttribute('minlength'));
    await addAccount.getByRole('button', { name: '添加' }).click();
    // The server's rule, in Chinese.
    await expect.poll(() => addAccount.locator('.field-error').innerText()).toBe('至少 8 位');
    await addAccount.locator('#pw').fill('Peach#Blossom-2027');
    await addAccount.getByRole('button', { name: '添加' }).click();
    await expect.poll(() => page.getByTestId('accounts').innerText()).toContain('taohua');
    const saved = server.app.db.$client
      .prepare(`select a.role, o.name from accounts a join organisations o on o.id = a.org_id where a.username = 'taohua'`)
      .get() as { role: string; name: string };
    expect(saved).toEqual({ role: 'organiser', name: '肥西县桃花镇总工会' });
    await screenshot(page, 'nav-admin-portrait');
    await page.setViewportSize(VIEWPORTS.landscape);
    await screenshot(page, 'nav-admin-landscape');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    // The browser logs the refused short password (400) itself; nothing else may go wrong.
    expect(errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
    await context.close();
  }, 60_000);

  it('a visitor sees the published results in the navigation and no 401 anywhere', async () => {
    const { context, page, errors } = await tablet('portrait');
    await page.goto(`${server.base}/`);
    expect(await areas(page)).toEqual(['评分与成绩']);
    await page.getByTestId('areas').getByRole('link', { name: '评分与成绩' }).click();
    await page.waitForURL(`${server.base}/results`);
    await page.goto(`${server.base}/admin`);
    await page.getByText('此页面仅供系统管理员使用').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('dashboards answer the year’s questions and open the records behind each figure', async () => {
    // The union awards the welding prizes; the HR bureau records two certificates.
    const union = await cookieOf('organiser');
    const hr = await cookieOf('hr');
    const welding = server.app.db.$client.prepare(`select id from events where name = '焊工' order by id limit 1`).get() as { id: number };
    await server.app.inject({ method: 'POST', url: `/api/events/${welding.id}/prizes`, headers: { cookie: union } });
    const person = (server.app.db.$client.prepare(`select person_id as id from entries where event_id = ? limit 1`).get(welding.id) as { id: number }).id;
    for (const [level, serial] of [[4, 1], [3, 2]] as const) {
      const res = await server.app.inject({
        method: 'POST',
        url: '/api/certificates',
        headers: { cookie: hr },
        payload: {
          personId: person,
          occupationCode: '6-18-02-04',
          occupationName: '焊工',
          level,
          basis: 'exam',
          evaluationBody: '肥西县职业技术学校',
          issueDate: '2025-06-28',
          certificateNumber: buildCertificateNumber({ issuer: 'employer', bodyCode: '0012', provinceCode: '34', siteSequence: '000045', year: 2025, level, serial }),
        },
      });
      expect(res.statusCode).toBe(201);
    }
    const prizes = (server.app.db.$client.prepare(`select count(*) as n from prizes`).get() as { n: number }).n;

    const { context, page, errors } = await tablet('landscape');
    await signIn(page, 'organiser');
    await page.waitForURL(`${server.base}/org`);
    const outcomes = page.getByTestId('outcomes');
    await outcomes.waitFor();
    await expect.poll(() => page.getByTestId('stat-winners').locator('.value').textContent()).toBe(String(prizes));
    await screenshot(page, 'dashboard-union');
    await page.getByTestId('grade-B').click();
    await page.waitForURL((u) => u.pathname === '/org/competitions' && u.searchParams.get('grade') === 'B');
    await expect.poll(() => page.locator('sc-org-competitions .chip.grade-B').count()).toBeGreaterThan(0);
    expect(await page.locator('sc-org-competitions .chip.grade-A').count()).toBe(0);
    expect(await page.locator('#grade').inputValue()).toBe('B');
    await context.close();

    const hrTab = await tablet('portrait');
    await signIn(hrTab.page, 'hr');
    await hrTab.page.waitForURL(`${server.base}/hr`);
    const overview = hrTab.page.getByTestId('hr-overview');
    await expect.poll(() => overview.innerText()).toContain('本单位记录的证书 2 本');
    await overview.getByRole('button', { name: /^焊工 2$/ }).waitFor();
    await screenshot(hrTab.page, 'dashboard-hr');
    await overview.getByRole('button', { name: /高级工/ }).click();
    await expect.poll(() => hrTab.page.getByTestId('cert-table').locator('tbody tr').count()).toBe(1);
    expect(await horizontalOverflow(hrTab.page)).toBeLessThanOrEqual(0);
    expect([...errors, ...hrTab.errors]).toEqual([]);
    await hrTab.context.close();
  }, 90_000);
});
