import { asc, eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { competitions, entries, events, organisations, rounds } from '../../db/schema.ts';
import { schemeSchema } from '../../server/contracts/scheme.ts';
import { residentIdCheckChar } from '../../server/domain/resident-id.ts';
import { makeEntry, makeJudge, makePerson } from '../helpers/factories.ts';
import { completeRecheck, judgeLogin, newKey } from '../helpers/scenario.ts';
import { demoCompetitionName, horizontalOverflow, launchBrowser, newPage, screenshot, startServer, type E2eServer } from './helpers/browser.ts';

/**
 * A team event seen by the organiser and the public: a team (班组) registered on the entrants
 * page with its members, marked by its drawn number, and ranked under its team name on the
 * public results once released (never before).
 */

let server: E2eServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** The organiser's page, kept while `page` points at a visitor's for a capture. */
let organiserPage: Page;
const pageErrors: string[] = [];
let competitionId: number;
let eventId: number;
let roundId: number;

/** Born 1971-02-02 in 肥西县: outside every demo birth range. */
function residentId(seq: number): string {
  const first17 = `34012319710202${String(seq).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

/** The desktop sizes the brief asks for, landscape and portrait. */
const SIZES = { landscape: { width: 1280, height: 800 }, portrait: { width: 800, height: 1280 } } as const;

async function capture(name: string) {
  for (const [orientation, size] of Object.entries(SIZES)) {
    await page.setViewportSize(size);
    await page.waitForTimeout(150);
    await screenshot(page, `teams-${name}-${orientation}`);
    expect(await horizontalOverflow(page), `${name} ${orientation}`).toBeLessThanOrEqual(0);
  }
  await page.setViewportSize(SIZES.landscape);
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  ({ context, page } = await newPage(browser, 'desktop'));
  organiserPage = page;
  await page.setViewportSize(SIZES.landscape);
  page.on('pageerror', (err) => pageErrors.push(err.message));
  // Set-up straight in the database: a running competition of 肥西县总工会 with one team event of
  // one practical task marked by a panel of three (the routes that create these have their own tests).
  const db = server.app.db;
  const feixi = db.select().from(competitions).where(eq(competitions.name, demoCompetitionName(server, '肥西县职工职业技能大赛'))).get()!;
  const comp = db
    .insert(competitions)
    .values({ orgId: feixi.orgId, name: '肥西县电力抢修班组技能竞赛', grade: 'C', year: feixi.year, organisers: ['肥西县总工会'], hosts: [], status: 'running', endDate: '2099-12-31' })
    .returning()
    .get();
  competitionId = comp.id;
  const scheme = schemeSchema.parse({
    totaling: 'weighted',
    parts: [
      {
        id: 'task1',
        name: '故障抢修',
        role: 'practical',
        weight: 100,
        max: 100,
        marking: 'rubric',
        criteria: [
          { id: 'c1', name: '操作规范', max: 60, step: 0.5 },
          { id: 'c2', name: '完成质量', max: 40, step: 0.5 },
        ],
        aggregation: { kind: 'mean' },
        minMarks: 3,
        expectedMarks: 3,
      },
    ],
  });
  const event = db.insert(events).values({ competitionId: comp.id, name: '配电抢修（班组）', mode: 'team', scheme, minEntrants: 1, occupationCode: '6-31-01-03', occupationName: '电工' }).returning().get();
  eventId = event.id;
  roundId = db.insert(rounds).values({ eventId, seq: 1, name: '决赛', kind: 'final' }).returning().get().id;
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

describe('a team event', () => {
  it('registers a team with its members on the entrants page', async () => {
    await page.goto(`${server.base}/login`);
    await page.locator('#u').fill('organiser');
    await page.locator('#p').fill('Demo@2026!');
    await page.getByRole('button', { name: '登录' }).last().click();
    await page.waitForURL(`${server.base}/org`);
    await page.goto(`${server.base}/org/competitions/${competitionId}/events/${eventId}`);
    await page.getByTestId('add-team').click();
    const form = page.getByTestId('team-entry');
    await form.waitFor();
    await page.getByTestId('team-name').fill('电力抢修一班');
    await form.locator('#m-id-0').fill(residentId(11));
    await form.locator('#m-name-0').fill('韩立新');
    await form.locator('#m-emp-0').fill('国网肥西县供电公司');
    await form.locator('#m-role-0').fill('主操作手');
    await form.locator('#m-id-1').fill(residentId(12));
    await form.locator('#m-name-1').fill('冯晓丽');
    await page.getByTestId('add-member').click();
    await form.locator('#m-id-2').fill(residentId(13));
    await form.locator('#m-name-2').fill('邓建军');
    await page.getByTestId('captain-0').check();
    await capture('register');
    await page.getByTestId('save-team').click();
    await page.getByText('已登记：电力抢修一班').waitFor();
    const table = page.getByTestId('entrant-table');
    await expect.poll(() => table.textContent()).toContain('韩立新（队长）、冯晓丽、邓建军');

    // A pair without a name is shown by its members' names.
    await page.getByTestId('add-team').click();
    await form.locator('#m-id-0').fill(residentId(21));
    await form.locator('#m-name-0').fill('蒋一鸣');
    await form.locator('#m-id-1').fill(residentId(22));
    await form.locator('#m-name-1').fill('沈秋菊');
    await page.getByTestId('save-team').click();
    await page.getByText('已登记：蒋一鸣、沈秋菊').waitFor();
    await capture('entrants');
    expect(pageErrors).toEqual([]);
  });

  it('shows the team ranked under its name on the public results only after release', async () => {
    const app = server.app;
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const post = (url: string, payload: object | undefined, who = cookie) => app.inject({ method: 'POST', url, payload, headers: { cookie: who } });
    const draw = await post(`/api/events/${eventId}/draw`, undefined);
    expect(draw.statusCode, draw.body).toBe(200);
    const numbers = Object.keys(draw.json().mapping).map(Number);
    expect((await post(`/api/events/${eventId}/check-in`, { items: numbers.map(String) })).json().checkedIn).toBe(2);
    // Three judges and a chief for the event; each marks both teams by their drawn numbers.
    const codes = ['TMJUDG01', 'TMJUDG02', 'TMJUDG03'];
    for (const code of codes) makeJudge(app, eventId, { code });
    makeJudge(app, eventId, { code: 'TMCHIEF1', role: 'chief' });
    const team = draw.json().mapping as Record<string, number>;
    const entries = await app.inject({ method: 'GET', url: `/api/events/${eventId}/entries`, headers: { cookie } });
    const nameOf = new Map((entries.json().items as { id: number; name: string }[]).map((e) => [e.id, e.name]));
    for (const code of codes) {
      const judge = await judgeLogin(app, code);
      for (const n of numbers) {
        const crew = nameOf.get(team[n]!) === '电力抢修一班';
        const res = await post(
          '/api/marks',
          {
            marks: [
              { idempotencyKey: newKey(), number: n, partId: 'task1', criterionId: 'c1', value: crew ? 55 : 48 },
              { idempotencyKey: newKey(), number: n, partId: 'task1', criterionId: 'c2', value: crew ? 36 : 30 },
            ],
          },
          judge,
        );
        expect(res.statusCode, res.body).toBe(200);
      }
    }
    // Before release the public has no results page for it, and the live ranking no names.
    const live = (await app.inject({ method: 'GET', url: `/api/public/events/${eventId}/ranking` })).body;
    expect(live).not.toContain('电力抢修一班');

    const chief = await judgeLogin(app, 'TMCHIEF1');
    expect((await post(`/api/rounds/${roundId}/close`, undefined, chief)).statusCode).toBe(200);
    await completeRecheck(app, chief, eventId);
    const release = await post(`/api/events/${eventId}/release`, { incompleteReasons: [] }, chief);
    expect(release.statusCode, release.body).toBe(200);

    const pub = await newPage(browser, 'desktop');
    const visitor = pub.page;
    visitor.on('pageerror', (err) => pageErrors.push(err.message));
    await visitor.setViewportSize(SIZES.landscape);
    await visitor.goto(`${server.base}/results/${competitionId}`);
    await visitor.getByText('配电抢修（班组）').waitFor();
    const rows = visitor.locator('sc-results-page table').first().locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(0).textContent()).toContain('电力抢修一班');
    expect(await rows.nth(0).textContent()).toContain('韩立新（队长）、冯晓丽、邓建军');
    expect(await rows.nth(1).textContent()).toContain('蒋一鸣、沈秋菊');
    expect(await rows.nth(0).locator('td').first().textContent()).toContain('1');
    // Every member's ID number, masked, one a line: the team's row does not pass for its captain's.
    const ids = await rows.nth(0).locator('[data-testid^="member-ids-"] div').allInnerTexts();
    expect(ids).toHaveLength(3);
    for (const id of ids) expect(id).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    expect(new Set(ids).size).toBe(3);
    page = visitor;
    await capture('public-results');
    await pub.context.close();
    page = organiserPage;
    expect(pageErrors).toEqual([]);
  });

  it('sets a team standing by placing points, a minimum score per prize, and prints a team’s certificate', async () => {
    const app = server.app;
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    // The two teams stand for two delegations (set-up in the database).
    const [d1, d2] = app.db.select().from(organisations).where(eq(organisations.kind, 'employer')).limit(2).all();
    const teams = app.db.select().from(entries).where(eq(entries.eventId, eventId)).orderBy(asc(entries.id)).all();
    app.db.update(entries).set({ delegationId: d1!.id }).where(eq(entries.id, teams[0]!.id)).run();
    app.db.update(entries).set({ delegationId: d2!.id }).where(eq(entries.id, teams[1]!.id)).run();
    app.rankings.invalidate(eventId);

    // The event's team ranking by placing points, as the event form sets it.
    await page.goto(`${server.base}/org/competitions/${competitionId}/events/${eventId}/edit`);
    await page.locator('select#team').selectOption('placing_points');
    await page.getByTestId('team-points').fill('10 9 8 7 6 5');
    await capture('event-form');

    // The competition's team standing.
    await page.goto(`${server.base}/org/competitions/${competitionId}`);
    await page.getByTestId('team-standing-on').check();
    await page.locator('#ts-points').fill('10 9 8 7 6 5');
    await page.locator('#ts-best').fill('1');
    await page.getByTestId('team-standing-save').click();
    await page.getByText('团体总分设置已保存').waitFor();
    await page.getByTestId('team-standing').waitFor();
    await page.getByTestId('team-standing-settings').scrollIntoViewIfNeeded();
    await capture('competition-standing');

    // Prizes with a first-prize line the winner (91.00) misses: the preview says why.
    const rule = { basis: 'count', tiers: [{ label: '一等奖', count: 1, minScore: 95 }, { label: '二等奖', count: 1, minScore: 80 }, { label: '三等奖', count: 1 }] };
    expect((await app.inject({ method: 'PUT', url: `/api/events/${eventId}/prize-rule`, payload: rule, headers: { cookie } })).statusCode).toBe(200);
    await app.inject({ method: 'POST', url: `/api/events/${eventId}/awards-override`, payload: { reason: '测试：颁奖典礼提前举行，组委会决定' }, headers: { cookie } });
    await page.goto(`${server.base}/awards?event=${eventId}&tab=prizes`);
    await page.getByTestId('line-changes').waitFor();
    expect(await page.getByTestId('line-changes').textContent()).toContain('低于一等奖分数线 95.00');
    await page.getByTestId('prize-award').click();
    await page.getByTestId('prize-note').first().waitFor();
    await capture('prizes');

    const prizes = (await app.inject({ method: 'GET', url: `/api/events/${eventId}/prizes`, headers: { cookie } })).json() as { id: number; name: string | null }[];
    const crew = prizes.find((p) => p.name === '电力抢修一班')!;
    await page.goto(`${server.base}/award/${crew.id}`);
    await page.getByText('队员：韩立新、冯晓丽、邓建军').waitFor();
    await capture('certificate');

    await page.goto(`${server.base}/results/${competitionId}`);
    await page.locator('sc-team-standing').getByTestId('team-standing').waitFor();
    await capture('results-standing');
    expect(pageErrors).toEqual([]);
  });

  it('lists everyone in the final standings of an event of two rounds, with the round winner and the overall winner', async () => {
    const app = server.app;
    const db = app.db;
    const scheme = db.select().from(events).where(eq(events.id, eventId)).get()!.scheme;
    // A second event added while the first is published: the competition runs again (set-up).
    db.update(competitions).set({ status: 'running' }).where(eq(competitions.id, competitionId)).run();
    const ev = db.insert(events).values({ competitionId, name: '配电线路工（个人）', scheme, minEntrants: 1, occupationCode: '6-31-01-03', occupationName: '电工' }).returning().get();
    const prelim = db.insert(rounds).values({ eventId: ev.id, seq: 1, name: '初赛', kind: 'preliminary', advancement: { rule: { kind: 'top_n', n: 2 }, tiesAtCut: 'include' } }).returning().get();
    const final = db.insert(rounds).values({ eventId: ev.id, seq: 2, name: '决赛', kind: 'final', carryOver: 'previous' }).returning().get();
    const names = ['柳成荫', '顾长风', '白若溪', '陆远航'];
    names.forEach((name, i) => makeEntry(app, { id: ev.id, round: prelim }, { personId: makePerson(app, { name, idNumber: residentId(40 + i) }).id, status: 'checked_in', drawnNumber: i + 1 }));
    app.rankings.invalidate(ev.id);
    const codes = ['TMJUDG11', 'TMJUDG12', 'TMJUDG13'];
    for (const code of codes) makeJudge(app, ev.id, { code });
    makeJudge(app, ev.id, { code: 'TMCHIEF2', role: 'chief' });
    const chief = await judgeLogin(app, 'TMCHIEF2');
    const mark = async (roundId: number, totals: Record<number, number>) => {
      for (const code of codes) {
        const judge = await judgeLogin(app, code);
        for (const [n, total] of Object.entries(totals)) {
          const res = await app.inject({
            method: 'POST',
            url: '/api/marks',
            headers: { cookie: judge },
            payload: {
              marks: [
                { idempotencyKey: newKey(), roundId, number: Number(n), partId: 'task1', criterionId: 'c1', value: total - 30 },
                { idempotencyKey: newKey(), roundId, number: Number(n), partId: 'task1', criterionId: 'c2', value: 30 },
              ],
            },
          });
          expect(res.statusCode, res.body).toBe(200);
        }
      }
    };
    // 初赛: 1 → 88, 2 → 86, 3 → 80, 4 → 70. 决赛: 2 wins the round (87 to 86), 1 wins overall (88 + 86 = 174 to 86 + 87 = 173).
    await mark(prelim.id, { 1: 88, 2: 86, 3: 80, 4: 70 });
    expect((await app.inject({ method: 'POST', url: `/api/rounds/${prelim.id}/close`, headers: { cookie: chief } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: `/api/rounds/${prelim.id}/advance`, headers: { cookie: chief } })).statusCode).toBe(200);
    await mark(final.id, { 1: 86, 2: 87 });
    expect((await app.inject({ method: 'POST', url: `/api/rounds/${final.id}/close`, headers: { cookie: chief } })).statusCode).toBe(200);
    await completeRecheck(app, chief, ev.id);
    const release = await app.inject({ method: 'POST', url: `/api/events/${ev.id}/release`, headers: { cookie: chief }, payload: { incompleteReasons: [] } });
    expect(release.statusCode, release.body).toBe(200);

    await page.goto(`${server.base}/results/${competitionId}`);
    const standings = page.getByTestId(`final-standings-${ev.id}`);
    await standings.locator('summary').click();
    const text = () => standings.textContent();
    await expect.poll(text).toContain('决赛：本轮第一：顾长风；累计成绩第一：柳成荫');
    const rows = standings.locator('tbody tr');
    expect(await rows.count()).toBe(4);
    expect(await rows.nth(2).textContent()).toContain('白若溪');
    expect(await rows.nth(2).textContent()).toContain('初赛');
    await standings.scrollIntoViewIfNeeded();
    await capture('final-standings');
    expect(pageErrors).toEqual([]);
  });
});
