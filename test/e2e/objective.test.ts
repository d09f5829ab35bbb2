import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events } from '../../db/schema.ts';
import { DEMO_PASSWORD } from '../../db/seed.ts';
import type { ObjectiveGrid } from '../../server/contracts/objective.ts';
import { makeJudge } from '../helpers/factories.ts';
import { horizontalOverflow, launchBrowser, newPage, screenshot, startServer, type E2eServer } from './helpers/browser.ts';

/**
 * The theory grid (客观分录入) against the demo data: 无人机驾驶, chief judge WRJCP001. Theory
 * results are in for every present contestant (number 5 is absent); completion times for the
 * first eight numbers only.
 */
let server: E2eServer;
let browser: Browser;
let chief: { context: BrowserContext; page: Page };
let droneId: number;
let competitionId: number;
let chiefCookie: string;

async function fetchJson<T>(path: string, init: RequestInit & { cookie?: string } = {}): Promise<{ status: number; body: T; cookie: string | null }> {
  const res = await fetch(`${server.base}${path}`, {
    ...init,
    headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.cookie ? { cookie: init.cookie } : {}), ...(init.headers ?? {}) },
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, cookie: res.headers.get('set-cookie')?.split(';')[0] ?? null };
}

const apiGrid = async () => (await fetchJson<ObjectiveGrid>(`/api/events/${droneId}/objective-grid`, { cookie: chiefCookie })).body;
const cell = (page: Page, number: number, field: string) => page.getByTestId(`cell-${number}-${field}`);
/** The data-testid of the element that has focus, looking into shadow roots. */
const focused = (page: Page) =>
  page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el?.getAttribute('data-testid') ?? null;
  });
const text = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent())?.trim();

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const drone = server.app.db.select().from(events).where(eq(events.name, '无人机驾驶')).get()!;
  droneId = drone.id;
  competitionId = drone.competitionId;
  const login = await fetchJson('/api/auth/judge-login', { method: 'POST', body: JSON.stringify({ code: 'WRJCP001' }) });
  chiefCookie = login.cookie!;
  chief = await newPage(browser, 'landscape');
});
afterAll(async () => {
  await chief?.context.close();
  await browser?.close();
  await server?.close();
});

describe('the theory grid in the chief judge’s console', () => {
  it('shows every number with theory score and time, times not entered marked as needed for ties only', async () => {
    const { page } = chief;
    await page.goto(`${server.base}/chief?code=WRJCP001&tab=scores`);
    await page.getByTestId('objective-grid').waitFor();
    const g = await apiGrid();
    // Every theory score is in; the times of numbers 9–12 are not, and only break ties: nothing missing.
    expect(g.counts.missing).toBe(0);
    expect(await text(page, 'missing-count')).toBe('0');
    expect(await page.locator('td.missing').count()).toBe(0);
    expect(await text(page, 'optional-empty-count')).toBe('4');
    expect(await cell(page, 9, 'completionTime').evaluate((el) => el.parentElement!.classList.contains('optional-empty'))).toBe(true);
    expect(await cell(page, 9, 'completionTime').getAttribute('placeholder')).toBe('未录（仅并列时用）');
    // Numbers only: the chief judge sees no names.
    expect(await page.locator('td.name').count()).toBe(0);
    // The absent contestant's cells take no typing.
    expect(await cell(page, 5, 'theory').isDisabled()).toBe(true);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'objective-grid-landscape');
  });

  it('moves like a spreadsheet: Enter goes down, Tab goes right and on to the next row, arrows move', async () => {
    const { page } = chief;
    await cell(page, 9, 'completionTime').click();
    await page.keyboard.type('12:34');
    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe('cell-10-completionTime');
    await page.keyboard.type('700');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('cell-11-theory');
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toBe('cell-12-theory');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await focused(page)).toBe('cell-10-theory');
    expect(await text(page, 'unsaved-count')).toBe('2');
    expect(await text(page, 'optional-empty-count')).toBe('2');
    expect(await cell(page, 9, 'completionTime').evaluate((el) => el.parentElement!.classList.contains('unsaved'))).toBe(true);
  });

  it('updates the row’s objective subtotal as a score is typed, and flags a value out of range', async () => {
    const { page } = chief;
    const g = await apiGrid();
    const weight = g.columns.find((c) => c.field === 'theory')!.weight!;
    await cell(page, 1, 'theory').click();
    await page.keyboard.type('95');
    expect(await text(page, 'total-1')).toBe(((95 * weight) / 100).toFixed(2));
    await cell(page, 2, 'theory').click();
    await page.keyboard.type('150');
    expect(await cell(page, 2, 'theory').evaluate((el) => el.parentElement!.classList.contains('invalid'))).toBe(true);
    // The cell says why, not only a tooltip a finger never sees.
    expect(await text(page, 'why-2-theory')).toMatch(/100/);
    await screenshot(page, 'objective-grid-invalid');
    await page.keyboard.press('Escape');
    expect(await cell(page, 2, 'theory').inputValue()).toBe(String(g.rows.find((r) => r.number === 2)!.cells[0]!.value));
    expect(await text(page, 'unsaved-count')).toBe('3');
  });

  it('keeps unsaved cells through a reload', async () => {
    const { page } = chief;
    await page.reload();
    await page.getByTestId('objective-grid').waitFor();
    expect(await cell(page, 9, 'completionTime').inputValue()).toBe('12:34');
    expect(await cell(page, 1, 'theory').inputValue()).toBe('95');
    expect(await text(page, 'unsaved-count')).toBe('3');
    // Nothing was stored meanwhile.
    const g = await apiGrid();
    expect(g.rows.find((r) => r.number === 9)!.cells[1]!.value).toBeNull();
  });

  it('fills a column pasted from Excel downwards', async () => {
    const { page } = chief;
    await cell(page, 11, 'completionTime').click();
    await cell(page, 11, 'completionTime').evaluate((el) => {
      const data = new DataTransfer();
      data.setData('text/plain', '610\r\n11:05\r\n');
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    expect(await cell(page, 11, 'completionTime').inputValue()).toBe('610');
    expect(await cell(page, 12, 'completionTime').inputValue()).toBe('11:05');
    expect(await text(page, 'missing-count')).toBe('0');
    expect(await page.getByTestId('optional-empty-count').count()).toBe(0);
    expect(await text(page, 'unsaved-count')).toBe('5');
  });

  it('asks for a reason when a value already entered changes, then saves everything at once', async () => {
    const { page } = chief;
    await page.getByTestId('objective-save').click();
    await page.getByTestId('objective-notice').filter({ hasText: '原因' }).waitFor();
    await page.getByTestId('objective-reason').fill('阅卷复核，第1题漏判');
    await screenshot(page, 'objective-grid-unsaved');
    await page.getByTestId('objective-save').click();
    await page.getByTestId('objective-notice').filter({ hasText: '已保存 5 格' }).waitFor();
    expect(await text(page, 'unsaved-count')).toBe('0');
    const g = await apiGrid();
    const value = (n: number, i: number) => g.rows.find((r) => r.number === n)!.cells[i]!.value;
    expect([value(1, 0), value(9, 1), value(10, 1), value(11, 1), value(12, 1)]).toEqual([95, 754, 700, 610, 665]);
    expect(g.counts.missing).toBe(0);
    const ranking = (await fetchJson<{ rows: { number: number; parts: { partId: string; score: number | null }[] }[] }>(`/api/public/events/${droneId}/ranking`)).body;
    expect(ranking.rows.find((r) => r.number === 1)!.parts.find((p) => p.partId === 'theory')!.score).toBe(95);
  });

  it('shows a cell’s history with who changed it and why', async () => {
    const { page } = chief;
    await cell(page, 1, 'theory').click();
    await page.getByTestId('cell-history').click();
    await page.getByTestId('history-version').nth(1).waitFor();
    const rows = await page.getByTestId('history-version').allTextContents();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('文件导入');
    expect(rows[1]).toContain('95');
    expect(rows[1]).toContain('阅卷复核，第1题漏判');
  });

  it('imports the exam system’s file: a dry-run report row by row, then the corrected file at once', async () => {
    const { page } = chief;
    await page.getByTestId('objective-import-toggle').click();
    const csv = (rows: string[][]) => Buffer.from('\uFEFF' + rows.map((r) => r.join(',')).join('\r\n') + '\r\n', 'utf8');
    await page.getByTestId('objective-file').setInputFiles({
      name: '理论成绩.csv',
      mimeType: 'text/csv',
      buffer: csv([
        ['检录号', '成绩'],
        ['2', '88'],
        ['3', '89.5'],
        ['99', '70'],
      ]),
    });
    await page.getByTestId('objective-report').waitFor();
    expect(await text(page, 'objective-bad-rows')).toBe('1');
    expect(await page.locator('sc-objective-import tr.bad').textContent()).toContain('没有这个检录号');
    expect(await page.getByTestId('objective-import-go').count()).toBe(0);
    await screenshot(page, 'objective-import-report');

    await page.getByTestId('objective-file').setInputFiles({
      name: '理论成绩（改）.csv',
      mimeType: 'text/csv',
      buffer: csv([
        ['检录号', '成绩'],
        ['2', '88'],
        ['3', '89.5'],
      ]),
    });
    await page.getByTestId('objective-import-reason').waitFor();
    expect(await page.getByTestId('objective-import-go').isDisabled()).toBe(true);
    await page.getByTestId('objective-import-reason').fill('考试系统成绩复核后重新导出');
    await page.getByTestId('objective-import-go').click();
    await page.getByTestId('objective-import-done').waitFor();
    await expect.poll(() => cell(page, 2, 'theory').inputValue()).toBe('88');
    expect(await cell(page, 3, 'theory').inputValue()).toBe('89.5');
  });

  it('fits a portrait tablet', async () => {
    const { context, page } = await newPage(browser, 'portrait');
    await page.goto(`${server.base}/chief?code=WRJCP001&tab=scores`);
    await page.getByTestId('objective-grid').waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'objective-grid-portrait');
    await context.close();
  });
});

describe('the same grid for organisers', () => {
  it('is a tab of the event, with names', async () => {
    const { context, page } = await newPage(browser, 'landscape');
    const login = await fetchJson('/api/auth/login', { method: 'POST', body: JSON.stringify({ username: 'organiser', password: DEMO_PASSWORD }) });
    const [name, value] = login.cookie!.split('=');
    await context.addCookies([{ name: name!, value: value!, url: server.base }]);
    await page.goto(`${server.base}/org/competitions/${competitionId}/events/${droneId}/scores`);
    await page.getByTestId('objective-grid').waitFor();
    expect(await page.locator('td.name').count()).toBe(12);
    expect(await cell(page, 1, 'theory').inputValue()).toBe('95');
    await screenshot(page, 'objective-grid-organiser');
    await context.close();
  });
});

describe('double entry by two scorers', () => {
  it('lets each scorer type a value blind; the value counts once both agree', async () => {
    // The chief clears number 12's theory score (typed against the wrong number) and turns double entry on.
    const cleared = await fetchJson(`/api/events/${droneId}/objective-values`, {
      method: 'POST',
      cookie: chiefCookie,
      body: JSON.stringify({ reason: '录错检录号', cells: [{ idempotencyKey: 'e2e-clear-12-theory', number: 12, field: 'theory', value: null }] }),
    });
    expect(cleared.status).toBe(200);
    const { page } = chief;
    await page.goto(`${server.base}/chief?code=WRJCP001&tab=scores`);
    await page.getByTestId('double-entry').check();
    await expect.poll(async () => (await apiGrid()).doubleEntry).toBe(true);

    // Two scorers on the panel, with codes (set up directly: issuing codes has tests of its own).
    const codes = ['OBJSCOA1', 'OBJSCOB1'];
    codes.forEach((code, i) => makeJudge(server.app, droneId, { name: `成绩录入员${'甲乙'[i]}`, role: 'scorer', code }));

    // One tablet shared by the two scorers, each signing in with their own code.
    const tablet = await newPage(browser, 'portrait');
    const enter = async (code: string, value: string) => {
      const p = tablet.page;
      await p.goto(`${server.base}/scorer?code=${code}`);
      await p.getByTestId('objective-open').click();
      await p.getByTestId('objective-grid').waitFor();
      // Blind: cells the chief or an import filled take no typing; number 12 waits for this scorer.
      expect(await cell(p, 1, 'theory').isDisabled()).toBe(true);
      expect(await cell(p, 12, 'theory').inputValue()).toBe('');
      await cell(p, 12, 'theory').fill(value);
      await p.getByTestId('objective-save').click();
      await p.getByTestId('objective-notice').filter({ hasText: '已提交 1 格' }).waitFor();
      return p;
    };
    const first = await enter(codes[0]!, '78');
    expect(await cell(first, 12, 'theory').isDisabled()).toBe(true);
    expect(await first.locator('td[data-state="waiting"]').count()).toBe(1);
    await screenshot(first, 'objective-grid-scorer');
    expect((await apiGrid()).rows.find((r) => r.number === 12)!.cells[0]!.value).toBeNull();

    const second = await enter(codes[1]!, '78');
    expect(await second.locator('td[data-state="matched"]').count()).toBe(1);
    await tablet.context.close();
    const row = (await apiGrid()).rows.find((r) => r.number === 12)!;
    expect(row.cells[0]).toMatchObject({ value: 78, source: 'double_entry', double: { state: 'matched', entries: 2 } });
  });
});
