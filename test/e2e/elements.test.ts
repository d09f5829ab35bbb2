import { and, eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { competitions, events, roundEntries } from '../../db/schema.ts';
import { DEMO_PASSWORD } from '../../db/seed.ts';
import { schemeSchema, type SchemeInput } from '../../server/contracts/scheme.ts';
import { makeEntry, makeEvent, makeJudge } from '../helpers/factories.ts';
import type { TestApp } from '../helpers/test-app.ts';
import { horizontalOverflow, launchBrowser, screenshot, startServer, type E2eServer } from './helpers/browser.ts';

/**
 * Elements on the chief judge's console (issue 13): entering base values (typed, or picked from
 * the grade table's base values) and declaring an element void, against the demo data with one
 * event added to the running Feixi competition whose scheme scores by element.
 */

const scheme: SchemeInput = {
  totaling: 'raw',
  tieBreaks: [],
  gradeTables: [
    {
      id: 'sov',
      name: 'SOV',
      grades: [-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5],
      rows: [
        { baseValue: 0.6, points: [-0.3, -0.24, -0.18, -0.12, -0.06, 0, 0.06, 0.12, 0.18, 0.24, 0.3] },
        { baseValue: 0.45, points: [-0.23, -0.18, -0.14, -0.09, -0.05, 0, 0.05, 0.09, 0.14, 0.18, 0.23] },
      ],
    },
  ],
  parts: [
    {
      id: 'tes',
      name: '技术动作',
      role: 'practical',
      weight: 0,
      max: 100,
      marking: 'rubric',
      aggregateBy: 'element',
      usesBaseValues: true,
      aggregation: { kind: 'mean' },
      expectedMarks: 1,
      criteria: [
        { id: 'e1', name: '跳跃', min: -5, max: 5, step: 1, gradeTable: 'sov' },
        { id: 'e2', name: '旋转', min: -5, max: 5, step: 1 },
        { id: 'e3', name: '步法', min: -5, max: 5, step: 1 },
      ],
    },
    { id: 'ded', name: '扣分', role: 'other', weight: 0, max: 10, marking: 'objective', kind: 'penalty' },
  ],
};

let server: E2eServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let eventId: number;
const entryOf = new Map<number, number>();
const stored = (n: number) =>
  server.app.db.select().from(roundEntries).where(eq(roundEntries.entryId, entryOf.get(n)!)).get()!;

async function post(path: string, body: unknown, cookie?: string) {
  const res = await fetch(`${server.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) });
  return { status: res.status, cookie: res.headers.get('set-cookie')?.split(';')[0] ?? null, body: await res.text() };
}

/** The judge HXJUDGE1 signed in on a landscape tablet of their own (a fresh context, closed afterwards). */
async function onJudgeTablet(use: (jp: Page) => Promise<void>): Promise<void> {
  const judgeCtx = await browser.newContext({ viewport: { width: 1280, height: 800 }, hasTouch: true, locale: 'zh-CN' });
  try {
    const jp = await judgeCtx.newPage();
    await jp.goto(`${server.base}/judge?code=HXJUDGE1`);
    await use(jp);
  } finally {
    await judgeCtx.close();
  }
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const app = server.app as TestApp;
  const feixi = app.db.select().from(competitions).where(and(eq(competitions.status, 'running'))).all().find((c) => c.name.endsWith('肥西县职工职业技能大赛'))!;
  const event = makeEvent(app, { competitionId: feixi.id, name: '花样滑冰（示例）', scheme: schemeSchema.parse(scheme) });
  eventId = event.id;
  for (const n of [1, 2, 3, 4]) entryOf.set(n, makeEntry(app, event, { drawnNumber: n, status: 'checked_in' }).id);
  makeJudge(app, event.id, { role: 'chief', code: 'HXCHIEF1' });
  makeJudge(app, event.id, { role: 'judge', code: 'HXJUDGE1' });
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, hasTouch: true, locale: 'zh-CN' });
  page = await context.newPage();
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

describe('elements on the chief judge’s console', () => {
  it('enters base values by drawn number: picked from the grade table, or typed', async () => {
    await page.goto(`${server.base}/chief?code=HXCHIEF1&tab=elements`);
    await page.getByTestId('tab-elements').waitFor();
    expect(await page.getByTestId('tab-elements').getAttribute('aria-selected')).toBe('true');
    await page.getByTestId('elements-tes').waitFor();
    // The element with a grade table offers its base values only; the others take typing.
    await page.getByTestId('base-1:tes:e1').selectOption('0.45');
    await page.getByTestId('base-1:tes:e2').fill('3.3');
    await page.getByTestId('base-1:tes:e3').fill('2.105');
    await page.getByTestId('save-base').click();
    // Three decimals are refused in the cell, nothing is sent.
    await page.locator('[data-testid="cell-1:tes:e3"] .field-error').waitFor();
    expect(stored(1).baseValues).toEqual({});
    await page.getByTestId('base-1:tes:e3').fill('2.1');
    await page.getByTestId('save-base').click();
    await page.getByTestId('elements-notice').filter({ hasText: '已保存 3 个基础分' }).waitFor();
    expect(stored(1).baseValues).toEqual({ tes: { e1: 0.45, e2: 3.3, e3: 2.1 } });
  });

  it('shows the element scores as judges mark, grades converted by the table', async () => {
    const login = await post('/api/auth/judge-login', { code: 'HXJUDGE1' });
    const cookie = login.cookie!;
    let k = 0;
    const mark = (number: number, criterionId: string, value: number) =>
      post('/api/marks', { marks: [{ idempotencyKey: `e2e-el-${++k}-xyz`, eventId, number, partId: 'tes', criterionId, value }] }, cookie);
    expect((await mark(1, 'e1', 2)).status).toBe(200);
    expect((await mark(1, 'e2', -1)).status).toBe(200);
    expect((await mark(2, 'e2', 1)).status).toBe(200);
    await page.getByRole('button', { name: '刷新' }).first().click();
    // +2 on the 0.45 row is 0.09: 0.45 + 0.09 = 0.54.
    await page.locator('[data-testid="cell-1:tes:e1"] .figure').filter({ hasText: '0.54' }).waitFor();
    await page.locator('[data-testid="cell-1:tes:e2"] .figure').filter({ hasText: '2.3' }).waitFor();
  });

  it('declares an element void with a reason: it shows as void and is stored', async () => {
    await page.getByTestId('void-2:tes:e3').click();
    await page.getByTestId('void-reason').waitFor();
    // A reason is required.
    await page.getByTestId('void-confirm').click();
    await page.locator('.dialog .field-error').filter({ hasText: '请填写原因' }).waitFor();
    await page.getByTestId('void-reason').fill('超出规定动作数');
    expect(await page.locator('.dialog .field-error').count()).toBe(0);
    await screenshot(page, 'elements-void-dialog-1280x800');
    await page.getByTestId('void-confirm').click();
    await page.getByTestId('elements-notice').filter({ hasText: '2号 步法 已判为无效' }).waitFor();
    await page.locator('[data-testid="cell-2:tes:e3"] .pill.void').waitFor();
    expect(stored(2).voids).toEqual({ tes: { e3: '超出规定动作数' } });
    expect(await page.getByTestId('void-2:tes:e3').textContent()).toContain('撤销无效');
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'elements-chief-1280x800');
  });

  it('shows the judge the void element struck through: not typed, not waited for', async () => {
    await onJudgeTablet(async (jp) => {
      await jp.locator('sc-contestant-list [data-number="2"]').click();
      await jp.locator('sc-marking-sheet [data-testid="value"]').waitFor();
      const voided = jp.locator('sc-marking-sheet [data-testid="void-element"]');
      expect(await voided.count()).toBe(1);
      expect(await voided.getAttribute('data-criterion')).toBe('e3');
      expect(await voided.innerText()).toContain('总裁判长已宣布无效');
      // Element 2 is stored already (marked above); element 1 is the only one left to type, not the void one.
      expect(await jp.locator('sc-marking-sheet button.item').evaluateAll((els) => els.map((el) => el.getAttribute('data-criterion')))).toEqual(['e1']);
      await screenshot(jp, 'elements-judge-void-1280x800');
      // One value completes the sheet: it goes to review and can be sent, not waiting for the void element.
      for (const key of ['1', 'enter']) await jp.locator(`sc-num-keypad [data-key="${key}"]`).click();
      await jp.locator('sc-marking-sheet [data-testid="submit"]').waitFor();
    });
  });

  it('strikes through an element the chief judge declares void while the judge’s sheet is open', { timeout: 60_000 }, async () => {
    await onJudgeTablet(async (jp) => {
      await jp.locator('sc-contestant-list [data-number="3"]').click();
      await jp.locator('sc-marking-sheet [data-testid="value"]').waitFor();
      expect(await jp.locator('sc-marking-sheet [data-testid="void-element"]').count()).toBe(0);
      // The judge types element 1, then the chief rules element 2 void from the console.
      for (const key of ['2', 'enter']) await jp.locator(`sc-num-keypad [data-key="${key}"]`).click();
      const chief = await post('/api/auth/judge-login', { code: 'HXCHIEF1' });
      const ruled = await post(`/api/events/${eventId}/voids`, { number: 3, partId: 'tes', criterionId: 'e2', void: true, reason: '动作未完成' }, chief.cookie!);
      expect(ruled.status, ruled.body).toBe(200);
      // Without leaving the sheet, within one refresh: struck through, no longer to type, what was typed kept.
      const voided = jp.locator('sc-marking-sheet [data-testid="void-element"]');
      await expect.poll(() => voided.count(), { timeout: 25_000 }).toBe(1);
      expect(await voided.getAttribute('data-criterion')).toBe('e2');
      expect(await jp.locator('sc-marking-sheet button.item').evaluateAll((els) => els.map((el) => el.getAttribute('data-criterion')))).toEqual(['e1', 'e3']);
      expect(await jp.locator('sc-marking-sheet button.item[data-criterion="e1"]').innerText()).toContain('2');
    });
  });

  it('gives the judge a ± key for grades below zero and refuses one below the minimum', async () => {
    await onJudgeTablet(async (jp) => {
      await jp.locator('sc-contestant-list [data-number="3"]').click();
      await jp.locator('sc-marking-sheet [data-testid="value"]').waitFor();
      // Element 1 of No. 3: grade −2 with the keypad's ± key.
      await jp.locator('sc-num-keypad [data-key="minus"]').click();
      await jp.locator('sc-num-keypad [data-key="2"]').click();
      expect((await jp.locator('sc-marking-sheet [data-testid="value"]').innerText()).trim()).toMatch(/^-2/);
      // Grades are no score out of a maximum: the sheet says the range, and adds up no total.
      expect(await jp.locator('sc-marking-sheet [data-key="tes/e1"] .sub').innerText()).toBe('等级 -5 至 5');
      expect(await jp.locator('sc-marking-sheet [data-testid="part-total-tes"]').innerText()).toBe('按等级评分，得分由系统换算');
      expect(await jp.locator('sc-marking-sheet [data-testid="grand-total"]').count()).toBe(0);
      await screenshot(jp, 'elements-judge-grade-1280x800');
      // −6 is refused on the spot, below the minimum.
      await jp.locator('sc-num-keypad [data-key="enter"]').click();
      await jp.locator('sc-num-keypad [data-key="minus"]').click();
      await jp.locator('sc-num-keypad [data-key="6"]').click();
      await expect.poll(() => jp.locator('sc-marking-sheet [data-testid="reason"]').innerText()).toContain('不能低于 -5 分');
    });
  });

  it('shows the organiser the base values without the void buttons', async () => {
    const login = await fetch(`${server.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'organiser', password: DEMO_PASSWORD }),
    });
    const [name, value] = login.headers.get('set-cookie')!.split(';')[0]!.split('=') as [string, string];
    const orgCtx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    try {
      await orgCtx.addCookies([{ name, value, url: server.base }]);
      const op = await orgCtx.newPage();
      const competitionId = server.app.db.select({ c: events.competitionId }).from(events).where(eq(events.id, eventId)).get()!.c;
      await op.goto(`${server.base}/org/competitions/${competitionId}/events/${eventId}/elements`);
      await op.getByTestId('elements-tes').waitFor();
      expect(await op.locator('sc-element-grid [data-testid^="void-"]').count()).toBe(0);
      expect(await op.getByTestId('base-1:tes:e2').inputValue()).toBe('3.3');
      expect(await horizontalOverflow(op)).toBe(0);
      await screenshot(op, 'elements-organiser-1280x800');
      // The scheme form keeps the element options it has no fields for, and offers a tie-break by part.
      await op.goto(`${server.base}/org/competitions/${competitionId}/events/${eventId}/edit`);
      await op.locator('[data-testid="scheme-extras"]').waitFor();
      await op.locator('[data-tie-break="part:tes"]').scrollIntoViewIfNeeded();
      expect(await op.locator('[data-tie-break="part:tes"]').innerText()).toContain('“技术动作”成绩高者优先');
      await screenshot(op, 'elements-scheme-form-1280x800');
      // Its paper sheets give each element's grade range and print no total line to add up.
      await op.goto(`${server.base}/print/event/${eventId}/sheets`);
      const sheet = op.getByTestId('marking-sheet').first();
      await sheet.waitFor();
      expect(await sheet.locator('tr[data-criterion="e1"]').innerText()).toContain('-5 ～ 5');
      expect(await sheet.locator('tfoot tr').count()).toBe(0);
    } finally {
      await orgCtx.close();
    }
  });

  it('fits a portrait tablet (800 × 1280) and switches to English', async () => {
    await page.setViewportSize({ width: 800, height: 1280 });
    await page.reload();
    await page.getByTestId('elements-tes').waitFor();
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'elements-chief-800x1280');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Element base values and void elements' }).waitFor();
    expect(await page.locator('[data-testid="cell-2:tes:e3"] .pill.void').textContent()).toBe('Void');
    await screenshot(page, 'elements-chief-800x1280-en');
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
