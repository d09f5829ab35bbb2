import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { buildApp } from '../../server/app.ts';
import { fixedClock } from '../../server/clock.ts';
import { loadConfig } from '../../server/config.ts';
import type { TestApp } from '../helpers/test-app.ts';
import { horizontalOverflow, launchBrowser, newPage, screenshot } from './helpers/browser.ts';

/**
 * Managing a craftsman selection (工匠评选) in the browser, as the Hefei city union's organiser:
 * the settings of a draft changed in the editor (quota, a 3-year term; a refusal keeps what was
 * typed), a candidate withdrawn with the reason and everyone's eligibility checked again, an
 * objection received by letter recorded during publicity, and after naming the titles kept: a
 * yearly review recorded (a failed one needs the reason) and a title revoked with the reason.
 * Finally the year's report is downloaded from the list.
 *
 * The server runs on a clock of its own, started at the real time and moved on to the end of the
 * publicity period and into the year after naming (when the first yearly review falls due); the
 * browser keeps the real clock, and nothing it shows depends on it.
 */
const DAY = 86_400_000;
const clock = fixedClock(new Date());
let app: TestApp;
let base = '';
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];
let selectionId = 0;
let year = 0;
type Worker = { id: number; name: string };
let workers: Worker[] = [];

/** The tablet the brief names, both ways round. */
const SIZES = { landscape: { width: 1280, height: 800 }, portrait: { width: 800, height: 1280 } } as const;

/** Refusals the test asks for are logged by Chromium as failed loads; anything else is a problem. */
const EXPECTED = [/status of 400.*\/api\/selections\/\d+$/];

function watch(p: Page) {
  p.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  p.on('console', (msg) => {
    const where = `${msg.text()} ${msg.location().url}`;
    if (msg.type() === 'error' && !EXPECTED.some((re) => re.test(where))) problems.push(`console: ${where}`);
  });
}

/** Screenshots in both orientations (selection-titles-<name>-…), none scrolling sideways. */
async function capture(p: Page, name: string) {
  for (const size of ['landscape', 'portrait'] as const) {
    await p.setViewportSize(SIZES[size]);
    await p.waitForTimeout(150);
    await screenshot(p, `selection-titles-${name}-${size}`);
    expect(await horizontalOverflow(p), `${name} at ${size}`).toBe(0);
  }
  await p.setViewportSize(SIZES.landscape);
}

async function signIn(p: Page, username: string) {
  await p.goto(`${base}/login`);
  await p.locator('#u').fill(username);
  await p.locator('#p').fill('Demo@2026!');
  await p.getByRole('button', { name: '登录' }).last().click();
  await p.waitForURL((u) => u.pathname !== '/login');
}

/** The API as the signed-in page (its cookies; same origin). */
async function apiCall(method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, data?: unknown) {
  const res = await page.request.fetch(`${base}${path}`, { method, data, headers: { origin: base } });
  expect(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`).toBe(true);
  return res.json();
}

/** A China date `offset` days from the server's clock. */
const day = (offset: number) => new Date(clock.now().getTime() + 8 * 3600_000 + offset * DAY).toISOString().slice(0, 10);

const FORM = { position: '班组长', frontLine: true, yearsInTrade: 12, stillInTrade: true, skillConditions: ['unique_technique'], declaredNoDisciplinaryRecord: true };

const candidateRow = (name: string) => page.getByTestId('candidates').getByTestId('candidate').filter({ hasText: name });
const titleRow = (name: string) => page.getByTestId('title-row').filter({ hasText: name });

beforeAll(async () => {
  const webDist = resolve('dist/web');
  if (!existsSync(resolve(webDist, 'index.html'))) throw new Error('dist/web is missing: run `npx vite build` first');
  // Sessions outlast the moves of the clock (a year and more): the sign-in is not what is tested here.
  const config = { ...loadConfig({ DEMO: 'true', LOG_LEVEL: 'warn' }), webDist, sessionTtlMs: 4 * 365 * DAY, sessionIdleMs: 4 * 365 * DAY };
  app = (await buildApp(config, { db: openDb(':memory:'), logger: false, clock })) as TestApp;
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await launchBrowser();
  ({ context, page } = await newPage(browser, 'landscape'));
  await page.setViewportSize(SIZES.landscape);
  watch(page);
  // Four workers of the Hefei city union's tree with an employer, holding no title and standing in no selection.
  workers = app.db.$client
    .prepare(
      `select p.id, p.name from people p join organisations o on o.id = p.org_id
       where o.path like (select path from organisations where name = '合肥市总工会') || '%' and p.employer_id is not null
         and not exists (select 1 from person_titles t where t.person_id = p.id)
         and not exists (select 1 from craftsman_candidates c where c.person_id = p.id)
       order by p.id limit 4`,
    )
    .all() as Worker[];
  expect(workers).toHaveLength(4);
  // Names are unique among them, so rows can be found by name.
  expect(new Set(workers.map((w) => w.name)).size).toBe(4);
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await app?.close();
});

describe('managing a craftsman selection (/awards/selections/:id)', () => {
  it('changes a draft’s quota and term in the settings editor; a refusal keeps what was typed', async () => {
    await signIn(page, 'hefei-organiser');
    year = Number(day(0).slice(0, 4));
    const created = await apiCall('POST', '/api/selections', {
      presetKey: 'hefei_craftsman',
      name: '合肥工匠评选（称号管理测试）',
      year,
      nominationsOpen: day(-1),
      nominationsClose: day(30),
    });
    selectionId = created.id;
    expect(created.titleTermYears).toBeNull();
    await page.goto(`${base}/awards/selections/${selectionId}`);
    await page.getByTestId('selection-name').waitFor();
    expect(await page.getByTestId('status').textContent()).toBe('草稿');

    await capture(page, 'draft');
    await page.getByTestId('settings-edit').click();
    const form = page.getByTestId('settings-form');
    expect(await form.getByTestId('set-quota').inputValue()).toBe('10');
    expect(await form.getByTestId('set-titleTermYears').inputValue()).toBe('');
    await form.getByTestId('set-quota').fill('3');
    await form.getByTestId('set-titleTermYears').fill('3');
    // Checked on the page: the close date before the open date.
    await form.getByTestId('set-nominationsClose').fill(day(-5));
    await form.getByTestId('settings-save').click();
    expect(await page.locator('sc-sel-settings').locator('#err-set-nominationsClose').textContent()).toBe('截止日期不能早于开始日期');
    await form.getByTestId('set-nominationsClose').fill(day(20));
    // Refused by the server (a name of 81 characters): marked beside the field, nothing typed lost.
    await form.getByTestId('set-name').fill('长'.repeat(81));
    await form.getByTestId('settings-save').click();
    await page.locator('sc-sel-settings').locator('#err-set-name').waitFor();
    expect(await page.locator('sc-sel-settings').locator('#err-set-name').textContent()).toBe('请填写评选名称（不超过 80 个字）');
    expect(await form.getByTestId('set-quota').inputValue()).toBe('3');
    expect(await form.getByTestId('set-titleTermYears').inputValue()).toBe('3');
    expect(await form.getByTestId('set-nominationsClose').inputValue()).toBe(day(20));
    await capture(page, 'settings');

    await form.getByTestId('set-name').fill('合肥工匠评选（称号管理测试）');
    await form.getByTestId('settings-save').click();
    await page.getByTestId('notice').waitFor();
    expect(await page.getByTestId('notice').textContent()).toContain('评选设置已保存');
    const summary = (await page.getByTestId('settings').textContent()) ?? '';
    expect(summary).toContain('3 名');
    expect(summary).toContain('称号有效期 3 年');
    expect(summary).toContain(`推荐 ${day(-1)} 至 ${day(20)}`);
    const stored = await apiCall('GET', `/api/selections/${selectionId}`);
    expect(stored).toMatchObject({ quota: 3, titleTermYears: 3, nominationsClose: day(20), name: '合肥工匠评选（称号管理测试）' });
  });

  it('withdraws a candidate with the reason and checks everyone’s eligibility again', async () => {
    await apiCall('POST', `/api/selections/${selectionId}/open-nominations`);
    const [a, b, c, d] = workers as [Worker, Worker, Worker, Worker];
    for (const w of [a, b, c]) await apiCall('POST', `/api/selections/${selectionId}/candidates`, { source: 'self_nomination', personId: w.id, form: FORM });
    await apiCall('POST', `/api/selections/${selectionId}/candidates`, { source: 'self_nomination', personId: d.id, form: { ...FORM, frontLine: false } });
    await page.reload();
    await page.getByTestId('candidates').waitFor();
    // The ineligible one is not offered for withdrawal; the others are.
    expect(await candidateRow(d.name).getByTestId('withdraw').count()).toBe(0);
    expect(await candidateRow(a.name).getByTestId('withdraw').count()).toBe(1);

    await candidateRow(c.name).getByTestId('withdraw').click();
    const dialog = page.getByTestId('withdraw-dialog');
    await dialog.getByTestId('reason-text').waitFor();
    await dialog.getByTestId('confirm').click();
    expect(await dialog.getByTestId('reason-error').textContent()).toBe('请写明理由（至少 2 个字）');
    await dialog.getByTestId('reason-text').fill('本人因工作调动申请退出评选');
    await capture(page, 'withdraw');
    await dialog.getByTestId('confirm').click();
    await page.getByTestId('candidates-notice').waitFor();
    expect(await page.getByTestId('candidates-notice').textContent()).toContain(`已撤回${c.name}的推荐`);
    await expect.poll(() => candidateRow(c.name).getAttribute('data-status')).toBe('withdrawn');
    expect(await candidateRow(c.name).getByTestId('withdraw-reason').textContent()).toBe('本人因工作调动申请退出评选');
    expect(await candidateRow(c.name).getByTestId('withdraw').count()).toBe(0);

    await page.getByTestId('recheck').click();
    await expect.poll(() => page.getByTestId('candidates-notice').textContent()).toContain('已重新审查 3 名候选人：2 名符合条件，1 名不符合条件');
    expect(await candidateRow(d.name).getAttribute('data-status')).toBe('ineligible');
    await page.getByTestId('candidates-section').scrollIntoViewIfNeeded();
    await capture(page, 'candidates');
  });

  it('records an objection received by letter during publicity', async () => {
    const [a, b] = workers as [Worker, Worker];
    await apiCall('POST', `/api/selections/${selectionId}/start-review`);
    const candidates = (await apiCall('GET', `/api/selections/${selectionId}/candidates`)) as { id: number; personName: string }[];
    const idOf = (w: Worker) => candidates.find((x) => x.personName === w.name)!.id;
    await apiCall('PUT', `/api/selections/${selectionId}/proposed-list`, {
      items: [
        { candidateId: idOf(a), reviewScore: 92, award: 'title' },
        { candidateId: idOf(b), reviewScore: 88, award: 'title' },
      ],
    });
    await apiCall('POST', `/api/selections/${selectionId}/start-publicity`);
    await page.reload();
    const form = page.getByTestId('objection-record');
    await form.waitFor();
    // Nothing chosen or written: each field says so.
    await form.getByTestId('objf-submit').click();
    expect(await page.locator('sc-sel-objection-form').locator('#err-objf-candidateId').textContent()).toBe('请选择公示名单中的人员');
    expect(await page.locator('sc-sel-objection-form').locator('#err-objf-reason').textContent()).toBe('请至少写 5 个字');
    // Only those on the publicity list are offered.
    expect(await form.getByTestId('objf-candidateId').locator('option').allTextContents()).toHaveLength(3);
    await form.getByTestId('objf-candidateId').selectOption(String(idOf(b)));
    await form.getByTestId('objf-lodgedBy').fill('来信 张某');
    await form.getByTestId('objf-contact').fill('0551-12345678');
    await form.getByTestId('objf-reason').fill('反映该同志推荐材料中所列竞赛名次与实际不符。');
    await form.getByTestId('objf-submit').click();
    await form.getByTestId('objection-recorded').waitFor();
    const objection = page.getByTestId('objection').filter({ hasText: '来信 张某' });
    await objection.waitFor();
    expect(await objection.textContent()).toContain(b.name);
    expect(await objection.textContent()).toContain('0551-12345678');
    // The form is cleared for the next one.
    expect(await form.getByTestId('objf-reason').inputValue()).toBe('');
    await page.getByTestId('objections').scrollIntoViewIfNeeded();
    await capture(page, 'objection');
    // Decided (dismissed) on the page like any other.
    await objection.getByTestId('objection-decision').selectOption('dismissed');
    await objection.getByTestId('objection-note').fill('经核实，竞赛名次属实，异议不成立。');
    await objection.getByTestId('objection-decide').click();
    await objection.locator('.badge', { hasText: '异议不成立' }).waitFor();
  });

  it('names the list for three years: a yearly review is recorded (a failed one says why) and a title revoked', async () => {
    const [a, b] = workers as [Worker, Worker];
    const sel = await apiCall('GET', `/api/selections/${selectionId}`);
    clock.set(new Date(Date.parse(sel.publicityEndsAt) + 3600_000));
    const named = await apiCall('POST', `/api/selections/${selectionId}/name`);
    expect(named.named).toHaveLength(2);
    await page.reload();
    const titles = page.getByTestId('titles');
    await titles.getByTestId('titles-table').waitFor();
    // In the naming year nothing is due yet.
    expect(await titleRow(a.name).getByTestId('review-missing').count()).toBe(0);
    expect(await titleRow(a.name).getByTestId('title-standing').textContent()).toBe('有效');

    // The next year on the server: the first yearly review is due.
    const termEnds = named.named[0].termEnds as string;
    // Named for three years: the term ends three years after the naming year, the first review falls in the year after it.
    const reviewYear = Number(termEnds.slice(0, 4)) - 3 + 1;
    clock.set(`${reviewYear}-06-15T02:00:00Z`);
    await page.reload();
    await titles.getByTestId('titles-table').waitFor();
    expect(await titleRow(a.name).getByTestId('title-term').textContent()).toBe(termEnds);
    expect(await titleRow(a.name).getByTestId('review-missing').textContent()).toBe(`${reviewYear} 待考核`);
    expect(await titleRow(a.name).getByTestId('title-certificate-link').getAttribute('href')).toMatch(new RegExp(`^/selections/${selectionId}/certificate/GJ\\d{4}-\\d{4}-00\\d$`));
    await titles.scrollIntoViewIfNeeded();
    await capture(page, 'titles-due');

    // Failed without the reason: refused beside the field, the choice kept.
    await titleRow(a.name).getByTestId('review-open').click();
    const form = titles.getByTestId('review-form');
    expect(await form.getByTestId('review-year').inputValue()).toBe(String(reviewYear));
    await form.getByTestId('review-outcome-failed').check();
    await form.getByTestId('review-submit').click();
    expect(await page.locator('sc-sel-titles').locator('#err-rv-note').textContent()).toBe('考核不合格须写明原因（至少 2 个字）');
    expect(await form.getByTestId('review-outcome-failed').isChecked()).toBe(true);
    await form.getByTestId('review-note').fill('全年未开展传帮带活动');
    await capture(page, 'review-form');
    await form.getByTestId('review-submit').click();
    await titles.getByTestId('titles-notice').waitFor();
    expect(await titles.getByTestId('titles-notice').textContent()).toBe(`已登记${a.name} ${reviewYear} 年度考核：不合格`);
    const review = titleRow(a.name).getByTestId('title-review');
    expect(await review.getAttribute('data-outcome')).toBe('failed');
    expect((await review.textContent())?.replace(/\s+/g, ' ').trim()).toBe(`${reviewYear} 不合格：全年未开展传帮带活动`);
    expect(await titleRow(a.name).getByTestId('review-missing').count()).toBe(0);
    expect(await titleRow(a.name).getByTestId('review-open').count()).toBe(0);

    // Revoked with the reason, through a confirmation that asks for it.
    await titleRow(b.name).getByTestId('revoke-open').click();
    const dialog = titles.getByTestId('revoke-dialog');
    await dialog.getByTestId('reason-text').fill('假');
    await dialog.getByTestId('confirm').click();
    expect(await dialog.getByTestId('reason-error').textContent()).toBe('请写明理由（至少 2 个字）');
    await dialog.getByTestId('reason-text').fill('申报材料弄虚作假，经研究撤销称号');
    await capture(page, 'revoke');
    await dialog.getByTestId('confirm').click();
    await expect.poll(() => titleRow(b.name).getAttribute('data-standing')).toBe('revoked');
    expect(await titles.getByTestId('titles-notice').textContent()).toBe(`已撤销${b.name}的称号`);
    expect(await titleRow(b.name).getByTestId('revoke-reason').textContent()).toBe('撤销理由：申报材料弄虚作假，经研究撤销称号');
    expect(await titleRow(b.name).getByTestId('title-standing').textContent()).toBe('已撤销');
    // A revoked title's certificate is no longer linked, and it owes no review.
    expect(await titleRow(b.name).getByTestId('title-certificate-link').count()).toBe(0);
    expect(await titleRow(b.name).getByTestId('review-missing').count()).toBe(0);
    expect(await titleRow(b.name).getByTestId('revoke-open').count()).toBe(0);
    // The reward panel is read again: the revoked title is no longer paid.
    await expect.poll(() => page.getByTestId('rewards').locator('tr', { hasText: b.name }).textContent()).toContain('称号已撤销');
    await titles.scrollIntoViewIfNeeded();
    await capture(page, 'titles');

    // In English every string is translated (no message keys show) and the page still fits.
    await page.getByTestId('lang').click();
    await expect.poll(() => titleRow(b.name).getByTestId('title-standing').textContent()).toBe('Revoked');
    expect(await titleRow(a.name).getByTestId('title-review').textContent()).toContain('Failed');
    expect(await page.locator('sc-selection-detail').evaluate((el) => el.shadowRoot!.textContent ?? '')).not.toMatch(/\bsel\.[a-z]/);
    expect(await page.locator('sc-sel-titles').evaluate((el) => el.shadowRoot!.textContent ?? '')).not.toMatch(/\bsel\.[a-z]/);
    await titles.scrollIntoViewIfNeeded();
    await capture(page, 'titles-en');
    await page.getByTestId('lang').click();
  });

  it('downloads the year’s report from the list of selections', async () => {
    await page.goto(`${base}/awards/selections`);
    const years = page.getByTestId('years');
    await years.waitFor();
    await page.getByTestId('year').selectOption(String(year));
    const link = page.getByTestId('report-download');
    expect(await link.getAttribute('href')).toBe(`/api/selection-report.xlsx?year=${year}`);
    expect(await link.textContent()).toContain(`下载 ${year} 年度报表`);
    // Only that year's selections are listed.
    await page.getByTestId('selections').locator('tr', { hasText: '合肥工匠评选（称号管理测试）' }).waitFor();
    const shown = await page.getByTestId('selections').locator('tbody tr td:nth-child(2)').allTextContents();
    expect(new Set(shown)).toEqual(new Set([String(year)]));
    await capture(page, 'list');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe(`selections-${year}.xlsx`);
    const file = await download.path();
    expect(file).toBeTruthy();
  });

  it('had no page or console errors', () => {
    expect(problems).toEqual([]);
  });
});
