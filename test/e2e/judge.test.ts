import { and, eq, inArray } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entries, events, judgeAssignments, judges, marks } from '../../db/schema.ts';
import { tokenHash } from '../../server/security.ts';
import { horizontalOverflow, launchBrowser, newPage, screenshot, startServer, type E2eServer } from './helpers/browser.ts';

/**
 * The judge's tablet end to end: the real app with the demo data, Debian's Chromium at tablet
 * sizes. Each test signs in with its own demo judge code so the tests do not share marks.
 */

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

const DRONE_VALUES = [12, 35.5, 26, 14, 27, 36.5, 25]; // flight: 4 criteria, mission: 3
const DRONE_CRITERIA = 7;

function eventId(name: string): number {
  return server.app.db.select().from(events).where(eq(events.name, name)).get()!.id;
}

/** What the database keeps of a demo judge's code (its keyed hash), to find that judge. */
function storedHashOf(code: string): string {
  return tokenHash(server.app.sessionSecret, code);
}

/** Stored mark rows (every version) of the judge with `code` for the given drawn numbers. */
function storedMarks(eventName: string, judgeIndex: number, numbers: number[]) {
  const ev = eventId(eventName);
  const judge = server.app.db
    .select({ id: judges.id })
    .from(judgeAssignments)
    .innerJoin(judges, eq(judges.id, judgeAssignments.judgeId))
    .where(and(eq(judgeAssignments.eventId, ev), eq(judgeAssignments.role, 'judge')))
    .all()
    .sort((a, b) => a.id - b.id)[judgeIndex]!;
  const entryIds = server.app.db
    .select({ id: entries.id })
    .from(entries)
    .where(and(eq(entries.eventId, ev), inArray(entries.drawnNumber, numbers)))
    .all()
    .map((e) => e.id);
  return server.app.db
    .select()
    .from(marks)
    .where(and(eq(marks.judgeId, judge.id), inArray(marks.entryId, entryIds)))
    .all();
}

const tile = (page: Page, n: number) => page.locator(`sc-contestant-list [data-number="${n}"]`);
const sheet = (page: Page, selector: string) => page.locator(`sc-marking-sheet ${selector}`);

async function signIn(page: Page, code: string): Promise<void> {
  await page.goto(`${server.base}/judge?code=${code}`);
  await page.locator('sc-contestant-list [data-number]').first().waitFor();
}

/**
 * Types each value on the physical keyboard and confirms it with Enter; the last Enter opens the
 * review. A value far from the judge's own marks asks 确认？ once: Enter again, as a judge would.
 */
async function typeSheet(page: Page, values: number[]): Promise<void> {
  await sheet(page, '[data-testid="value"]').waitFor();
  for (const v of values) {
    await page.keyboard.type(String(v));
    await page.keyboard.press('Enter');
    if ((await sheet(page, '.reason.soft').count()) > 0) await page.keyboard.press('Enter');
  }
  await sheet(page, '[data-testid="review"]').waitFor();
}

async function submitSheet(page: Page, number: number, values: number[]): Promise<void> {
  await tile(page, number).click();
  await typeSheet(page, values);
  await sheet(page, '[data-testid="sign-off"]').click();
  await sheet(page, '[data-testid="submit"]').click();
  // Back on the list once the sheet is safely in the outbox.
  await tile(page, number).waitFor();
}

describe('judge tablet', { timeout: 60_000 }, () => {
  it('signs in with a code, submits a full sheet and the venue screen updates', async () => {
    const drone = eventId('无人机驾驶');
    const screenCtx = await newPage(browser, 'landscape');
    await screenCtx.page.goto(`${server.base}/screen/event/${drone}`);
    const row9 = screenCtx.page.locator('sc-screen-page [data-key="r9"]');
    await row9.waitFor();
    const before = await row9.innerText();

    const { context, page } = await newPage(browser, 'landscape');
    await signIn(page, 'WRJ00003');
    // The code is a credential: it left the address bar.
    expect(page.url()).toBe(`${server.base}/judge`);
    await expect.poll(() => page.locator('sc-judge-page .ev').innerText()).toContain('无人机驾驶');
    // Only this judge's event: the drone event's 12 contestants; number 5 is absent and greyed.
    expect(await page.locator('sc-contestant-list [data-number]').count()).toBe(12);
    expect(await tile(page, 5).getAttribute('data-state')).toBe('absent');
    expect(await tile(page, 5).getAttribute('aria-disabled')).toBe('true');
    expect(await tile(page, 9).getAttribute('data-state')).toBe('not_started');
    const box = await tile(page, 9).boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(64);
    expect(box!.width).toBeGreaterThanOrEqual(64);

    // An absent contestant cannot be opened.
    await tile(page, 5).click({ force: true }); // aria-disabled: Playwright would wait for it to be enabled
    expect(await page.locator('sc-marking-sheet').count()).toBe(0);

    await tile(page, 9).click();
    // The first criteria with the on-screen keypad, the rest with the keyboard.
    await sheet(page, 'sc-num-keypad button[data-key="1"]').click();
    await sheet(page, 'sc-num-keypad button[data-key="2"]').click();
    await sheet(page, 'sc-num-keypad button[data-key="enter"]').click();
    await typeSheet(page, DRONE_VALUES.slice(1));
    expect(await sheet(page, '[data-testid="review-total"]').innerText()).toBe('176');
    await sheet(page, '[data-testid="sign-off"]').click();
  await sheet(page, '[data-testid="submit"]').click();

    await expect.poll(() => tile(page, 9).getAttribute('data-state'), { timeout: 10_000 }).toBe('submitted');
    expect(storedMarks('无人机驾驶', 2, [9])).toHaveLength(DRONE_CRITERIA);
    // The venue screen took the new marks without a reload.
    await expect.poll(() => row9.innerText(), { timeout: 10_000 }).not.toBe(before);
    await context.close();
    await screenCtx.context.close();
  });

  it('works offline: sheets queue up, the header says how many, and each mark is stored once when the network returns', async () => {
    const { context, page } = await newPage(browser, 'portrait');
    await signIn(page, 'WRJ00004');
    await expect.poll(() => page.getByTestId('net-status').innerText()).toContain('在线');
    // The tablet says when it can be reloaded without network (the service worker has the page);
    // going offline before that would make the reload below fail, as it would for a judge.
    await page.getByTestId('offline-ready').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('offline-ready').innerText()).toContain('断网可用');

    await context.setOffline(true);
    await expect.poll(() => page.getByTestId('net-status').innerText()).toContain('离线');
    for (const n of [10, 11, 12]) await submitSheet(page, n, DRONE_VALUES);

    const indicator = page.getByTestId('queue-indicator');
    await expect.poll(() => indicator.innerText()).toContain('3 份待发送');
    for (const n of [10, 11, 12]) expect(await tile(page, n).getAttribute('data-state')).toBe('queued');
    expect(storedMarks('无人机驾驶', 3, [10, 11, 12])).toHaveLength(0);
    await screenshot(page, 'judge-offline-portrait');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    // A reload while offline keeps the queue (IndexedDB) and the list (cached).
    await page.reload();
    await page.locator('sc-contestant-list [data-number]').first().waitFor();
    await expect.poll(() => page.getByTestId('queue-indicator').innerText()).toContain('3 份待发送');
    // The bar still shows the judge (and 退出) although the server could not be asked.
    await page.getByTestId('sign-out').waitFor();

    // Watch the three tiles while the queue drains: delivered sheets never flash back to 未评.
    await page.evaluate(() => {
      const w = window as unknown as { tileStates: string[] };
      w.tileStates = [];
      const deep = (root: Document | ShadowRoot): Element[] => [
        ...root.querySelectorAll('[data-number]'),
        ...[...root.querySelectorAll('*')].flatMap((el) => (el.shadowRoot ? deep(el.shadowRoot) : [])),
      ];
      setInterval(() => {
        for (const el of deep(document)) if (['10', '11', '12'].includes(el.getAttribute('data-number')!)) w.tileStates.push(el.getAttribute('data-state')!);
      }, 5);
    });
    await context.setOffline(false);
    await expect.poll(() => page.getByTestId('queue-indicator').count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('net-status').innerText()).toContain('在线');
    expect(await page.getByTestId('sign-out').count()).toBe(1);
    const rows = storedMarks('无人机驾驶', 3, [10, 11, 12]);
    expect(rows).toHaveLength(3 * DRONE_CRITERIA);
    expect(new Set(rows.map((r) => `${r.entryId}:${r.criterionId}`)).size).toBe(3 * DRONE_CRITERIA);
    for (const n of [10, 11, 12]) await expect.poll(() => tile(page, n).getAttribute('data-state')).toBe('submitted');
    const seen = await page.evaluate(() => (window as unknown as { tileStates: string[] }).tileStates);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).not.toContain('not_started');
    await context.close();
  });

  it('asks before signing out, says how many sheets still wait, and signs out offline onto the code page', async () => {
    const { context, page } = await newPage(browser, 'landscape');
    await signIn(page, 'WRJ00003');
    await page.getByTestId('offline-ready').waitFor({ timeout: 20_000 });
    await context.setOffline(true);
    await submitSheet(page, 10, DRONE_VALUES);
    await expect.poll(() => page.getByTestId('queue-indicator').innerText()).toContain('1 份待发送');

    await page.getByTestId('sign-out').click();
    const dialog = page.locator('sc-confirm[data-testid="sign-out-confirm"] dialog');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('确定退出登录？');
    expect(await page.getByTestId('confirm-warnings').innerText()).toContain('还有 1 份评分未发送');
    await screenshot(page, 'judge-sign-out-confirm-landscape');
    // Cancel keeps everything as it was.
    await page.locator('sc-confirm[data-testid="sign-out-confirm"] [data-testid="cancel"]').click();
    expect(await page.getByTestId('queue-indicator').innerText()).toContain('1 份待发送');

    // Offline, signing out lands on the code page at once, never on a page stuck loading.
    await page.getByTestId('sign-out').click();
    await page.locator('sc-confirm[data-testid="sign-out-confirm"] [data-testid="confirm"]').click();
    await page.waitForURL((u) => u.pathname === '/judge');
    await page.locator('sc-judge-page input').first().waitFor({ timeout: 10_000 });
    // The start page opens without network too (its files were kept when the app was installed).
    await page.goto(`${server.base}/`);
    await page.locator('sc-home-page').waitFor();
    expect(await page.getByTestId('load-failed').count()).toBe(0);
    await screenshot(page, 'home-offline-landscape');

    // Back online, the same judge signs in again and the waiting sheet goes.
    await context.setOffline(false);
    await signIn(page, 'WRJ00003');
    await expect.poll(() => page.getByTestId('queue-indicator').count(), { timeout: 20_000 }).toBe(0);
    expect(storedMarks('无人机驾驶', 2, [10])).toHaveLength(DRONE_CRITERIA);
    await context.close();
  });

  it('shows a judge the numbers they stand aside from before they start: those tiles do not open', async () => {
    const { context, page } = await newPage(browser, 'landscape');
    // WRJ00005 works for the same employer as contestant 12.
    await signIn(page, 'WRJ00005');
    const notice = page.getByTestId('recusal-notice');
    await notice.waitFor();
    expect(await notice.innerText()).toContain('12');
    expect(await notice.innerText()).toContain('回避');
    expect(await tile(page, 12).getAttribute('data-state')).toBe('recused');
    expect(await tile(page, 12).getAttribute('aria-disabled')).toBe('true');
    expect(await tile(page, 11).getAttribute('data-state')).toBe('not_started');
    await tile(page, 12).click({ force: true });
    expect(await page.locator('sc-marking-sheet').count()).toBe(0);
    await screenshot(page, 'judge-recusal-landscape');
    await context.close();
  });

  it('shows the server’s reason when a sheet is refused and keeps the draft', async () => {
    const { context, page } = await newPage(browser, 'landscape');
    await signIn(page, 'WRJ00005');
    // Submitted offline, the sheet for number 11 waits in the outbox …
    await context.setOffline(true);
    await submitSheet(page, 11, DRONE_VALUES);
    expect(await tile(page, 11).getAttribute('data-state')).toBe('queued');

    // While it waits, the sheet is shown read-only.
    await tile(page, 11).click();
    await sheet(page, '[data-testid="queued-banner"]').waitFor();
    expect(await sheet(page, 'sc-num-keypad').count()).toBe(0);
    expect(await sheet(page, '[data-criterion="fl_figure8"] .val').innerText()).toContain('35.5');

    // … meanwhile the contestant is withdrawn at the desk (absent): back online, the server refuses
    // the sheet; the reason appears on the open sheet, with the values.
    const drone = eventId('无人机驾驶');
    const entry11 = server.app.db.select().from(entries).where(and(eq(entries.eventId, drone), eq(entries.drawnNumber, 11))).get()!;
    server.app.db.update(entries).set({ status: 'absent' }).where(eq(entries.id, entry11.id)).run();
    try {
      await context.setOffline(false);
      await sheet(page, '[data-testid="refusal"]').waitFor({ timeout: 15_000 });
      expect(await sheet(page, '[data-testid="refusal-reason"]').innerText()).toContain('未检录');
      await expect.poll(() => page.getByTestId('toast').innerText()).toContain('11 号评分被退回');
      expect(await sheet(page, '[data-criterion="fl_figure8"] .val').innerText()).toContain('35.5');
      expect(await sheet(page, 'sc-num-keypad').count()).toBe(1);
      expect(storedMarks('无人机驾驶', 4, [11])).toHaveLength(0);
      // With the banner, the keypad and the buttons under it still fit on the screen.
      const nav = (await sheet(page, '.nav button').last().boundingBox())!;
      expect(nav.y + nav.height).toBeLessThanOrEqual(page.viewportSize()!.height);
      const key0 = (await sheet(page, 'sc-num-keypad button[data-key="0"]').boundingBox())!;
      expect(key0.height).toBeGreaterThanOrEqual(48);
      await screenshot(page, 'judge-refused-landscape');
    } finally {
      server.app.db.update(entries).set({ status: 'checked_in' }).where(eq(entries.id, entry11.id)).run();
    }

    // The list says so too (once it has re-read the contestant's status), and the draft is kept
    // when the sheet is closed and reopened.
    await sheet(page, '[data-testid="close-sheet"]').click();
    await expect.poll(() => tile(page, 11).getAttribute('data-state')).toBe('refused');
    await tile(page, 11).click();
    await sheet(page, '[data-testid="refusal"]').waitFor();

    // The judge discards the sheet.
    page.once('dialog', (d) => void d.accept());
    await sheet(page, '[data-testid="discard"]').click();
    await expect.poll(() => tile(page, 11).getAttribute('data-state')).toBe('not_started');
    await context.close();
  });

  it('says what the judge marks and switches between their panels: one code, two events', async () => {
    const { context, page } = await newPage(browser, 'landscape');
    // WRJ00004 sits on both drone panels and on the fire event's rescue panel.
    await signIn(page, 'WRJ00004');
    expect(await page.getByTestId('you-mark').innerText()).toContain('飞行操控（8字绕飞与定点悬停）、航拍巡检任务与数据处理');
    const switcher = page.getByTestId('panel-switch');
    expect(await switcher.locator('button').allInnerTexts()).toEqual([
      '无人机驾驶 · 全部',
      '无人机驾驶 · 飞行操控（8字绕飞与定点悬停）',
      '无人机驾驶 · 航拍巡检任务与数据处理',
      '消防救援 · 破拆救援综合操',
    ]);
    expect(await switcher.locator('button[aria-pressed="true"]').innerText()).toBe('无人机驾驶 · 全部');
    await screenshot(page, 'judge-panels-landscape');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    // The fire event: its 12 contestants, only the rescue part on the sheet.
    await switcher.getByRole('button', { name: '消防救援 · 破拆救援综合操' }).click();
    await expect.poll(() => page.locator('sc-judge-page .ev').innerText()).toContain('消防救援');
    await expect.poll(() => page.getByTestId('you-mark').innerText()).toContain('破拆救援综合操');
    expect(await page.getByTestId('you-mark').innerText()).not.toContain('个人防护装备');
    await tile(page, 10).click();
    await sheet(page, '[data-testid="value"]').waitFor();
    expect(await sheet(page, '[data-criterion]').count()).toBe(4);
    expect(await sheet(page, '[data-criterion="gr_dress"]').count()).toBe(0);
    await typeSheet(page, [15, 28, 25, 12]);
    await sheet(page, '[data-testid="sign-off"]').click();
  await sheet(page, '[data-testid="submit"]').click();
    await expect.poll(() => tile(page, 10).getAttribute('data-state'), { timeout: 10_000 }).toBe('submitted');
    const fire = eventId('消防救援');
    const judge = server.app.db.select({ id: judges.id }).from(judges).where(eq(judges.codeHash, storedHashOf('WRJ00004'))).get()!;
    const entry10 = server.app.db.select().from(entries).where(and(eq(entries.eventId, fire), eq(entries.drawnNumber, 10))).get()!;
    const rows = server.app.db.select().from(marks).where(and(eq(marks.judgeId, judge.id), eq(marks.entryId, entry10.id))).all();
    expect(rows.map((r) => `${r.partId}.${r.criterionId}`).sort()).toEqual(['rescue.rs_breach', 'rescue.rs_casualty', 'rescue.rs_team', 'rescue.rs_tools']);

    // Back to the drone event, flight only: the sheet asks for the four flight criteria.
    await page.getByTestId('panel-switch').getByRole('button', { name: '无人机驾驶 · 飞行操控（8字绕飞与定点悬停）' }).click();
    await expect.poll(() => page.locator('sc-judge-page .ev').innerText()).toContain('无人机驾驶');
    await tile(page, 9).click();
    await sheet(page, '[data-testid="value"]').waitFor();
    expect(await sheet(page, '[data-criterion]').count()).toBe(4);
    expect(await sheet(page, '[data-criterion="ms_planning"]').count()).toBe(0);
    await screenshot(page, 'judge-panel-flight-landscape');
    await context.close();
  });

  it('keeps a draft through a reload, next to the marks already stored', async () => {
    const { context, page } = await newPage(browser, 'landscape');
    // WRJ00001 has marked contestant 8's flight part, not the mission part.
    await signIn(page, 'WRJ00001');
    expect(await tile(page, 8).getAttribute('data-state')).toBe('partial');
    await tile(page, 8).click();
    await sheet(page, '[data-testid="value"]').waitFor();
    expect(await sheet(page, '.item.locked').count()).toBe(4);
    expect(await sheet(page, '.crit-name').innerText()).toBe('航线规划');
    await page.keyboard.type('25.5');
    await page.keyboard.press('Enter');
    await page.keyboard.type('3');
    await expect.poll(() => page.url()).toContain('?n=8');
    // The last keystroke's draft write must have committed before the "battery dies".
    await page.locator('sc-marking-sheet').evaluate((el) => (el as unknown as { saved: Promise<void> }).saved);

    await page.reload();
    await sheet(page, '[data-testid="restored"]').waitFor();
    expect(await sheet(page, '[data-criterion="ms_planning"] .val').innerText()).toContain('25.5');
    expect(await sheet(page, '.crit-name').innerText()).toBe('影像采集质量');
    expect(await sheet(page, '[data-testid="value-text"]').innerText()).toBe('3');

    // Back to the list: the contestant shows as partly marked; the draft is still there when reopened.
    await sheet(page, '[data-testid="close-sheet"]').click();
    await tile(page, 8).click();
    expect(await sheet(page, '[data-criterion="ms_planning"] .val').innerText()).toContain('25.5');
    await context.close();
  });

  it('shows the judge’s own marks read-only and sends a correction request', async () => {
    const { context, page } = await newPage(browser, 'landscape');
    await signIn(page, 'WRJ00002');
    expect(await tile(page, 1).getAttribute('data-state')).toBe('submitted');
    await tile(page, 1).click();
    await page.locator('sc-own-marks [data-mark]').first().waitFor();
    expect(await page.locator('sc-own-marks [data-mark]').count()).toBe(DRONE_CRITERIA);
    expect(await page.locator('sc-own-marks input').count()).toBe(0);

    const row = page.locator('sc-own-marks [data-criterion="fl_preflight"]');
    await row.getByTestId('request-correction').click();
    await page.locator('sc-own-marks input[name="newValue"]').fill('45');
    await page.locator('sc-own-marks textarea[name="reason"]').fill('复核录像后更正');
    await page.locator('sc-own-marks [data-testid="correction-submit"]').click();
    expect(await page.locator('sc-own-marks [data-testid="correction-value-error"]').innerText()).toBe('最高 15 分');
    const current = Number((await row.getByTestId('mark-value').innerText()).trim());
    await page.locator('sc-own-marks input[name="newValue"]').fill(current === 14 ? '13' : '14');
    await page.locator('sc-own-marks [data-testid="correction-submit"]').click();
    await expect.poll(() => row.innerText()).toContain('更正待审');
    await screenshot(page, 'judge-own-marks-landscape');

    await page.locator('sc-own-marks [data-testid="close-marks"]').click();
    await expect.poll(() => tile(page, 1).getAttribute('data-state')).toBe('correction_pending');
    await context.close();
  });

  it('asks for the code with the reason when it is wrong, or missing', async () => {
    const { context, page } = await newPage(browser, 'portrait');
    await page.goto(`${server.base}/judge?code=NOTACODE`);
    await expect.poll(() => page.getByTestId('sign-in-reason').innerText()).toContain('裁判码无效');
    expect(page.url()).toBe(`${server.base}/judge`);
    await screenshot(page, 'judge-sign-in-portrait');
    await page.locator('sc-judge-page input[name="code"]').fill('xfjy0002');
    await page.keyboard.press('Enter');
    await page.locator('sc-contestant-list [data-number]').first().waitFor();
    await expect.poll(() => page.locator('sc-judge-page .ev').innerText()).toContain('消防救援');

    // Already signed in: straight on, no code needed.
    await page.goto(`${server.base}/judge`);
    await page.locator('sc-contestant-list [data-number]').first().waitFor();
    await context.close();

    const fresh = await newPage(browser, 'portrait');
    await fresh.page.goto(`${server.base}/judge`);
    await expect.poll(() => fresh.page.getByTestId('sign-in-reason').innerText()).toContain('8 位裁判码');
    // A chief judge's code (the home page sends every code here) goes on to the chief judge's page.
    await fresh.page.locator('sc-judge-page input[name="code"]').fill('WRJCP001');
    await fresh.page.keyboard.press('Enter');
    await expect.poll(() => new URL(fresh.page.url()).pathname).toBe('/chief');
    await fresh.context.close();
  });

  for (const orientation of ['landscape', 'portrait'] as const) {
    it(`fits a 10-inch tablet in ${orientation}: list, sheet with deductions, review`, async () => {
      const { context, page } = await newPage(browser, orientation);
      // 30 contestants in the power event.
      await signIn(page, orientation === 'landscape' ? 'PDXL0003' : 'PDXL0004');
      expect(await page.locator('sc-contestant-list [data-number]').count()).toBe(30);
      await screenshot(page, `judge-list-${orientation}`);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await page.getByTestId('filter-todo').click();
      expect(await page.locator('sc-contestant-list [data-number]').count()).toBe(12);
      await context.close();

      // The fire event has a deduction part.
      const fire = await newPage(browser, orientation);
      await signIn(fire.page, orientation === 'landscape' ? 'XFJY0003' : 'XFJY0004');
      await tile(fire.page, 10).click();
      await sheet(fire.page, '[data-testid="value"]').waitFor();
      await fire.page.keyboard.type('2.5');
      await fire.page.keyboard.press('Enter');
      await fire.page.keyboard.type('4');
      await fire.page.keyboard.press('Enter');
      await fire.page.keyboard.type('9');
      await fire.page.keyboard.type('9'); // 操作程序不规范: 99 is over the 25 maximum, refused in place
      expect(await sheet(fire.page, '[data-testid="reason"]').innerText()).toBe('最多扣 25 分');
      expect(await sheet(fire.page, '.crit-part').innerText()).toContain('扣分项');
      await screenshot(fire.page, `judge-sheet-${orientation}`);
      expect(await horizontalOverflow(fire.page)).toBeLessThanOrEqual(0);
      // Every key of the keypad is a big target, and the keypad is in the lower part of the screen.
      const viewport = fire.page.viewportSize()!;
      for (const k of ['0', '5', 'enter', 'up']) {
        const b = (await sheet(fire.page, `sc-num-keypad button[data-key="${k}"]`).boundingBox())!;
        expect(b.height).toBeGreaterThanOrEqual(56);
        expect(b.width).toBeGreaterThanOrEqual(56);
        expect(b.y + b.height).toBeLessThanOrEqual(viewport.height);
        expect(b.y).toBeGreaterThan(viewport.height * 0.4);
      }
      // 99 stays in red and Enter is refused until it is fixed.
      await fire.page.keyboard.press('Enter');
      expect(await sheet(fire.page, '[data-testid="reason"]').innerText()).toBe('最多扣 25 分');
      await fire.page.keyboard.press('Backspace');
      expect(await sheet(fire.page, '[data-testid="reason"]').innerText()).toBe('');
      await fire.page.keyboard.press('Enter');
      if ((await sheet(fire.page, '.reason.soft').count()) > 0) await fire.page.keyboard.press('Enter');
      await typeSheet(fire.page, [0, 18, 30, 25, 13]);
      expect(await sheet(fire.page, '[data-testid="review-part-gear"]').innerText()).toBe('84.5 / 100');
      await screenshot(fire.page, `judge-review-${orientation}`);
      expect(await horizontalOverflow(fire.page)).toBeLessThanOrEqual(0);
      await fire.context.close();
    });
  }
});
