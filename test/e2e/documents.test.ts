import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../db/seed.ts';
import { launchBrowser, newPage, pdfPages, screenshot, startServer, type E2eServer } from './helpers/browser.ts';

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

const eventId = (name: string) => (server.app.db.$client.prepare('select id from events where name = ? order by id limit 1').get(name) as { id: number }).id;

describe('documents the chief judge and the supervisors sign', () => {
  it('prints a released event’s result sheet with names, part scores and a signature line per supervisor', async () => {
    const welding = eventId('焊工');
    const { context, page } = await newPage(browser, 'landscape');
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.base}/login`);
    await page.locator('#u').fill('organiser');
    await page.locator('#p').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).last().click();
    await page.waitForURL(`${server.base}/org`);
    await page.goto(`${server.base}/print/event/${welding}`);
    const sheet = page.getByTestId('result-sheet');
    await sheet.waitFor();
    const ranking = (await (await fetch(`${server.base}/api/public/events/${welding}/ranking`)).json()) as { rows: { name?: string; total: number }[] };
    const rows = sheet.locator('tbody tr');
    expect(await rows.count()).toBe(ranking.rows.length);
    // Released: names are on it; the winner's total as published.
    expect(await rows.first().innerText()).toContain(ranking.rows[0]!.name!);
    expect(await rows.first().innerText()).toContain(ranking.rows[0]!.total.toFixed(2));
    const supervisors = (server.app.db.$client.prepare(`select count(*) as n from judge_assignments where event_id = ? and role = 'supervisor'`).get(welding) as { n: number }).n;
    const signatures = sheet.getByTestId('signatures').locator('div');
    expect(await signatures.first().innerText()).toContain('裁判长签字');
    expect(await signatures.count()).toBe(2 + Math.max(1, supervisors));
    await screenshot(page, 'print-result-sheet');
    expect(await pdfPages(page)).toEqual({ pages: 1, portrait: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('prints one judge’s marks for signature from the chief judge’s console, names withheld before release', async () => {
    const drone = eventId('无人机驾驶');
    const { context, page } = await newPage(browser, 'portrait');
    await page.goto(`${server.base}/chief?code=WRJCP001`);
    const judge = server.app.db.$client
      .prepare(`select j.id, j.name from judges j join judge_assignments a on a.judge_id = j.id where a.event_id = ? and a.role = 'judge' order by j.id limit 1`)
      .get(drone) as { id: number; name: string };
    // The chief's console links each judge's sheet; it opens in a new tab.
    await page.getByTestId('tab-codes').click();
    const link = page.getByTestId(`print-judge-${judge.id}`);
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`/print/event/${drone}?judge=${judge.id}`);
    expect(await link.getAttribute('target')).toBe('_blank');
    await page.goto(`${server.base}/print/event/${drone}?judge=${judge.id}`);
    const sheet = page.getByTestId('judge-sheet');
    await sheet.waitFor();
    expect(await sheet.innerText()).toContain(judge.name);
    const round = server.app.db.$client.prepare(`select id from rounds where event_id = ? order by seq desc limit 1`).get(drone) as { id: number };
    const marks = server.app.db.$client
      .prepare(`select count(*) as n from marks m where m.judge_id = ? and m.round_id = ? and m.version = (select max(version) from marks x where x.round_id = m.round_id and x.entry_id = m.entry_id and x.judge_id = m.judge_id and x.part_id = m.part_id and x.criterion_id = m.criterion_id)`)
      .get(judge.id, round.id) as { n: number };
    expect(marks.n).toBeGreaterThan(0);
    expect(await sheet.locator('.note').innerText()).toContain(`共 ${marks.n} 项评分`);
    await screenshot(page, 'print-judge-sheet');

    // Before release the result sheet shows numbers, never names, to the chief judge.
    await page.goto(`${server.base}/print/event/${drone}`);
    const results = page.getByTestId('result-sheet');
    await results.waitFor();
    expect(await results.locator('thead').innerText()).not.toContain('姓名');
    expect(await results.innerText()).toContain('成绩未发布');
    await context.close();
  });
});
