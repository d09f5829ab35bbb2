import { and, asc, eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appeals, auditLog, awardProposals, competitions, entries, events, marks, personTitles, prizes, rounds, titleRules } from '../../db/schema.ts';
import { PRIZE_RULE_PRESETS } from '../../server/contracts/awards.ts';
import { allocatePrizes } from '../../server/domain/awards/index.ts';
import { demoCompetitionName, horizontalOverflow, launchBrowser, newPage, screenshot, startServer, VIEWPORTS, type E2eServer } from './helpers/browser.ts';

let server: E2eServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
let weldingId: number;

/** Screenshots at 1024×768, 768×1024 and 1440×900 (awards-<name>-…) and fails on any sideways overflow. */
async function capture(p: Page, name: string) {
  for (const [size, viewport] of Object.entries({ landscape: VIEWPORTS.landscape, portrait: VIEWPORTS.portrait, desktop: VIEWPORTS.desktop })) {
    await p.setViewportSize(viewport);
    await p.waitForTimeout(150);
    await screenshot(p, `awards-${name}-${size}`);
    expect(await horizontalOverflow(p), `${name} at ${size}`).toBeLessThanOrEqual(0);
    expect(await pastRightEdge(p), `${name} at ${size}`).toEqual([]);
  }
  await p.setViewportSize(VIEWPORTS.landscape);
}

/** Elements (shadow roots included) drawn past the right edge: base.css hides the body's own overflow. */
function pastRightEdge(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const out: string[] = [];
    const width = document.documentElement.clientWidth;
    const walk = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll<HTMLElement>('*')) {
        if (el.shadowRoot) walk(el.shadowRoot);
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.height > 0 && r.right > width + 0.5) out.push(`${el.tagName.toLowerCase()}.${el.className} right=${Math.round(r.right)}`);
      }
    };
    walk(document);
    return out.slice(0, 5);
  });
}

/** Visible buttons, selects and text inputs lower than 44 px. */
function smallTargets(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const out: string[] = [];
    const walk = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll<HTMLElement>('*')) {
        if (el.shadowRoot) walk(el.shadowRoot);
        const tag = el.tagName.toLowerCase();
        const interactive = tag === 'button' || tag === 'select' || (tag === 'input' && !['checkbox', 'radio', 'file', 'hidden'].includes((el as HTMLInputElement).type));
        const r = el.getBoundingClientRect();
        if (interactive && r.width > 0 && r.height > 0 && r.height < 43.5) out.push(`${tag} "${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 20)}" ${r.height}px`);
      }
    };
    walk(document);
    return out;
  });
}

async function signIn(p: Page, username: string) {
  await p.goto(`${server.base}/login`);
  await p.locator('#u').fill(username);
  await p.locator('#p').fill('Demo@2026!');
  await p.getByRole('button', { name: '登录' }).last().click();
  await p.waitForURL((u) => u.pathname !== '/login');
}

/** The welding event's final ranking as the server computes it. */
function ranking() {
  const last = server.app.db.select().from(rounds).where(eq(rounds.eventId, weldingId)).orderBy(asc(rounds.seq)).all().at(-1)!;
  return server.app.rankings.roundRows(weldingId, last.id);
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  ({ context, page } = await newPage(browser, 'landscape'));
  page.on('pageerror', (err) => pageErrors.push(err.message));
  const db = server.app.db;
  const welding = db.select().from(events).where(eq(events.name, '焊工')).get()!;
  weldingId = welding.id;
  // The demo's welding results are already final. Put them back in their publicity period, with
  // an appeal window still open, so the prize rule can change and an appeal can be heard.
  db.update(events).set({ finalAt: null, publicityEndsAt: new Date(Date.now() + 7 * 86_400_000) }).where(eq(events.id, weldingId)).run();
  db.update(competitions).set({ appealWindowHours: 24 * 365 * 10 }).where(eq(competitions.id, welding.competitionId)).run();
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

describe('publication, prizes and titles (/awards)', () => {
  it('shows the publicity period and the results check of the released welding event', async () => {
    await signIn(page, 'organiser');
    await page.goto(`${server.base}/`);
    await page.getByTestId('manage').getByRole('link', { name: '奖项与称号', exact: true }).click();
    await page.waitForURL(`${server.base}/awards`);
    await page.getByTestId('competition').selectOption({ label: `${demoCompetitionName(server, '肥西县焊工技能竞赛')}（B级）` });
    // One event: chosen at once, and kept in the address.
    await page.waitForURL((u) => u.searchParams.get('event') === String(weldingId));
    await page.getByTestId('publication').waitFor();
    expect(await page.getByTestId('publication').locator('.badge').first().textContent()).toBe('公示中');
    expect(await page.getByTestId('publicity-ends').textContent()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    await page.getByTestId('rechecks').waitFor();
    await capture(page, 'publication');
    expect(await smallTargets(page)).toEqual([]);
  });

  it('records an appeal and upholds it with a corrected mark, recomputing the ranking, all audited', async () => {
    const fifth = ranking().find((r) => r.rank === 5)!;
    const number = server.app.db.select().from(entries).where(eq(entries.id, fifth.entryId)).get()!.drawnNumber!;
    await page.getByTestId('lodge-open').click();
    const form = page.getByTestId('lodge-form');
    await form.locator('#ap-number').fill(String(number));
    await form.locator('#ap-by').fill('合肥上派建筑安装有限公司领队');
    await form.locator('#ap-reason').fill('安全文明生产一项的扣分与现场记录不符，请复核。');
    await form.getByRole('button', { name: '登记' }).click();
    await page.getByTestId('appeal').first().waitFor();
    expect(await page.getByTestId('appeal').first().textContent()).toContain('待裁定');

    const appeal = page.getByTestId('appeal').first();
    await appeal.getByRole('button', { name: '裁定' }).click();
    await appeal.getByLabel('申诉成立').check();
    await appeal.getByLabel('裁定意见').fill('经查现场记录，安全文明生产一项应更正。');
    const input = appeal.getByRole('textbox', { name: /更正为 .*安全文明生产/ }).first();
    await input.waitFor();
    const before = server.app.db.select().from(marks).where(eq(marks.criterionId, 'pl_safety')).all().length;
    const oldValue = Number(await input.evaluate((el) => el.closest('tr')!.querySelector('td.old')!.textContent));
    await input.fill(String(Math.max(0, oldValue - 1)));
    await capture(page, 'appeal-decision');
    await appeal.getByRole('button', { name: '提交裁定' }).click();
    // The status badge, not the whole card: the decision form's own radio is labelled 申诉成立 too.
    await expect.poll(async () => page.getByTestId('appeal').first().locator('.badge').textContent()).toBe('申诉成立');
    const stored = server.app.db.select().from(appeals).where(eq(appeals.eventId, weldingId)).get()!;
    expect(stored.status).toBe('upheld');
    expect(ranking().find((r) => r.entryId === fifth.entryId)!.total).toBeLessThan(fifth.total);
    // The correction is a new version of the mark, and both steps are in the audit log.
    expect(server.app.db.select().from(marks).where(eq(marks.criterionId, 'pl_safety')).all().length).toBe(before + 1);
    const actions = server.app.db.select({ action: auditLog.action }).from(auditLog).all().map((a) => a.action);
    expect(actions).toContain('appeal.lodge');
    expect(actions).toContain('appeal.upheld');
    expect(actions).toContain('mark.appeal_decision');

    // Prizes and titles wait for the publicity period; the organisers award at the ceremony,
    // with their reason on record.
    const gate = page.getByTestId('awards-gate');
    await expect.poll(() => gate.textContent()).toContain('公示期未结束');
    await page.getByTestId('override-open').click();
    const override = page.getByTestId('override-form');
    await override.locator('#ov-reason').fill('县总工会表彰大会在公示期内召开，经组委会研究提前颁奖');
    await capture(page, 'awards-override');
    await override.getByRole('button', { name: '记录理由并允许颁奖' }).click();
    await expect.poll(() => gate.textContent()).toContain('组委会已提前确认');
    expect(server.app.db.select({ action: auditLog.action }).from(auditLog).all().map((a) => a.action)).toContain('event.awards_override');
  });

  it('sets counts 1/2/3, previews them live on the ranking, saves and awards the prizes', async () => {
    await page.getByTestId('tab-prizes').click();
    await page.getByTestId('prize-rule').waitFor();
    await page.getByTestId('basis-count').click();
    for (const [i, n] of ['1', '2', '3'].entries()) await page.getByTestId(`tier-value-${i}`).fill(n);
    await page.getByRole('textbox', { name: '奖金（元/人） 一等奖' }).fill('3000');
    const expected = allocatePrizes(ranking(), { ...PRIZE_RULE_PRESETS.counts_1_2_3, ties: 'include' });
    await expect.poll(() => page.getByTestId('preview-table').locator('tbody tr').count()).toBe(expected.awards.length);
    expect(expected.awards.length).toBeGreaterThanOrEqual(6);
    expect(await page.getByTestId('preview-table').locator('tbody tr').first().textContent()).toContain('一等奖');
    expect(await page.getByTestId('prize-award').isDisabled()).toBe(true); // unsaved
    await capture(page, 'prizes-preview');
    expect(await smallTargets(page)).toEqual([]);

    await page.getByTestId('prize-save').click();
    await page.getByText('奖项设置已保存').waitFor();
    expect(server.app.db.select().from(events).where(eq(events.id, weldingId)).get()!.prizeRule).toMatchObject({ basis: 'count', tiers: [{ count: 1, moneyYuan: 3000 }, { count: 2 }, { count: 3 }] });
    await page.getByTestId('prize-award').click();
    await page.getByTestId('awarded-table').waitFor();
    const stored = server.app.db.select().from(prizes).where(eq(prizes.eventId, weldingId)).all();
    expect(stored).toHaveLength(expected.awards.length);
    expect(await page.getByTestId('awarded-table').locator('tbody tr').count()).toBe(stored.length);
    const link = await page.getByTestId('awarded-table').getByRole('link', { name: '获奖证书' }).first().getAttribute('href');
    expect(link).toMatch(/^\/award\/\d+$/);
    await capture(page, 'prizes-awarded');

    // Awarding again on the same results keeps every prize and its certificate number.
    expect(await page.getByTestId('prize-award').textContent()).toContain('按当前成绩重新颁奖');
    expect(await page.getByTestId('award-gate').textContent()).toContain('证书编号保持不变');
    await page.getByTestId('prize-award').click();
    await expect.poll(() => page.getByTestId('prize-notice').textContent()).toContain(`${stored.length} 个奖项及证书编号不变，0 个重新颁发`);
    expect(server.app.db.select().from(prizes).where(eq(prizes.eventId, weldingId)).all().map((p) => p.id)).toEqual(stored.map((p) => p.id));
  });

  it('installs the Feixi preset, switches it off and on, and lists its title types', async () => {
    await page.getByTestId('tab-rules').click();
    await page.getByTestId('install-feixi_b_level').click();
    await page.getByTestId('rules-notice').waitFor();
    const set = page.getByTestId('rule-set').filter({ hasText: '肥西县B级竞赛' });
    await set.waitFor();
    const toggle = set.getByRole('switch');
    expect(await toggle.isChecked()).toBe(true);
    await toggle.uncheck();
    await expect.poll(() => server.app.db.select().from(titleRules).get()?.active).toBe(false);
    await toggle.check();
    await expect.poll(() => server.app.db.select().from(titleRules).get()?.active).toBe(true);
    expect(await page.getByTestId('title-types').textContent()).toContain('肥西县技术能手');
    // A title type of the county's own, with its reward.
    const types = page.getByTestId('title-types');
    await types.getByText('添加称号类型').click();
    await types.locator('#ty-name').fill('肥西工匠');
    await types.locator('#ty-key').fill('Feixi craftsman');
    await types.getByRole('button', { name: '添加' }).click();
    expect(await types.locator('#err-ty-key').textContent()).toBe('只能用小写字母、数字和下划线');
    await types.locator('#ty-key').fill('feixi_craftsman');
    await types.locator('#ty-level').selectOption('county');
    await types.locator('#ty-bodies').fill('肥西县总工会、肥西县人力资源和社会保障局');
    await types.locator('#ty-reward').fill('50000');
    await types.getByRole('button', { name: '添加' }).click();
    await expect.poll(() => types.locator('tbody tr', { hasText: '肥西工匠' }).textContent()).toContain('50,000');
    await capture(page, 'rules');
    expect(await smallTargets(page)).toEqual([]);
  });

  let proposalId: number;
  let personId: number;

  it('generates proposals with their reasons and signs one for the union', async () => {
    await page.getByTestId('tab-proposals').click();
    await page.getByTestId('generate').click();
    await page.getByTestId('proposal-notice').waitFor();
    const rows = server.app.db.select().from(awardProposals).where(eq(awardProposals.eventId, weldingId)).all();
    expect(rows.length).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('proposal').count()).toBe(rows.length);
    const expert = page.getByTestId('proposal').filter({ hasText: '肥西县技术能手' }).first();
    expect(await expert.textContent()).toContain('肥西县B级竞赛前三名');
    proposalId = Number(await expert.getAttribute('data-id'));
    personId = server.app.db.select().from(awardProposals).where(eq(awardProposals.id, proposalId)).get()!.personId;
    await capture(page, 'proposals');
    await expert.getByTestId('sign').click();
    await expect.poll(() => expert.textContent()).toContain('✓ 工会');
    expect(await expert.getByTestId('proposal-status').textContent()).toBe('待签批');
    expect(server.app.db.select().from(awardProposals).where(eq(awardProposals.id, proposalId)).get()!.unionApprovedAt).not.toBeNull();

    // A recommendation the union turns down, with its reason.
    const recommendation = page.getByTestId('proposal').filter({ hasText: '合肥工匠' }).first();
    await recommendation.getByRole('button', { name: '驳回' }).click();
    await recommendation.getByRole('textbox', { name: '驳回理由' }).fill('本年度名额已满');
    await recommendation.getByRole('button', { name: '确认驳回' }).click();
    await expect.poll(() => recommendation.getByTestId('proposal-status').textContent()).toBe('已驳回');
    expect(await recommendation.getByTestId('reject-reason').textContent()).toBe('工会驳回：本年度名额已满');
  });

  it('lets the HR officer sign it too: the title is conferred and shows on the person’s record', async () => {
    const hr = await newPage(browser, 'landscape');
    hr.page.on('pageerror', (err) => pageErrors.push(err.message));
    await signIn(hr.page, 'hr');
    await hr.page.goto(`${server.base}/awards`);
    // The HR bureau runs no competitions: it lands on the proposals in its scope.
    await hr.page.getByTestId('proposals').waitFor();
    const mine = hr.page.locator(`[data-testid="proposal"][data-id="${proposalId}"]`);
    await mine.getByTestId('sign').click();
    await expect.poll(() => mine.getByTestId('proposal-status').textContent()).toBe('已批准');
    expect(server.app.db.select().from(personTitles).where(and(eq(personTitles.personId, personId))).all()).toHaveLength(1);
    await capture(hr.page, 'proposals-hr');

    await mine.getByRole('link').first().click();
    await hr.page.waitForURL(`${server.base}/people/${personId}`);
    await hr.page.getByTestId('titles').getByText('肥西县技术能手').waitFor();
    expect(await hr.page.getByTestId('titles').textContent()).toContain('县级');
    await hr.context.close();
    expect(pageErrors).toEqual([]);
  });
});
