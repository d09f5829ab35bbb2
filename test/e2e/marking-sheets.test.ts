import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { and, eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entries, events, judgeAssignments, judges, paperEntries, people } from '../../db/schema.ts';
import { DEMO_PASSWORD } from '../../db/seed.ts';
import type { MarkingSheets } from '../../server/contracts/marking-sheets.ts';
import { makeJudge } from '../helpers/factories.ts';
import { horizontalOverflow, launchBrowser, newPage, pdfPages, SCREENS_DIR, screenshot, startServer, type E2eServer } from './helpers/browser.ts';
import { readQrCode } from './helpers/qr-decode.ts';

/**
 * Printed marking sheets against the demo data (无人机驾驶: chief WRJCP001, judges WRJ00001…5
 * seated on flight and mission, WRJ00005 standing aside from No. 12, No. 5 absent): the chief
 * judge prints them, one A4 page each, and a scorer's tablet scanning a sheet's QR code opens
 * the double-entry form for exactly that sheet.
 */
let server: E2eServer;
let browser: Browser;
let droneId: number;
let fireId: number;
let judge2: { id: number; name: string };
let fireJudgeId: number;
const SCORER_CODE = 'SHEETSC1';

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const db = server.app.db;
  droneId = db.select().from(events).where(eq(events.name, '无人机驾驶')).get()!.id;
  fireId = db.select().from(events).where(eq(events.name, '消防救援')).get()!.id;
  const droneJudges = db
    .select({ id: judges.id, name: judges.name })
    .from(judgeAssignments)
    .innerJoin(judges, eq(judges.id, judgeAssignments.judgeId))
    .where(and(eq(judgeAssignments.eventId, droneId), eq(judgeAssignments.role, 'judge')))
    .orderBy(judges.id)
    .all();
  judge2 = droneJudges[1]!;
  fireJudgeId = db
    .select({ id: judges.id })
    .from(judgeAssignments)
    .innerJoin(judges, eq(judges.id, judgeAssignments.judgeId))
    .where(and(eq(judgeAssignments.eventId, fireId), eq(judgeAssignments.role, 'judge')))
    .all()
    .find((j) => !droneJudges.some((d) => d.id === j.id))!.id;
  // A scorer of the drone event with a sign-in code (the console's issuing is tested elsewhere).
  makeJudge(server.app, droneId, { name: '记分员丁', role: 'scorer', code: SCORER_CODE });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The entrants' names and ID numbers of the drone event: none may appear on a sheet. */
function entrantIdentities(): string[] {
  return server.app.db
    .select({ name: people.name, idNumber: people.idNumber })
    .from(entries)
    .innerJoin(people, eq(people.id, entries.personId))
    .where(eq(entries.eventId, droneId))
    .all()
    .flatMap((p) => [p.name, p.idNumber]);
}

describe('paper marking sheets', () => {
  let sheetUrl = '';

  it('are linked from the chief judge’s console and the organiser’s scores tab', async () => {
    const { context, page } = await newPage(browser, 'landscape');
    await page.goto(`${server.base}/chief?code=WRJCP001`);
    await page.getByTestId('tab-paper').click();
    const all = page.locator('sc-chief-paper').getByTestId('print-sheets');
    await all.waitFor();
    expect(await all.getAttribute('href')).toBe(`/print/event/${droneId}/sheets`);
    expect(await all.getAttribute('target')).toBe('_blank');
    await screenshot(page, 'sheets-chief-paper-link');
    await page.getByTestId('tab-codes').click();
    const one = page.getByTestId(`print-sheets-${judge2.id}`);
    await one.waitFor();
    expect(await one.getAttribute('href')).toBe(`/print/event/${droneId}/sheets?judge=${judge2.id}`);
    await context.close();

    const org = await newPage(browser, 'desktop');
    await org.page.goto(`${server.base}/login`);
    await org.page.locator('#u').fill('organiser');
    await org.page.locator('#p').fill(DEMO_PASSWORD);
    await org.page.getByRole('button', { name: '登录' }).last().click();
    await org.page.waitForURL(`${server.base}/org`);
    const competitionId = server.app.db.select().from(events).where(eq(events.id, droneId)).get()!.competitionId;
    await org.page.goto(`${server.base}/org/competitions/${competitionId}/events/${droneId}/scores`);
    const link = org.page.getByTestId('print-sheets');
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`/print/event/${droneId}/sheets`);
    await org.context.close();
  });

  it('prints every sheet of a round as one job, one A4 page each, numbers only, with a QR code naming the sheet', async () => {
    const { context, page } = await newPage(browser, 'desktop');
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.base}/chief?code=WRJCP001`);
    await page.getByTestId('tab-grid').waitFor();
    await page.goto(`${server.base}/print/event/${droneId}/sheets`);
    await page.getByTestId('sheets').waitFor();
    const data = await page.evaluate(async (id) => (await fetch(`/api/events/${id}/marking-sheets`)).json() as Promise<MarkingSheets>, droneId);
    // 11 numbers taking part (No. 5 absent) × 5 judges × 2 tasks, less WRJ00005 on No. 12 for each task.
    expect(data.sheets).toHaveLength(11 * 5 * 2 - 2);
    expect(data.recused.map((r) => r.number)).toEqual([12, 12]);
    const sheets = page.getByTestId('marking-sheet');
    expect(await sheets.count()).toBe(data.sheets.length);
    // The QR codes are drawn with progress; printing waits for them.
    const progress = page.getByTestId('qr-progress');
    await expect.poll(() => progress.getAttribute('data-done'), { timeout: 30_000 }).toBe(String(data.sheets.length));
    expect(await page.getByTestId('print').isEnabled()).toBe(true);
    expect(await page.locator('[data-testid="sheet-qr"]').count()).toBe(data.sheets.length);
    expect(await page.getByTestId('sheets-recused').innerText()).toContain('12号');
    await screenshot(page, 'sheets-screen');

    // Judges see numbers only: no entrant's name or ID number anywhere on the sheets.
    const text = await page.getByTestId('sheets').innerText();
    for (const identity of entrantIdentities()) expect(text).not.toContain(identity);

    const first = sheets.first();
    const firstText = await first.innerText();
    for (const word of ['无人机驾驶', '评分表', '检录号', '裁判员签字', '签字时间', '合计（满分 100）', '席位', '1号裁判']) expect(firstText).toContain(word);
    expect(await first.locator('tbody tr').count()).toBe(4);

    // Printed: one portrait A4 page per sheet, nothing cut off at the page edge.
    await page.emulateMedia({ media: 'print' });
    const clipped = await sheets.evaluateAll((els) =>
      els.filter((el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1).map((el) => el.getAttribute('data-number')),
    );
    expect(clipped).toEqual([]);
    await first.screenshot({ path: resolve(SCREENS_DIR, 'sheets-print-first.png') });
    const deduction = sheets.filter({ has: page.locator('[data-criterion="ms_report"]') }).first();
    await deduction.screenshot({ path: resolve(SCREENS_DIR, 'sheets-print-mission.png') });
    await page.emulateMedia({ media: 'screen' });
    expect(await pdfPages(page)).toEqual({ pages: data.sheets.length, portrait: true });
    await page.emulateMedia({ media: 'print' });
    writeFileSync(resolve(SCREENS_DIR, 'marking-sheets.pdf'), await page.pdf({ preferCSSPageSize: true }));
    await page.emulateMedia({ media: 'screen' });

    // One judge's sheets: the choice stays in the address.
    await page.getByTestId('sheets-judge').selectOption(String(judge2.id));
    await expect.poll(() => sheets.count()).toBe(11 * 2);
    expect(new URL(page.url()).searchParams.get('judge')).toBe(String(judge2.id));
    await page.getByTestId('sheets-part').selectOption('mission');
    await expect.poll(() => sheets.count()).toBe(11);

    // The QR code of judge 2's mission sheet for No. 10 carries the address in its data attribute, and decodes to it.
    const sheet = page.locator(`[data-testid="marking-sheet"][data-judge="${judge2.id}"][data-number="10"][data-part="mission"]`);
    const qr = sheet.getByTestId('sheet-qr');
    await qr.waitFor();
    sheetUrl = (await sheet.getAttribute('data-url'))!;
    const round = data.round.id;
    expect(sheetUrl).toBe(`${server.base}/scorer?event=${droneId}&round=${round}&judge=${judge2.id}&number=10&part=mission`);
    expect(await qr.getAttribute('data-url')).toBe(sheetUrl);
    expect(await readQrCode(page, qr)).toBe(sheetUrl);
    expect(await sheet.getByTestId('sheet-judge').innerText()).toContain(judge2.name);
    expect(await sheet.getByTestId('sheet-number').innerText()).toBe('10');
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);

  it('opens the scanned sheet on the scorer’s tablet with judge, number and task preselected, and records the entry', async () => {
    expect(sheetUrl).not.toBe('');
    const { context, page } = await newPage(browser, 'portrait');
    await page.goto(sheetUrl);
    // Not signed in yet: the page says which sheet waits, and keeps it through the sign-in.
    await page.getByTestId('scan-sign-in').waitFor();
    expect(await page.getByTestId('scan-sign-in').innerText()).toContain('10 号');
    await page.locator('input[name="code"]').fill(SCORER_CODE);
    await page.locator('.signin button[type="submit"]').click();
    const opened = page.getByTestId('opened-sheet');
    await opened.waitFor();
    expect(await opened.getAttribute('data-judge')).toBe(String(judge2.id));
    expect(await opened.getAttribute('data-number')).toBe('10');
    expect(await opened.getAttribute('data-part')).toBe('mission');
    expect(await opened.innerText()).toContain(judge2.name);
    expect(await opened.innerText()).toContain('航拍巡检任务与数据处理');
    // Only the mission criteria: the flight task has a sheet of its own.
    expect(await page.locator('[data-testid^="value-"]').count()).toBe(3);
    expect(await page.getByTestId('value-fl_figure8').count()).toBe(0);
    const inputs = page.locator('[data-testid^="value-"]');
    for (const box of await inputs.all()) expect((await box.boundingBox())!.height).toBeGreaterThanOrEqual(48);
    await screenshot(page, 'sheets-scorer-opened-portrait');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    await page.getByTestId('value-ms_planning').fill('26');
    await page.getByTestId('value-ms_imagery').fill('35.5');
    await page.getByTestId('value-ms_report').fill('24');
    await page.getByTestId('submit-sheet').click();
    await page.locator('[data-testid="sheet-state"][data-state="waiting"]').waitFor();
    await screenshot(page, 'sheets-scorer-waiting-portrait');
    const entry = server.app.db.select().from(entries).where(and(eq(entries.eventId, droneId), eq(entries.drawnNumber, 10))).get()!;
    const stored = server.app.db.select().from(paperEntries).where(and(eq(paperEntries.judgeId, judge2.id), eq(paperEntries.entryId, entry.id))).all();
    expect(stored.map((r) => [r.partId, r.criterionId, r.value]).sort()).toEqual([
      ['mission', 'ms_imagery', 35.5],
      ['mission', 'ms_planning', 26],
      ['mission', 'ms_report', 24],
    ]);
    // Done with it: the next sheet starts from the chooser, and the address no longer names the sheet.
    await page.getByTestId('next-sheet').click();
    expect(new URL(page.url()).search).toBe('');

    // Scanning it again shows where this scorer's entry stands, not a second form.
    await page.goto(sheetUrl);
    await page.locator('[data-testid="sheet-state"][data-state="waiting"]').waitFor();
    expect(await page.getByTestId('submit-sheet').count()).toBe(0);
    await context.close();
  });

  it('says clearly when a scanned sheet is wrong or foreign, and opens nothing in its place', async () => {
    const { context, page } = await newPage(browser, 'landscape');
    await page.goto(`${server.base}/scorer?code=${SCORER_CODE}`);
    await page.getByTestId(`judge-${judge2.id}`).waitFor();
    const cases: [string, string][] = [
      [`event=${fireId}&judge=${fireJudgeId}&number=1&part=rescue`, '另一个赛项'],
      [`event=${droneId}&judge=${fireJudgeId}&number=1&part=mission`, '不在本赛项的裁判组中'],
      [`event=${droneId}&judge=${judge2.id}&number=99&part=mission`, '没有检录号 99'],
      [`event=${droneId}&judge=${judge2.id}&number=1&part=theory`, '由工作人员录入'],
      [`event=${droneId}&judge=abc&number=1`, '二维码内容不完整或有误'],
    ];
    for (const [query, words] of cases) {
      await page.goto(`${server.base}/scorer?${query}`);
      const refused = page.getByTestId('sheet-refused');
      await refused.waitFor();
      expect(await refused.innerText(), query).toContain(words);
      expect(await page.getByTestId('opened-sheet').count(), query).toBe(0);
      expect(await page.locator('[data-testid^="value-"]').count(), query).toBe(0);
      expect(await page.locator('button[data-testid^="judge-"][aria-pressed="true"]').count(), query).toBe(0);
    }
    await screenshot(page, 'sheets-scorer-refused');
    // The recused pair: WRJ00005 and No. 12.
    const recused = server.app.db
      .select({ id: judges.id })
      .from(judges)
      .innerJoin(judgeAssignments, eq(judgeAssignments.judgeId, judges.id))
      .where(and(eq(judgeAssignments.eventId, droneId), eq(judgeAssignments.role, 'judge')))
      .orderBy(judges.id)
      .all()[4]!.id;
    await page.goto(`${server.base}/scorer?event=${droneId}&judge=${recused}&number=12&part=flight`);
    await page.getByTestId('sheet-refused').waitFor();
    expect(await page.getByTestId('sheet-refused').innerText()).toContain('回避');
    await context.close();
  });
});
