import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { and, eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { competitions, events } from '../../db/schema.ts';
import { competitionPackageSchema, verifyPackage } from '../../server/domain/package/index.ts';
import { demoCompetitionName, horizontalOverflow, launchBrowser, newPage, screenshot, startServer, type E2eServer } from './helpers/browser.ts';

/**
 * The spreadsheets people already use, in the browser: the organiser exports an event's marking
 * scheme, edits it in "Excel", imports it with the dry-run report shown before confirming (and a
 * workbook with a bad cell named by its cell); the public results page links the results .xlsx.
 * Screens at 1280×800 and 800×1280.
 */

let server: E2eServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
let competitionId: number;
let eventId: number;

const SIZES = [
  ['wide', { width: 1280, height: 800 }],
  ['tall', { width: 800, height: 1280 }],
] as const;

/** Screenshots at both sizes (spreadsheets-<name>-wide / -tall), failing on sideways scrolling; back to wide. */
async function capture(name: string, scrollTo?: string) {
  for (const [label, size] of SIZES) {
    await page.setViewportSize(size);
    await page.waitForTimeout(150);
    if (scrollTo) await page.getByTestId(scrollTo).scrollIntoViewIfNeeded();
    await screenshot(page, `spreadsheets-${name}-${label}`);
    expect(await horizontalOverflow(page), `${name} ${label}`).toBeLessThanOrEqual(0);
  }
  await page.setViewportSize(SIZES[0][1]);
}

async function load(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  return wb;
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  ({ context, page } = await newPage(browser, 'desktop'));
  await page.setViewportSize(SIZES[0][1]);
  page.on('pageerror', (err) => pageErrors.push(err.message));
  competitionId = server.app.db.select().from(competitions).where(eq(competitions.name, demoCompetitionName(server, '肥西县职工职业技能大赛'))).get()!.id;
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

describe('the marking scheme as an Excel workbook (organiser)', () => {
  it('exports the scheme of a new event from its scheme page', async () => {
    await page.goto(`${server.base}/login`);
    await page.locator('#u').fill('organiser');
    await page.locator('#p').fill('Demo@2026!');
    await page.getByRole('button', { name: '登录' }).last().click();
    await page.waitForURL((u) => u.pathname !== '/login');
    // An event with no marks yet, so its scheme may change.
    const created = await page.request.post(`${server.base}/api/competitions/${competitionId}/events`, {
      data: {
        name: '电工',
        occupationCode: '6-31-01-03',
        occupationName: '电工',
        minEntrants: 1,
        scheme: {
          parts: [
            { id: 'theory', name: '理论知识考试', role: 'theory', weight: 30, max: 100, marking: 'objective' },
            {
              id: 'wiring',
              name: '低压配电线路安装',
              role: 'practical',
              weight: 70,
              max: 100,
              marking: 'rubric',
              criteria: [
                { id: 'c1', name: '操作规范', max: 60 },
                { id: 'c2', name: '完成质量', max: 40 },
              ],
              expectedMarks: 5,
              minMarks: 3,
            },
          ],
        },
      },
    });
    expect(created.status()).toBe(201);
    eventId = ((await created.json()) as { id: number }).id;
    await page.goto(`${server.base}/org/competitions/${competitionId}/events/${eventId}/edit`);
    await page.getByTestId('scheme-xlsx').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('scheme-export').click()]);
    expect(download.suggestedFilename()).toBe('电工-评分细则.xlsx');
    const wb = await load(readFileSync((await download.path())!));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['部分', '评分项', '设置', '说明']);
    await capture('scheme-page', 'scheme-xlsx');
  });

  it('imports an edited workbook: the dry-run report first, nothing saved until confirmed', async () => {
    const exported = await page.request.get(`${server.base}/api/events/${eventId}/scheme.xlsx`);
    const wb = await load(Buffer.from(await exported.body()));
    const parts = wb.getWorksheet('部分')!;
    parts.getCell('D2').value = 20; // theory 30 → 20
    parts.getCell('D3').value = 80; // practical 70 → 80
    const criteria = wb.getWorksheet('评分项')!;
    criteria.getCell('D2').value = 50; // 操作规范 60 → 50
    criteria.addRow(['wiring', 'c3', '安全文明生产', 10, 0.5]);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    await page.getByTestId('scheme-file').setInputFiles({ name: '电工-评分细则.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file });
    await page.getByTestId('scheme-changes').waitFor();
    await expect.poll(() => page.getByTestId('scheme-progress').getByTestId('progress-value').textContent()).toBe('100 %');
    const report = await page.getByTestId('scheme-report').innerText();
    expect(report).toContain('检查结果（尚未保存）');
    expect(report).toContain('修改部分');
    expect(report).toContain('理论知识考试（theory）');
    expect(report).toContain('新增评分项');
    expect(report).toContain('安全文明生产（c3）');
    expect(report).toMatch(/权重：\s*30%\s*→\s*20%/);
    // Nothing stored by the check.
    const stored = () => server.app.db.select().from(events).where(eq(events.id, eventId)).get()!.scheme;
    expect(stored().parts.map((p) => p.weight)).toEqual([30, 70]);
    await capture('scheme-report', 'scheme-report');

    await page.getByTestId('scheme-import-go').click();
    await page.getByTestId('scheme-import-done').waitFor();
    expect(stored().parts.map((p) => p.weight)).toEqual([20, 80]);
    expect(stored().parts[1]!.criteria.map((c) => [c.id, c.max])).toEqual([
      ['c1', 50],
      ['c2', 40],
      ['c3', 10],
    ]);
    // The editor below shows the imported scheme, so saving the form keeps it.
    await expect.poll(() => page.getByTestId('weight-0').inputValue()).toBe('20');
    await capture('scheme-imported', 'scheme-report');
  });

  it('shows a workbook’s problems by cell and changes nothing', async () => {
    const exported = await page.request.get(`${server.base}/api/events/${eventId}/scheme.xlsx`);
    const wb = await load(Buffer.from(await exported.body()));
    wb.getWorksheet('评分项')!.getCell('D3').value = '四十';
    wb.getWorksheet('部分')!.getCell('G3').value = '去掉最高分';
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    await page.getByTestId('scheme-file').setInputFiles({ name: '有误.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file });
    await page.getByTestId('scheme-problems').waitFor();
    const rows = await page.getByTestId('scheme-problems').locator('tbody tr').allInnerTexts();
    expect(rows.join('\n')).toContain('评分项!D3');
    expect(rows.join('\n')).toContain('应为数字');
    expect(rows.join('\n')).toContain('部分!G3');
    expect(rows.join('\n')).toContain('无法识别，应为：平均、去最高最低取平均、中位数、去最高最低求和');
    expect(await page.getByTestId('scheme-import-go').count()).toBe(0);
    await capture('scheme-problems', 'scheme-report');
    expect(server.app.db.select().from(events).where(and(eq(events.id, eventId))).get()!.scheme.parts.map((p) => p.weight)).toEqual([20, 80]);
  });

  it('works on a round’s own scheme when a round is chosen', async () => {
    await page.getByTestId('scheme-target-1').click();
    const href = await page.getByTestId('scheme-export').getAttribute('href');
    expect(href).toMatch(new RegExp(`/api/events/${eventId}/scheme\\.xlsx\\?roundId=\\d+$`));
    expect(await page.getByTestId('scheme-xlsx').innerText()).toContain('导出、导入的是决赛的评分方案');
    expect((await page.request.get(`${server.base}${href}`)).status()).toBe(200);
    await capture('scheme-round', 'scheme-xlsx');
    // English on request.
    await page.getByTestId('lang').click();
    await page.getByText('Edit the marking scheme in Excel').waitFor();
    expect(await page.getByTestId('scheme-export').innerText()).toBe('Export the scheme (Excel)');
    await capture('scheme-round-en', 'scheme-xlsx');
    await page.getByTestId('lang').click();
    await page.getByText('用 Excel 编辑评分细则').waitFor();
    expect(pageErrors).toEqual([]);
  });
});

describe('the public results page', () => {
  it('links the results workbook of the competition and of each event', async () => {
    const welding = server.app.db.select().from(events).where(eq(events.name, '焊工')).get()!;
    const { context: visitor, page: p } = await newPage(browser, 'desktop');
    await p.setViewportSize(SIZES[0][1]);
    await p.goto(`${server.base}/results/${welding.competitionId}`);
    const all = p.getByTestId('results-xlsx');
    await all.waitFor();
    expect(await all.innerText()).toBe('下载全部成绩（Excel）');
    const [download] = await Promise.all([p.waitForEvent('download'), p.getByTestId('event-results-xlsx').first().click()]);
    expect(download.suggestedFilename()).toMatch(/焊工-成绩\.xlsx$/);
    const wb = await load(readFileSync((await download.path())!));
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('焊工');
    expect(String(ws.getCell(2, 1).value)).toBe('焊工成绩公示');
    const whole = await p.request.get(`${server.base}${await all.getAttribute('href')}`);
    expect(whole.status()).toBe(200);
    expect(whole.headers()['content-type']).toContain('spreadsheetml');
    // The verifiable package beside it: downloaded as the visitor gets it, it verifies from its marks alone.
    expect(await p.getByTestId('package-hint').innerText()).toContain('npm run verify');
    const [pkgDownload] = await Promise.all([p.waitForEvent('download'), p.getByTestId('results-package').click()]);
    expect(pkgDownload.suggestedFilename()).toBe(`competition-${welding.competitionId}.json`);
    const pkg = competitionPackageSchema.parse(JSON.parse(readFileSync((await pkgDownload.path())!, 'utf8')));
    expect(pkg.variant).toBe('public');
    expect(verifyPackage(pkg)).toMatchObject({ ok: true, verified: 1, total: 1 });
    for (const [label, size] of SIZES) {
      await p.setViewportSize(size);
      await p.waitForTimeout(150);
      await screenshot(p, `spreadsheets-results-${label}`);
      expect(await horizontalOverflow(p)).toBeLessThanOrEqual(0);
    }
    await visitor.close();
  });
});
