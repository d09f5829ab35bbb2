import { and, eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, entries, events, people, skillCertificates } from '../../db/schema.ts';
import { PROVINCIAL_LAYOUT } from '../../server/contracts/certificates.ts';
import { buildCertificateNumber } from '../../server/domain/awards/index.ts';
import { horizontalOverflow, launchBrowser, newPage, screenshot, startServer, VIEWPORTS, type E2eServer } from './helpers/browser.ts';

let server: E2eServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
/** Four welders of the demo's released contest, kept by the county HR bureau. */
let welders: { id: number; name: string; idNumber: string }[] = [];

const HEADERS = PROVINCIAL_LAYOUT.columns.map((c) => c.header);
let serial = 0;
function certNumber(level: number, year = 2025): string {
  return buildCertificateNumber({ issuer: 'social_body', bodyCode: '0007', provinceCode: '34', siteSequence: '000123', year, level, serial: ++serial });
}
function csvRow(p: { name: string; idNumber: string }, level: string, number: string): string[] {
  return ['1', p.name, '男', '居民身份证', p.idNumber, '6-18-02-04', '焊工', '--', level, '80', '86', number, '2025-11-20', '肥西县职业技能鉴定中心', '考核评价'];
}
function csv(rows: string[][]): Buffer {
  return Buffer.from('\uFEFF' + [HEADERS, ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n', 'utf8');
}

/** Screenshots at 1024×768, 768×1024 and 1440×900 (hr-<name>-…) and fails on any sideways overflow. */
async function capture(name: string) {
  for (const [size, viewport] of Object.entries({ landscape: VIEWPORTS.landscape, portrait: VIEWPORTS.portrait, desktop: VIEWPORTS.desktop })) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(150);
    await screenshot(page, `hr-${name}-${size}`);
    expect(await horizontalOverflow(page), `${name} at ${size}`).toBeLessThanOrEqual(0);
    expect(await pastRightEdge(), `${name} at ${size}`).toEqual([]);
  }
  await page.setViewportSize(VIEWPORTS.landscape);
}

/** Elements (shadow roots included) drawn past the right edge: base.css hides the body's own overflow. */
function pastRightEdge(): Promise<string[]> {
  return page.evaluate(() => {
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
function smallTargets(): Promise<string[]> {
  return page.evaluate(() => {
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

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  ({ context, page } = await newPage(browser, 'landscape'));
  page.on('pageerror', (err) => pageErrors.push(err.message));
  const db = server.app.db;
  const welding = db.select().from(events).where(eq(events.name, '焊工')).get()!;
  welders = db
    .select({ id: people.id, name: people.name, idNumber: people.idNumber })
    .from(entries)
    .innerJoin(people, eq(people.id, entries.personId))
    .where(eq(entries.eventId, welding.id))
    .orderBy(people.id)
    .all()
    .slice(0, 4);
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

describe('the HR bureau’s certified skill levels (/hr)', () => {
  it('signs in at /login and finds /hr under 管理 on the home page', async () => {
    await page.goto(`${server.base}/login`);
    await page.locator('#u').fill('hr');
    await page.locator('#p').fill('Demo@2026!');
    await page.getByRole('button', { name: '登录' }).last().click();
    await page.waitForURL((u) => u.pathname !== '/login');
    await page.goto(`${server.base}/`);
    await page.getByTestId('manage').getByRole('link', { name: '技能等级', exact: true }).click();
    await page.waitForURL(`${server.base}/hr`);
    await page.getByRole('heading', { name: '职业技能等级认定' }).waitFor();
    expect(await page.getByTestId('tab-import').isVisible()).toBe(true);
    await page.getByText('没有符合条件的记录').waitFor();
    await capture('list-empty');
  });

  it('imports a CSV: the dry run reports the bad row by sheet row and column, then a clean file is imported', async () => {
    await page.getByTestId('tab-import').click();
    const [a, b] = welders;
    const bad = csv([csvRow(a!, '三级/高级工', certNumber(3)), csvRow(b!, '高级工', certNumber(2))]);
    await page.getByTestId('import-file').setInputFiles({ name: '认定结果-有误.csv', mimeType: 'text/csv', buffer: bad });
    await page.getByTestId('import-report').waitFor();
    expect(await page.getByTestId('bad-rows').textContent()).toBe('1');
    const errorRows = page.getByTestId('import-errors').locator('tbody tr');
    expect(await errorRows.count()).toBe(1);
    const cells = await errorRows.first().locator('td').allTextContents();
    expect(cells[0]).toBe('3');
    expect(cells[1]).toBe('证书编号');
    expect(cells[3]).toContain('证书编号有误');
    expect(cells[3]).toContain('第16位等级码为2（二级/技师），与所填等级三级/高级工不符');
    expect(await page.getByTestId('import-run').count()).toBe(0);
    await capture('import-errors');
    expect(await smallTargets()).toEqual([]);
    expect(server.app.db.select().from(skillCertificates).all()).toHaveLength(0);

    // Hold the server's answer a moment, to see the progress bar while the rows are checked.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/certificates/import**', async (route) => {
      await held;
      await route.continue();
    });
    const good = csv([csvRow(a!, '三级/高级工', certNumber(3)), csvRow(b!, '3', certNumber(3))]);
    await page.getByTestId('import-file').setInputFiles({ name: '认定结果.csv', mimeType: 'text/csv', buffer: good });
    await page.getByTestId('import-progress').locator('progress').waitFor();
    await screenshot(page, 'hr-import-progress-landscape');
    release();
    await page.getByText('全部 2 行无误，可以导入。').waitFor();
    await page.unroute('**/api/certificates/import**');
    expect(await page.getByTestId('import-progress').count()).toBe(0);
    await page.getByTestId('import-run').click();
    await page.getByTestId('import-done').waitFor();
    expect(await page.getByTestId('import-done').textContent()).toContain('已导入 2 条');
    const stored = server.app.db.select().from(skillCertificates).all();
    expect(stored.map((c) => c.personId).sort()).toEqual([a!.id, b!.id].sort());
    expect(server.app.db.select().from(auditLog).where(eq(auditLog.action, 'certificates.import')).all()).toHaveLength(1);
    await capture('import-done');

    await page.getByTestId('tab-list').click();
    await expect.poll(() => page.getByTestId('cert-table').locator('tbody tr').count()).toBe(2);
    expect(await page.getByTestId('cert-table').textContent()).toContain(a!.idNumber);
    await capture('list');
  });

  it('exports a CSV whose first line is the provincial header, with full ID numbers for the HR officer, audited', async () => {
    await page.getByTestId('tab-export').click();
    await page.getByTestId('format-csv').check();
    await expect.poll(() => page.getByTestId('export-count').textContent()).toContain('2 条');
    const href = await page.getByTestId('export-link').getAttribute('href');
    expect(href).toContain('format=csv');
    const res = await page.request.get(`${server.base}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['x-id-numbers']).toBe('full');
    const text = (await res.body()).toString('utf8');
    const lines = text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe(HEADERS.join(','));
    expect(lines).toHaveLength(3);
    expect(text).toContain(welders[0]!.idNumber);
    expect(server.app.db.select().from(auditLog).where(eq(auditLog.action, 'certificates.export')).all().length).toBeGreaterThanOrEqual(1);
    await capture('export');
    expect(await smallTargets()).toEqual([]);
  });

  it('edits the column layout (rename, reorder, remove, add), the export follows it, and resets to provincial', async () => {
    const editor = page.getByTestId('layout-editor');
    await editor.getByLabel('表头 1（序号）').fill('编号');
    // Move 姓名 (2nd) up to the top, drop 证件类型 (4th), add it back at the end.
    await editor.getByRole('button', { name: '上移' }).nth(1).click();
    await editor.getByRole('button', { name: '删除 证件类型' }).click();
    await editor.locator('select#add-key').selectOption('idType');
    await editor.getByRole('button', { name: '添加', exact: true }).click();
    await editor.getByTestId('layout-save').click();
    await editor.getByText('导出列设置已保存').waitFor();
    const href = await page.getByTestId('export-link').getAttribute('href');
    const first = (await (await page.request.get(`${server.base}${href}`)).text()).replace(/^\uFEFF/, '').split('\r\n')[0]!;
    expect(first.split(',').slice(0, 3)).toEqual(['姓名', '编号', '性别']);
    expect(first.split(',').at(-1)).toBe('证件类型');
    await capture('layout');

    await editor.getByTestId('layout-reset').click();
    await editor.getByTestId('layout-save').click();
    await editor.getByText('导出列设置已保存').waitFor();
    const again = (await (await page.request.get(`${server.base}${href}`)).text()).replace(/^\uFEFF/, '').split('\r\n')[0];
    expect(again).toBe(HEADERS.join(','));
  });

  it('records a certificate, showing the number’s problems next to the field while typing', async () => {
    const c = welders[2]!;
    await page.getByTestId('tab-list').click();
    const issuedBefore = Number(/证书 (\d+) 本/.exec((await page.getByTestId('hr-overview').textContent()) ?? '')![1]);
    await page.getByTestId('record-new').click();
    const form = page.getByTestId('cert-form');
    await form.locator('#f-person').fill(c.name);
    await form.getByRole('button', { name: new RegExp(c.name) }).click();
    await form.locator('#f-occupationCode').fill('6-18-02-04');
    await form.locator('#f-occupationName').fill('焊工');
    await form.locator('#f-level').selectOption('4');
    await form.locator('#f-issueDate').fill('2025-12-01');
    await form.locator('#f-evaluationBody').fill('肥西县职业技能鉴定中心');
    await form.locator('#f-certificateNumber').fill('S00073400');
    expect(await form.getByTestId('number-problems').textContent()).toContain('证书编号应为22位，现在是9位');
    await form.locator('#f-certificateNumber').fill(certNumber(4, 2024));
    expect(await form.getByTestId('number-problems').textContent()).toContain('第14–15位年份为“24”，但发证日期在2025年');
    await form.locator('#f-certificateNumber').fill(certNumber(3, 2025));
    expect(await form.getByTestId('number-problems').textContent()).toContain('与所填等级四级/中级工不符');
    await capture('record-form');
    await form.locator('#f-certificateNumber').fill(certNumber(4, 2025));
    await form.getByText('编号格式正确，与等级和年份一致').waitFor();
    await form.getByRole('button', { name: '保存' }).click();
    await page.getByTestId('notice').waitFor();
    expect(await page.getByTestId('notice').textContent()).toContain(c.name);
    const stored = server.app.db.select().from(skillCertificates).where(eq(skillCertificates.personId, c.id)).get()!;
    expect(stored).toMatchObject({ level: 4, status: 'issued', issueDate: '2025-12-01' });
    // The overview counts it at once, as the list does.
    await expect.poll(() => page.getByTestId('hr-overview').textContent()).toContain(`本单位记录的证书 ${issuedBefore + 1} 本`);
  });

  it('completes and issues a pending record (a promotion), with the number checked against the level', async () => {
    const d = welders[3]!;
    const created = await page.request.post(`${server.base}/api/certificates`, {
      data: { personId: d.id, occupationCode: '6-18-02-04', occupationName: '焊工', level: 2, basis: 'competition_promotion', status: 'pending' },
    });
    expect(created.status()).toBe(201);
    await page.goto(`${server.base}/hr?tab=pending`);
    const item = page.getByTestId('pending-list').locator('.pending-item', { hasText: d.name });
    await item.getByRole('button', { name: '完成并发证' }).click();
    const form = page.getByTestId('cert-form');
    await form.locator('#f-issueDate').fill('2025-12-10');
    await form.locator('#f-evaluationBody').fill('肥西县职业技能鉴定中心');
    await form.locator('#f-certificateNumber').fill(certNumber(3, 2025));
    expect(await form.getByTestId('number-problems').textContent()).toContain('与所填等级二级/技师不符');
    await capture('issue-form');
    expect(await smallTargets()).toEqual([]);
    await form.locator('#f-certificateNumber').fill(certNumber(2, 2025));
    await form.getByRole('button', { name: '发证' }).click();
    await page.getByText('没有待发证的记录').waitFor();
    const row = server.app.db.select().from(skillCertificates).where(and(eq(skillCertificates.personId, d.id), eq(skillCertificates.level, 2))).get()!;
    expect(row.status).toBe('issued');
    expect(server.app.db.select().from(people).where(eq(people.id, d.id)).get()!.skillLevel).toBe(2);
    expect(pageErrors).toEqual([]);
  });
});
