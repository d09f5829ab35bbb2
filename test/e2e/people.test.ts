import { asc, eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awardProposals, entries, events, people, prizes, rounds } from '../../db/schema.ts';
import { buildCertificateNumber } from '../../server/domain/awards/index.ts';
import { demoCompetitionName, horizontalOverflow, launchBrowser, newPage, screenshot, startServer, VIEWPORTS, type E2eServer } from './helpers/browser.ts';

let server: E2eServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
/** The winner of the demo's released welding contest, with a prize, a title and certified levels. */
let winner: { id: number; name: string };
let prizeId: number;

/** Screenshots at 1024×768, 768×1024 and 1440×900 (people-<name>-…) and fails on any sideways overflow. */
async function capture(name: string) {
  for (const [size, viewport] of Object.entries({ landscape: VIEWPORTS.landscape, portrait: VIEWPORTS.portrait, desktop: VIEWPORTS.desktop })) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(150);
    await screenshot(page, `people-${name}-${size}`);
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

/** A staff session cookie for the API (the browser signs in through the page). */
async function cookieOf(username: string): Promise<string> {
  const res = await server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'Demo@2026!' } });
  const sid = res.cookies.find((c) => c.name === 'sid');
  if (!sid) throw new Error(`sign-in of ${username} failed: ${res.statusCode}`);
  return `sid=${sid.value}`;
}

async function call(cookie: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
  const res = await server.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

function certNumber(level: number, year: number, serial: number): string {
  return buildCertificateNumber({ issuer: 'employer', bodyCode: '0012', provinceCode: '34', siteSequence: '000045', year, level, serial });
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  ({ context, page } = await newPage(browser, 'landscape'));
  page.on('pageerror', (err) => pageErrors.push(err.message));

  // Through the API, as the county union and the HR bureau would: prizes on the released welding
  // results, the Feixi title rules, a title signed by both sides, and the winner's certified levels.
  const db = server.app.db;
  const welding = db.select().from(events).where(eq(events.name, '焊工')).get()!;
  const last = db.select().from(rounds).where(eq(rounds.eventId, welding.id)).orderBy(asc(rounds.seq)).all().at(-1)!;
  const first = server.app.rankings.roundRows(welding.id, last.id).find((r) => r.rank === 1)!;
  const personId = db.select().from(entries).where(eq(entries.id, first.entryId)).get()!.personId;
  winner = db.select({ id: people.id, name: people.name }).from(people).where(eq(people.id, personId)).get()!;

  const union = await cookieOf('organiser');
  const hr = await cookieOf('hr');
  await call(union, 'POST', `/api/events/${welding.id}/prizes`);
  prizeId = db.select().from(prizes).where(eq(prizes.entryId, first.entryId)).get()!.id;
  await call(union, 'POST', '/api/title-rules', { presetKey: 'feixi_b_level' });
  await call(union, 'POST', `/api/events/${welding.id}/proposals/generate`);
  const proposals = db.select().from(awardProposals).where(eq(awardProposals.personId, winner.id)).all();
  const expert = proposals.find((p) => p.kind === 'title' && p.reason.includes('肥西县技术能手'))!;
  await call(union, 'POST', `/api/proposals/${expert.id}/sign`);
  await call(hr, 'POST', `/api/proposals/${expert.id}/sign`);
  const base = { personId: winner.id, occupationCode: '6-18-02-04', occupationName: '焊工', evaluationBody: '安徽华川精密制造有限公司', basis: 'exam' };
  await call(hr, 'POST', '/api/certificates', { ...base, level: 4, certificateNumber: certNumber(4, 2019, 101), issueDate: '2019-06-28', theoryScore: 76, practicalScore: 81 });
  await call(hr, 'POST', '/api/certificates', { ...base, level: 3, certificateNumber: certNumber(3, 2023, 57), issueDate: '2023-11-02' });
  await call(hr, 'POST', '/api/certificates', { ...base, level: 2, basis: 'competition_promotion', status: 'pending' });
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

describe('a person’s record (/people, /people/:id)', () => {
  it('finds the winner by name on /people', async () => {
    await page.goto(`${server.base}/login`);
    await page.locator('#u').fill('organiser');
    await page.locator('#p').fill('Demo@2026!');
    await page.getByRole('button', { name: '登录' }).last().click();
    await page.waitForURL((u) => u.pathname !== '/login');
    await page.goto(`${server.base}/`);
    await page.getByTestId('manage').getByRole('link', { name: '人员', exact: true }).click();
    await page.waitForURL(`${server.base}/people`);
    await page.getByTestId('people-table').waitFor();
    await capture('search');
    await page.getByPlaceholder('按姓名查找').fill(winner.name);
    await page.getByRole('button', { name: '查找' }).click();
    await expect.poll(() => page.getByTestId('people-table').locator('tbody tr').count()).toBe(1);
    await page.getByTestId('people-table').getByRole('link', { name: winner.name }).click();
    await page.waitForURL(`${server.base}/people/${winner.id}`);
  });

  it('shows results, the prize with its certificate, the title and the certified levels over time', async () => {
    await page.getByTestId('person-head').getByRole('heading', { name: winner.name }).waitFor();
    expect(await page.getByTestId('person-head').textContent()).toContain('当前等级：三级/高级工');
    const results = page.getByTestId('results');
    expect(await results.textContent()).toContain(demoCompetitionName(server, '肥西县焊工技能竞赛'));
    expect(await results.textContent()).toContain('第 1 名 / 8 人');
    expect(await page.getByTestId('prizes').textContent()).toContain('一等奖');
    await expect.poll(() => page.getByTestId('award-link').getAttribute('href')).toBe(`/award/${prizeId}`);
    expect(await page.getByTestId('titles').textContent()).toContain('肥西县技术能手');
    const timeline = await page.getByTestId('levels').locator('ol.timeline > li').allTextContents();
    expect(timeline).toHaveLength(3);
    expect(timeline[0]).toContain('2019-06-28');
    expect(timeline[0]).toContain('四级/中级工');
    expect(timeline[1]).toContain('三级/高级工');
    expect(timeline[2]).toContain('待发证');
    expect(timeline[2]).toContain('二级/技师');
    await capture('record');

    await page.getByTestId('lang').click();
    await page.getByTestId('titles').getByRole('heading', { name: 'Titles' }).waitFor();
    expect(await page.getByTestId('results').textContent()).toContain('1 of 8');
    await capture('record-en');
    await page.getByTestId('lang').click();
    await page.getByTestId('titles').getByRole('heading', { name: '荣誉称号' }).waitFor();
  });

  it('opens the printable award certificate from the record', async () => {
    await page.getByTestId('award-link').click();
    await page.waitForURL(`${server.base}/award/${prizeId}`);
    await page.getByTestId('certificate').waitFor();
    expect(await page.locator('sc-award-page .prize').innerText()).toBe('一等奖');
    expect(pageErrors).toEqual([]);
  });
});
