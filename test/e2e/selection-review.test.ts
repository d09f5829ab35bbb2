import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../db/seed.ts';
import { horizontalOverflow, launchBrowser, newPage, screenshot, startServer, VIEWPORTS, type E2eServer } from './helpers/browser.ts';

/**
 * The review of a 合肥工匠 selection on the engine, in the browser on a tablet (issue 11).
 *
 * Set up through the API as `hefei-organiser` (合肥市总工会, the city HR bureau co-organising):
 * a selection from the preset with its review setup (材料评审 70% by union 50 / HR 30 / experts
 * 20, 现场答辩 30% by the experts), quota 2, three eligible demo workers nominated (A, B, C), the
 * panel seated from demo accounts in reach — `organiser` (肥西县总工会) for the union, `hr` for the
 * HR bureau, `viewer` (合肥市总工会) as an expert who scores on the page — and an outside expert by
 * name, whose paper sheets the organiser enters. The others score through the API: B and C get
 * the same points from everyone, so they tie at the quota line.
 *
 * In the browser: the expert declares a relation with A (A leaves their sheet), scores B and C
 * in both steps (a value over the maximum is refused next to its field; a reload keeps the
 * draft); `hr` (肥西县人社局, under the co-organising city bureau, who may not read the
 * selection) opens their sheet from it alone; the organiser picks a reviewer from the accounts in
 * reach, sees the ranking, closes the review, lets the committee choose between B and C, seats the
 * committee from the accounts and by name; two paper ballots against vote the list down, it goes
 * back to the panel with the reason (退回重评), the review is closed and the tie decided again and
 * round 2 is voted: a paper ballot, `viewer` on the page; the tally passes and the publicity starts
 * (refused, with the reason, before that).
 */
let server: E2eServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const problems: string[] = [];
let selectionId = 0;
const cookies: Record<string, string> = {};
const cand = {} as Record<'A' | 'B' | 'C', { id: number; name: string }>;
let viewerAccountId = 0;

/** Refusals the test asks for, logged by Chromium as failed loads. */
const DELIBERATE = [/\/my-scores$/, /\/start-publicity$/];

function watch(p: Page) {
  p.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  p.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const url = msg.location().url;
    if (/status of (400|409)/.test(msg.text()) && DELIBERATE.some((r) => r.test(url))) return;
    problems.push(`console: ${msg.text()} ${url}`);
  });
}

async function open(viewport: 'landscape' | 'portrait' = 'landscape') {
  const { context, page } = await newPage(browser, viewport);
  contexts.push(context);
  watch(page);
  return page;
}

/** 10-inch tablets at 1280×800 too, in both orientations. */
const SIZES = { ...VIEWPORTS, wide: { width: 1280, height: 800 }, tall: { width: 800, height: 1280 } };

/** Screenshots in both tablet orientations (selection-review-<name>-…), none scrolling sideways. */
async function capture(p: Page, name: string, scrollTo?: string) {
  for (const size of ['landscape', 'portrait', 'wide', 'tall'] as const) {
    await p.setViewportSize(SIZES[size]);
    await p.waitForTimeout(150);
    if (scrollTo) await p.getByTestId(scrollTo).first().scrollIntoViewIfNeeded();
    await screenshot(p, `selection-review-${name}-${size}`);
    expect(await horizontalOverflow(p), `${name} at ${size}`).toBe(0);
  }
  await p.setViewportSize(VIEWPORTS.landscape);
}

async function signIn(p: Page, username: string) {
  await p.goto(`${server.base}/login`);
  await p.locator('#u').fill(username);
  await p.locator('#p').fill(DEMO_PASSWORD);
  await p.getByRole('button', { name: '登录' }).last().click();
  await p.waitForURL((u) => u.pathname !== '/login');
}

/** The API as a demo account (signed in through the API once). */
async function as(username: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) {
  if (!cookies[username]) {
    const res = await server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
    const sid = res.cookies.find((c) => c.name === 'sid');
    if (!sid) throw new Error(`sign-in of ${username}: ${res.statusCode} ${res.body}`);
    cookies[username] = `sid=${sid.value}`;
  }
  const res = await server.app.inject({ method, url, headers: { cookie: cookies[username]! }, ...(payload ? { payload } : {}) });
  expect(res.statusCode < 300, `${username} ${method} ${url}: ${res.statusCode} ${res.body}`).toBe(true);
  return res.json();
}

const sql = <T>(query: string, ...params: unknown[]) => server.app.db.$client.prepare(query).all(...params) as T[];
const accountId = (username: string) => sql<{ id: number }>('select id from accounts where username = ?', username)[0]!.id;

const ITEMS = ['skill', 'innovation', 'mentoring', 'ethics', 'influence'];
/** A material-review sheet adding up to `total` (maxima 30, 25, 15, 15, 15). */
function reviewSheet(total: number) {
  const p = [Math.round(total * 0.3), Math.round(total * 0.25), Math.round(total * 0.15), Math.round(total * 0.15)];
  return ITEMS.map((itemId, i) => ({ itemId, points: i < 4 ? p[i]! : total - p.reduce((a, b) => a + b, 0) }));
}
const defenceSheet = (total: number) => [
  { itemId: 'presentation', points: Math.round(total * 0.4) },
  { itemId: 'answers', points: total - Math.round(total * 0.4) },
];

/** Beijing's date, `days` on. */
const beijingDay = (days = 0) => new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  viewerAccountId = accountId('viewer');
  const hefeiHr = sql<{ id: number }>("select id from organisations where name = '合肥市人力资源和社会保障局'")[0]!.id;

  const presets = (await as('hefei-organiser', 'GET', '/api/selections/presets')) as { key: string; review: object }[];
  const created = await as('hefei-organiser', 'POST', '/api/selections', {
    presetKey: 'hefei_craftsman',
    name: '合肥工匠评选（评审测试）',
    year: Number(beijingDay().slice(0, 4)),
    quota: 2,
    coOrganiserIds: [hefeiHr],
    nominationsOpen: beijingDay(),
    nominationsClose: beijingDay(30),
  });
  selectionId = created.id;
  await as('hefei-organiser', 'PUT', `/api/selections/${selectionId}/review-setup`, presets.find((p) => p.key === 'hefei_craftsman')!.review);
  await as('hefei-organiser', 'POST', `/api/selections/${selectionId}/open-nominations`);

  // Three workers of the city's subtree with an employer, holding no title, in no other selection.
  const workers = sql<{ id: number; name: string; employer_id: number }>(
    `select p.id, p.name, p.employer_id from people p join organisations o on o.id = p.org_id
     where o.path like (select path from organisations where name = '合肥市总工会') || '%' and p.employer_id is not null
       and not exists (select 1 from person_titles t where t.person_id = p.id)
       and not exists (select 1 from craftsman_candidates c where c.person_id = p.id)
     order by p.id limit 3`,
  );
  expect(workers).toHaveLength(3);
  const form = { position: '班组长', frontLine: true, yearsInTrade: 12, stillInTrade: true, skillConditions: ['unique_technique'], declaredNoDisciplinaryRecord: true };
  for (const [i, key] of (['A', 'B', 'C'] as const).entries()) {
    const w = workers[i]!;
    const c = await as('hefei-organiser', 'POST', `/api/selections/${selectionId}/candidates`, { source: 'unit_nomination', personId: w.id, nominatingOrgId: w.employer_id, form });
    expect(c.status).toBe('nominated');
    cand[key] = { id: c.id, name: w.name };
  }

  const seat = (body: object) => as('hefei-organiser', 'POST', `/api/selections/${selectionId}/reviewers`, body);
  await seat({ accountId: accountId('organiser'), body: 'union' });
  await seat({ accountId: accountId('hr'), body: 'hr_bureau' });
  await seat({ accountId: viewerAccountId, body: 'expert' });
  const expert = await seat({ expertName: '王教授', body: 'expert', employerName: '合肥工业大学' });
  await as('hefei-organiser', 'POST', `/api/selections/${selectionId}/start-review`);

  // Everyone but the expert on the page: B and C alike, A ahead.
  const totals = { A: { union: 90, hr: 85, paper: 88, defence: 90 }, B: { union: 80, hr: 78, paper: 82, defence: 85 }, C: { union: 80, hr: 78, paper: 82, defence: 85 } };
  for (const key of ['A', 'B', 'C'] as const) {
    const t = totals[key];
    await as('organiser', 'PUT', `/api/selections/${selectionId}/my-scores`, { candidateId: cand[key].id, items: reviewSheet(t.union) });
    await as('hr', 'PUT', `/api/selections/${selectionId}/my-scores`, { candidateId: cand[key].id, items: reviewSheet(t.hr) });
    await as('hefei-organiser', 'PUT', `/api/selection-reviewers/${expert.id}/scores`, { candidateId: cand[key].id, items: reviewSheet(t.paper) });
    await as('hefei-organiser', 'PUT', `/api/selection-reviewers/${expert.id}/scores`, { candidateId: cand[key].id, step: 'defence', items: defenceSheet(t.defence) });
  }
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.close();
});

describe('a reviewer scores on the tablet (/awards/selections/:id/review)', () => {
  let page: Page;
  const card = (key: 'A' | 'B' | 'C') => page.locator(`[data-testid="sheet-candidate"][data-candidate="${cand[key].id}"]`);
  const input = (key: 'A' | 'B' | 'C', item: string) => card(key).locator(`input[data-item="${item}"]`);
  const REVIEW = { skill: '26', innovation: '20', mentoring: '12', ethics: '13', influence: '12' };
  const DEFENCE = { presentation: '34', answers: '52.5' };

  it('lists the candidates with the sheet’s items and maxima, in both steps', async () => {
    page = await open('portrait');
    await signIn(page, 'viewer');
    await page.goto(`${server.base}/awards/selections/${selectionId}/review`);
    await card('A').waitFor();
    expect(await page.getByTestId('areas').locator('a[aria-current="page"]').textContent()).toBe('奖项与称号');
    expect(await page.getByTestId('sheet-who').textContent()).toContain('专家评审组');
    expect(await page.getByTestId('step-tab').allTextContents()).toEqual([expect.stringContaining('材料评审'), expect.stringContaining('现场答辩')]);
    expect(await page.getByTestId('sheet-candidate').count()).toBe(3);
    expect(await card('A').locator('label').allTextContents()).toEqual(['技能水平 满分 30', '创新成果 满分 25', '传帮带 满分 15', '职业道德 满分 15', '行业影响 满分 15']);
    expect(await input('A', 'skill').getAttribute('inputmode')).toBe('decimal');
    // Finger-sized inputs.
    const box = (await input('A', 'skill').boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    await capture(page, 'sheet');
  });

  it('declares a relation: the candidate leaves the sheet and one line says why', async () => {
    await card('A').getByTestId('declare').click();
    await page.getByTestId('declare-confirm').getByTestId('confirm').click();
    await page.getByTestId('aside').waitFor();
    expect(await page.getByTestId('aside').textContent()).toBe('另有 1 名候选人因回避未列出：您已申报利害关系 1 名。');
    expect(await page.getByTestId('sheet-candidate').count()).toBe(2);
    expect(await card('A').count()).toBe(0);
  });

  it('shows the server’s refusal next to the field, keeps the draft over a reload, and saves', async () => {
    for (const [item, v] of Object.entries(REVIEW)) await input('B', item).fill(item === 'skill' ? '31' : v);
    expect(await card('B').getByTestId('total').textContent()).toBe('合计 88 / 100');
    await card('B').getByTestId('save-sheet').click();
    const err = page.locator(`#err-pt-review-${cand.B.id}-skill`);
    await err.waitFor();
    expect(await err.textContent()).toBe('须在 0 至 30 分之间');
    expect(await input('B', 'skill').getAttribute('aria-invalid')).toBe('true');
    await capture(page, 'sheet-refusal', 'sheet-candidate');

    await input('B', 'skill').fill(REVIEW.skill);
    for (const [item, v] of Object.entries(REVIEW)) await input('C', item).fill(v);
    // Nothing saved yet: a reload (or a dropped connection) loses nothing.
    await page.reload();
    await card('C').waitFor();
    expect(await input('C', 'influence').inputValue()).toBe('12');
    expect(await input('B', 'skill').inputValue()).toBe('26');
    expect(await card('B').getAttribute('data-state')).toBe('dirty');
    expect(await card('B').getByTestId('total').textContent()).toBe('合计 83 / 100');

    for (const key of ['B', 'C'] as const) {
      await card(key).getByTestId('save-sheet').click();
      await expect.poll(() => card(key).getAttribute('data-state')).toBe('complete');
    }
    await page.getByTestId('step-tab').filter({ hasText: '现场答辩' }).click();
    await card('B').locator('input[data-item="answers"]').waitFor();
    expect(await card('B').locator('label').allTextContents()).toEqual(['事迹陈述 满分 40', '回答提问 满分 60']);
    for (const key of ['B', 'C'] as const) {
      for (const [item, v] of Object.entries(DEFENCE)) await input(key, item).fill(v);
      expect(await card(key).getByTestId('total').textContent()).toBe('合计 86.5 / 100');
      await card(key).getByTestId('save-sheet').click();
      await expect.poll(() => card(key).getAttribute('data-state')).toBe('complete');
    }
    expect(await page.getByTestId('step-tab').allTextContents()).toEqual([expect.stringContaining('已完成 2/2'), expect.stringContaining('已完成 2/2')]);
    await capture(page, 'sheet-saved');
    // Saved drafts are gone from storage.
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('sc.selReview.')))).toEqual([]);
  });
});

describe('a reviewer who may not read the selection opens their sheet', () => {
  it('shows the selection’s name, the panel and the way home from the sheet alone', async () => {
    // `hr` works at 肥西县人社局, under the co-organising city bureau: the selection is not theirs
    // to read, and the page asks for nothing but the sheet (a refused read would be a console error).
    const page = await open('landscape');
    await signIn(page, 'hr');
    await page.goto(`${server.base}/awards/selections/${selectionId}/review`);
    await page.getByTestId('sheet-candidate').first().waitFor();
    expect(await page.getByTestId('sheet-title').textContent()).toBe('评审打分：合肥工匠评选（评审测试）');
    expect(await page.getByTestId('sheet-about').textContent()).toBe('合肥市总工会组织的「合肥工匠」评选');
    expect(await page.getByTestId('sheet-who').textContent()).toBe('评审人：肥西县人社局职业能力建设科（人社部门评审组）');
    expect(await page.getByTestId('sheet-candidate').count()).toBe(3);
    expect(await page.getByTestId('sheet-back').getAttribute('href')).toBe('/');
    expect(await page.getByTestId('sheet-back').textContent()).toBe('返回首页');
    await capture(page, 'sheet-lower');
  });
});

describe('the organiser runs the ranking, the tie and the committee vote', () => {
  let page: Page;
  const row = (key: 'A' | 'B' | 'C') => page.locator(`[data-testid="rank-row"][data-candidate="${cand[key].id}"]`);

  it('shows the panel and the live ranking, with the tie at the quota line', async () => {
    page = await open('landscape');
    await signIn(page, 'hefei-organiser');
    await page.goto(`${server.base}/awards/selections/${selectionId}`);
    await page.getByTestId('ranking-table').waitFor();
    expect(await page.getByTestId('reviewer').count()).toBe(4);
    const expertRow = page.getByTestId('reviewer').filter({ hasText: '合肥市总工会查阅员' });
    expect(await expertRow.textContent()).toContain(`${cand.A.name}（申报利害关系）`);

    // Pick an account from those in reach, by name or organisation; those on the panel are offered but not choosable.
    const picker = page.getByTestId('rv-account');
    await picker.locator('input').fill('查阅员');
    expect(await picker.getByTestId('pick-option').filter({ hasText: '合肥市总工会查阅员' }).getAttribute('aria-disabled')).toBe('true');
    expect(await picker.getByTestId('pick-option').filter({ hasText: '合肥市总工会查阅员' }).textContent()).toContain('已在评审组');
    await picker.locator('input').fill('评审专家 供电');
    const option = picker.getByTestId('pick-option');
    await expect.poll(() => option.count()).toBe(1);
    expect(await option.textContent()).toContain('工会评审专家（国网肥西县供电公司）');
    expect(await option.textContent()).toContain('肥西县总工会 · 查看者');
    await capture(page, 'picker', 'add-reviewer');
    await option.click();
    expect(await picker.locator('input').inputValue()).toBe('工会评审专家（国网肥西县供电公司） · 肥西县总工会 · 查看者');
    await page.getByTestId('rv-body').selectOption('union');
    await page.getByTestId('add-reviewer-submit').click();
    await expect.poll(() => page.getByTestId('reviewer').count()).toBe(5);
    expect(await picker.locator('input').inputValue()).toBe('');
    await page.getByTestId('reviewer').filter({ hasText: '工会评审专家（国网肥西县供电公司）' }).getByTestId('remove-reviewer').click();
    await page.getByTestId('review-confirm').getByTestId('confirm').click();
    await expect.poll(() => page.getByTestId('reviewer').count()).toBe(4);
    // Nothing chosen: said next to the picker, nothing sent.
    await page.getByTestId('add-reviewer-submit').click();
    expect(await picker.locator('[role="alert"]').textContent()).toBe('请选择账号');

    // Add an outside expert and take them off again (they have not scored).
    await page.getByTestId('rv-kind').selectOption('expert');
    await page.getByTestId('rv-expertName').fill('李高工');
    await page.getByTestId('rv-body').selectOption('expert');
    await page.getByTestId('add-reviewer-submit').click();
    await expect.poll(() => page.getByTestId('reviewer').count()).toBe(5);
    await page.getByTestId('reviewer').filter({ hasText: '李高工' }).getByTestId('remove-reviewer').click();
    await page.getByTestId('review-confirm').getByTestId('confirm').click();
    await expect.poll(() => page.getByTestId('reviewer').count()).toBe(4);

    expect(await row('A').getByTestId('rank').textContent()).toBe('1');
    for (const key of ['B', 'C'] as const) {
      expect(await row(key).getByTestId('rank').textContent()).toBe('并列 2');
      await row(key).getByTestId('tied').waitFor();
    }
    expect(await page.getByTestId('ranking-summary').textContent()).toContain('名额线上并列 2 人，由评审委员会决定 1 个名额。');
    await capture(page, 'ranking', 'ranking');
  });

  it('closes the review; publicity waits for the committee’s choice at the line, which is recorded', async () => {
    // While the review runs, publicity is not offered.
    expect(await page.getByTestId('next-step').isDisabled()).toBe(true);
    expect(await page.getByTestId('review-first').textContent()).toBe('评审结束、评审委员会表决通过后才能开始公示');

    await page.getByTestId('close-review').click();
    await page.getByTestId('review-confirm').getByTestId('confirm').click();
    await page.getByTestId('review-closed').waitFor();
    await page.getByTestId('tie-form').waitFor();
    // The server says why the list cannot go up yet.
    await page.getByTestId('next-step').click();
    await page.getByTestId('next-confirm').getByTestId('confirm').click();
    await expect.poll(() => page.locator('sc-selection-detail').getByTestId('error-banner').first().textContent()).toContain('名额线上有并列的候选人，须由评审委员会先行决定');

    // A reason is needed.
    await page.locator(`[data-testid="tie-pick"][data-candidate="${cand.C.id}"]`).check();
    await page.getByTestId('tie-submit').click();
    expect(await page.locator('#err-tie-reason').textContent()).toBe('请写明理由（至少 2 个字）');
    await page.getByTestId('tie-reason').fill('经评审委员会研究，该同志的创新成果已在全市推广应用');
    await capture(page, 'tie', 'tie-form');
    await page.getByTestId('tie-submit').click();
    await page.getByTestId('tie-decided').waitFor();
    expect(await page.getByTestId('tie-decided').textContent()).toContain(`评审委员会决定：${cand.C.name}`);
    await row('C').getByTestId('chosen').waitFor();
  });

  it('seats the committee from the accounts in reach and by name', async () => {
    await page.getByTestId('edit-members').click();
    const rows = page.getByTestId('member-row');
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByTestId('member-add-name').click();
    await page.getByTestId('member-add-name').click();
    await rows.nth(1).getByTestId('member-name').fill('张委员');
    await rows.nth(2).getByTestId('member-name').fill('李委员');
    // The account row is still empty: said in that row; the names stay as typed.
    await page.getByTestId('members-save').click();
    expect(await rows.nth(0).locator('[role="alert"]').textContent()).toBe('请选择账号');
    expect(await rows.nth(2).getByTestId('member-name').inputValue()).toBe('李委员');
    await capture(page, 'members-error', 'members-form');
    const picker = rows.nth(0).getByTestId('member-account');
    await picker.locator('input').fill('合肥市总工会 查阅');
    await picker.getByTestId('pick-option').filter({ hasText: '合肥市总工会查阅员' }).click();
    await capture(page, 'members-form', 'members-form');
    await page.getByTestId('members-save').click();
    await expect.poll(() => page.getByTestId('member').count()).toBe(3);
    expect(await page.getByTestId('committee').textContent()).toContain('赞成票超过全体委员半数方为通过');
    expect(await page.getByTestId('member').first().textContent()).toContain('合肥市总工会查阅员');
    expect(await page.getByTestId('vote-round').count()).toBe(0);
  });

  it('a list voted down goes back to the panel with the reason (退回重评); the committee votes again in round 2', async () => {
    for (const name of ['张委员', '李委员']) {
      await page.getByTestId('member').filter({ hasText: name }).getByTestId('vote-against').click();
      await page.getByTestId('review-confirm').getByTestId('confirm').click();
      await expect.poll(() => page.getByTestId('member').filter({ hasText: name }).getByTestId('ballot').textContent()).toBe('反对');
    }
    // Absolute majority of 3: 2 against leave at most 1 for: the list cannot pass any more.
    expect(await page.getByTestId('tally').textContent()).toContain('赞成 0，反对 2，弃权 0，未投 1；按过半数需赞成 2 票。');
    expect(await page.getByTestId('tally-result').textContent()).toBe('表决未通过');
    await page.getByTestId('reopen-open').click();
    await page.getByTestId('reopen-submit').click();
    expect(await page.locator('#err-reopen-reason').textContent()).toBe('请写明退回理由（至少 2 个字）');
    const reason = '两名委员认为候选人事迹材料核实不充分，退回评审组重新核对评分';
    await page.getByTestId('reopen-reason').fill(reason);
    await capture(page, 'reopen', 'reopen');
    await page.getByTestId('reopen-submit').click();
    await page.getByTestId('review-confirm').getByTestId('confirm').click();

    await page.getByTestId('vote-round').waitFor();
    expect(await page.getByTestId('vote-round').textContent()).toBe('第2轮表决');
    await page.getByTestId('reopened').waitFor();
    const earlier = page.getByTestId('earlier-round');
    expect(await earlier.count()).toBe(1);
    expect(await earlier.textContent()).toContain('第1轮');
    expect(await earlier.textContent()).toContain('赞成 0，反对 2，弃权 0，未投 1');
    expect(await earlier.getByTestId('earlier-result').textContent()).toBe('表决未通过');
    expect(await earlier.getByTestId('earlier-reason').textContent()).toBe(`退回重评理由：${reason}`);
    // The review is open again: the ballots of the new round are empty, the review can be closed again.
    expect(await page.getByTestId('member').getByTestId('ballot').allTextContents()).toEqual(['未投票', '未投票', '未投票']);
    await page.getByTestId('close-review').waitFor();
    expect(await page.getByTestId('reopen').count()).toBe(0);
    await capture(page, 'revote', 'committee');

    // Closed again, the same tie at the line, decided again.
    await page.getByTestId('close-review').click();
    await page.getByTestId('review-confirm').getByTestId('confirm').click();
    await page.getByTestId('tie-form').waitFor();
    await page.locator(`[data-testid="tie-pick"][data-candidate="${cand.C.id}"]`).check();
    await page.getByTestId('tie-reason').fill('经评审委员会再次研究，该同志的创新成果已在全市推广应用');
    await page.getByTestId('tie-submit').click();
    await page.getByTestId('tie-decided').waitFor();
  });

  it('records a paper ballot in round 2; publicity waits for the vote', async () => {
    await page.getByTestId('member').filter({ hasText: '张委员' }).getByTestId('vote-for').click();
    await page.getByTestId('review-confirm').getByTestId('confirm').click();
    await expect.poll(() => page.getByTestId('member').filter({ hasText: '张委员' }).getByTestId('ballot').textContent()).toBe('赞成');
    expect(await page.getByTestId('tally').textContent()).toContain('赞成 1，反对 0，弃权 0，未投 2；按过半数需赞成 2 票。');
    expect(await page.getByTestId('tally-result').textContent()).toBe('尚未通过');

    await page.getByTestId('next-step').click();
    await page.getByTestId('next-confirm').getByTestId('confirm').click();
    await expect.poll(() => page.locator('sc-selection-detail').getByTestId('error-banner').first().textContent()).toContain('评审委员会表决未通过');
    await capture(page, 'committee', 'committee');
  });

  it('lets a member vote for themselves on the page', async () => {
    const member = await open('portrait');
    await signIn(member, 'viewer');
    await member.goto(`${server.base}/awards/selections/${selectionId}`);
    const own = member.getByTestId('member').filter({ hasText: '本人' });
    await own.waitFor();
    // A member who is not an organiser records no one else's ballot.
    expect(await member.getByTestId('member').filter({ hasText: '李委员' }).getByTestId('vote-for').count()).toBe(0);
    await own.getByTestId('vote-for').scrollIntoViewIfNeeded();
    await capture(member, 'vote-member', 'committee');
    await own.getByTestId('vote-for').click();
    await member.getByTestId('review-confirm').getByTestId('confirm').click();
    await expect.poll(() => own.getByTestId('ballot').textContent()).toBe('赞成');
    expect(await member.getByTestId('tally-result').textContent()).toBe('表决通过');
  });

  it('shows the tally passed, and the publicity starts', async () => {
    await page.reload();
    await page.getByTestId('tally').waitFor();
    expect(await page.getByTestId('tally').textContent()).toContain('赞成 2，反对 0，弃权 0，未投 1');
    expect(await page.getByTestId('tally-result').textContent()).toBe('表决通过');
    await capture(page, 'tally', 'tally');

    // In English every string is translated (no message keys show) and the page still fits.
    await page.getByTestId('lang').click();
    await expect.poll(() => page.getByTestId('tally-result').textContent()).toBe('Passed');
    const text = await page.locator('sc-selection-detail').evaluate((el) => `${el.shadowRoot!.textContent}${el.shadowRoot!.querySelector('sc-sel-review')!.shadowRoot!.textContent}`);
    expect(text).not.toMatch(/\bsel\.[a-z]/);
    await capture(page, 'tally-en', 'ranking');
    await page.getByTestId('lang').click();

    await page.getByTestId('next-step').click();
    await page.getByTestId('next-confirm').getByTestId('confirm').click();
    await page.getByTestId('notice').waitFor();
    expect(await page.getByTestId('status').textContent()).toBe('公示中');
    const listed = (await as('hefei-organiser', 'GET', `/api/public/selections/${selectionId}`)) as { list: { candidateId: number }[] };
    expect(listed.list.map((r) => r.candidateId)).toEqual([cand.A.id, cand.C.id]);
  });

  it('had no page or console errors', () => {
    expect(problems).toEqual([]);
  });
});
