import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entries, events, prizes } from '../../db/schema.ts';
import { demoCompetitionName, horizontalOverflow, launchBrowser, newPage, screenshot, startServer, type E2eServer } from './helpers/browser.ts';

let server: E2eServer;
let browser: Browser;
let prizeId: number;
let competitionId: number;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  // The demo's released welding contest; its winner gets a first prize.
  const welding = server.app.db.select().from(events).where(eq(events.name, '焊工')).get()!;
  competitionId = welding.competitionId;
  const ranking = (await (await fetch(`${server.base}/api/public/events/${welding.id}/ranking`)).json()) as { rows: { number: number; rank: number }[] };
  const winner = ranking.rows.find((r) => r.rank === 1)!;
  const entry = server.app.db.select().from(entries).where(eq(entries.eventId, welding.id)).all().find((e) => e.drawnNumber === winner.number)!;
  prizeId = server.app.db.insert(prizes).values({ eventId: welding.id, entryId: entry.id, tier: 1, label: '一等奖', moneyYuan: 3000, rank: 1 }).returning().get().id;
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('published results for the public', () => {
  it('lists results on a phone with ID numbers masked and prizes linked, without horizontal scrolling', async () => {
    const { context, page } = await newPage(browser, 'phone');
    await page.goto(`${server.base}/results`);
    await page.getByText(demoCompetitionName(server, '肥西县焊工技能竞赛')).click();
    await page.getByText('一等奖').waitFor();
    expect(await page.locator('sc-results-page .badge').first().innerText()).toBe('成绩已确认');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'results-phone');
    const { page: wide } = await newPage(browser, 'landscape');
    await wide.goto(`${server.base}/results/${competitionId}`);
    await wide.getByText('一等奖').waitFor();
    const ids = await wide.locator('sc-results-page td.wide:not([data-testid="part-score"])').allInnerTexts();
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    // Each part's score beside the total (theory exam, practical task), as on the venue screen.
    const welding = server.app.db.select().from(events).where(eq(events.name, '焊工')).get()!;
    const partNames = (welding.scheme as { parts: { name: string }[] }).parts.map((p) => p.name);
    expect(await wide.getByTestId('part-head').allInnerTexts()).toEqual(partNames);
    const scores = await wide.getByTestId('part-score').allInnerTexts();
    expect(scores.length).toBe(partNames.length * ids.length);
    for (const x of scores) expect(x).toMatch(/^(\d+\.\d{2}|—)$/);
    await screenshot(wide, 'results-tablet');
    await context.close();
  });

  it('shows 取消资格 with its published reason and 退赛, never the staff-only note', async () => {
    const welding = server.app.db.select().from(events).where(eq(events.name, '焊工')).get()!;
    const list = server.app.db.select().from(entries).where(eq(entries.eventId, welding.id)).all().filter((e) => e.drawnNumber != null);
    const [dq, gone] = [list[list.length - 1]!, list[list.length - 2]!];
    server.app.db
      .update(entries)
      .set({ status: 'disqualified', disqualifiedReason: '使用未经检验的焊条', statusNote: '裁判长现场查验记录第3页' })
      .where(eq(entries.id, dq.id))
      .run();
    server.app.db.update(entries).set({ status: 'withdrawn', statusNote: '身体不适' }).where(eq(entries.id, gone.id)).run();
    server.app.rankings.invalidate(welding.id);
    const { context, page } = await newPage(browser, 'landscape');
    await page.goto(`${server.base}/results/${competitionId}`);
    await page.getByText('使用未经检验的焊条').waitFor();
    const states = await page.getByTestId('row-state').allInnerTexts();
    expect(states).toEqual(expect.arrayContaining(['取消资格', '退赛']));
    const text = await page.locator('sc-results-page').innerText();
    expect(text).not.toContain('裁判长现场查验记录');
    expect(text).not.toContain('身体不适');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'results-entry-states');
    await context.close();
  });

  it('prints an A4 landscape award certificate: wording, issuing bodies with seal areas, a number the public results confirm', async () => {
    const { context, page } = await newPage(browser, 'desktop');
    await page.goto(`${server.base}/award/${prizeId}`);
    await page.getByTestId('certificate').waitFor();
    await page.locator('sc-award-page .qr svg').waitFor();
    expect(await page.locator('sc-award-page .prize').innerText()).toBe('一等奖');
    // The prize is one word on one line (never "荣获一 / 等奖").
    expect(await page.locator('sc-award-page .prize').evaluate((el) => el.getClientRects().length)).toBe(1);
    const text = await page.getByTestId('certificate').innerText();
    expect(text).toContain('兹授予');
    expect(text).toContain('特发此证');
    expect(await page.locator('sc-award-page .seal').count()).toBeGreaterThan(0);
    const number = (await page.getByTestId('certificate-number').innerText()).replace('证书编号：', '');
    expect(number).toMatch(/^JS\d{4}-\d{4}-\d{6}$/);
    // Nothing drawn past the sheet's edges at A4 landscape.
    const clipped = await page.getByTestId('certificate').evaluate((sheet) => {
      const box = sheet.getBoundingClientRect();
      return [...sheet.querySelectorAll('*')].filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && (r.right > box.right + 1 || r.bottom > box.bottom + 1 || r.left < box.left - 1);
      }).length;
    });
    expect(clipped).toBe(0);
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'award-certificate-print');
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    // One page, landscape: the PDF has exactly one /Type /Page object, wider than tall (842 × 595 pt).
    const source = pdf.toString('latin1');
    expect(source.match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);
    const box = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)/.exec(source)!;
    expect(Number(box[1])).toBeGreaterThan(Number(box[2]));

    // The QR code's address: the public results confirm the number, and refuse a made-up one.
    await page.emulateMedia({ media: 'screen' });
    await page.goto(`${server.base}/results/${competitionId}?certificate=${number}`);
    await expect.poll(() => page.getByTestId('certificate-check').innerText()).toContain(`证书编号 ${number} 有效`);
    await page.goto(`${server.base}/results/${competitionId}?certificate=JS2020-0001-000001`);
    await expect.poll(() => page.getByTestId('certificate-check').innerText()).toContain('未找到证书编号');

    // Without the QR code: the number typed on the results page (spaces and lower case forgiven).
    await page.goto(`${server.base}/results`);
    const lookup = page.getByTestId('certificate-lookup');
    await lookup.locator('input').fill('JS-12');
    await lookup.getByRole('button').click();
    await expect.poll(() => page.getByTestId('lookup-error').innerText()).toContain('证书编号格式不对');
    await lookup.locator('input').fill(` ${number.toLowerCase()} `);
    await lookup.getByRole('button').click();
    await page.waitForURL(`${server.base}/results/${competitionId}?certificate=${number}`);
    await expect.poll(() => page.getByTestId('certificate-check').innerText()).toContain(`证书编号 ${number} 有效`);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await context.close();
  });
});
