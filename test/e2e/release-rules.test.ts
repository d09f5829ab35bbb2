import { and, eq, inArray } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, competitionCoOrganisers, competitionOfficers, competitions, entries, events, holidayCalendarDays, holidayCalendarYears, organisations, people } from '../../db/schema.ts';
import { demoCompetitionName, horizontalOverflow, launchBrowser, newPage, screenshot, startServer, VIEWPORTS, type E2eServer } from './helpers/browser.ts';

// Issue 8 §4–5 in the browser: the venue screen before release (numbers and scores only) and
// after, and the co-organiser field of the competition form.
let server: E2eServer;
let browser: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const eventNamed = (name: string) => server.app.db.select().from(events).where(eq(events.name, name)).get()!;

/** Names and employers of an event's entrants: none may be on the screen before release. */
function identitiesOf(eventId: number): string[] {
  const rows = server.app.db
    .select({ name: people.name, employer: organisations.name })
    .from(entries)
    .innerJoin(people, eq(people.id, entries.personId))
    .leftJoin(organisations, eq(organisations.id, people.employerId))
    .where(eq(entries.eventId, eventId))
    .all();
  return [...new Set(rows.flatMap((r) => [r.name, r.employer ?? '']).filter(Boolean))];
}

async function screenText(page: Page): Promise<string> {
  return page.locator('sc-screen-page').evaluate((el) => el.shadowRoot!.textContent ?? '');
}

describe('venue screen', () => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    ({ context, page } = await newPage(browser, 'desktop'));
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });
  afterAll(() => context?.close());

  it('before release shows drawn numbers and scores only, while judges are still marking', async () => {
    const drone = eventNamed('无人机驾驶');
    expect(drone.releasedAt).toBeNull();
    await page.goto(`${server.base}/screen/event/${drone.id}`);
    await page.getByTestId('live-status').filter({ hasText: '实时' }).waitFor();
    await page.locator('sc-screen-page [data-key]').first().waitFor();
    await page.getByTestId('anonymous-note').filter({ hasText: '成绩发布前只显示检录号和分数' }).waitFor();
    expect(await page.locator('sc-screen-page [data-testid=name]').count()).toBe(0);
    expect(await page.locator('sc-screen-page [data-testid=delegation]').count()).toBe(0);
    const numbers = await page.locator('sc-screen-page [data-testid=number]').allTextContents();
    expect(numbers.length).toBeGreaterThanOrEqual(5);
    expect(numbers.every((n) => /^\d+$/.test(n.trim()))).toBe(true);
    const text = await screenText(page);
    for (const secret of identitiesOf(drone.id)) expect(text, `the screen shows ${secret}`).not.toContain(secret);
    expect(text).not.toContain('代表队');
    await screenshot(page, 'screen-before-release-desktop');
    await page.setViewportSize(VIEWPORTS.landscape);
    await page.waitForTimeout(200);
    await screenshot(page, 'screen-before-release-landscape');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.setViewportSize(VIEWPORTS.desktop);
  });

  it('a team contest that opts in shows delegations before release, never names', async () => {
    const power = eventNamed('配电线路工');
    expect(power.showDelegationsBeforeRelease).toBe(true);
    await page.goto(`${server.base}/screen/event/${power.id}`);
    await page.locator('sc-screen-page [data-testid=delegation]').first().waitFor();
    expect(await page.locator('sc-screen-page [data-testid=name]').count()).toBe(0);
    const names = server.app.db.select({ name: people.name }).from(entries).innerJoin(people, eq(people.id, entries.personId)).where(eq(entries.eventId, power.id)).all();
    const text = await screenText(page);
    for (const { name } of names) expect(text).not.toContain(name);
    expect(await page.locator('sc-screen-page [data-testid=delegation]').first().textContent()).toMatch(/供电公司/);
  });

  it('after release shows names and delegations', async () => {
    const welding = eventNamed('焊工');
    expect(welding.releasedAt).not.toBeNull();
    await page.goto(`${server.base}/screen/event/${welding.id}`);
    await page.locator('sc-screen-page [data-testid=name]').first().waitFor();
    expect(await page.getByTestId('anonymous-note').count()).toBe(0);
    const shown = (await page.locator('sc-screen-page [data-testid=name]').allTextContents()).map((s) => s.trim());
    const entrants = server.app.db.select({ name: people.name }).from(entries).innerJoin(people, eq(people.id, entries.personId)).where(eq(entries.eventId, welding.id)).all().map((r) => r.name);
    expect(shown.length).toBeGreaterThanOrEqual(5);
    expect(shown.every((n) => entrants.includes(n))).toBe(true);
    expect((await page.locator('sc-screen-page [data-testid=delegation]').allTextContents()).every((d) => d.trim().length > 0)).toBe(true);
    await screenshot(page, 'screen-after-release-desktop');
    expect(pageErrors).toEqual([]);
  });
});

describe('the competition form', () => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    ({ context, page } = await newPage(browser, 'landscape'));
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });
  afterAll(() => context?.close());

  async function signIn(username: string) {
    await context.clearCookies();
    await page.goto(`${server.base}/login`);
    await page.locator('#u').fill(username);
    await page.locator('#p').fill('Demo@2026!');
    await page.getByRole('button', { name: '登录' }).last().click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  }

  it('names the county HR bureau as co-organiser, with the publicity and appeal settings', async () => {
    await signIn('organiser');
    await page.goto(`${server.base}/org/competitions/new`);
    await page.locator('#name').fill('2026年肥西县电子商务技能竞赛');
    const organisers = page.getByTestId('organisers').locator('input');
    await organisers.fill('肥西县总工会');
    await organisers.press('Enter');
    const bureau = page.getByTestId('co-organisers').locator('label', { hasText: '肥西县人力资源和社会保障局' });
    await bureau.waitFor();
    // Another county's body is not offered; the Anhui HR department (covering Feixi) is.
    const offered = (await page.getByTestId('co-organisers').locator('label').allTextContents()).join('|');
    expect(offered).not.toContain('淮北');
    expect(offered).toContain('安徽省人力资源和社会保障厅');
    await bureau.click();
    expect(await bureau.locator('input').isChecked()).toBe(true);
    await page.getByText('保存竞赛后可指定加密裁判。').waitFor();
    await page.locator('#pdays').fill('7');
    await page.locator('#arule').selectOption('hours_after_release');
    await page.locator('#ahours').fill('48');
    for (const [orientation, size] of [
      ['landscape', VIEWPORTS.landscape],
      ['portrait', VIEWPORTS.portrait],
    ] as const) {
      await page.setViewportSize(size);
      await page.getByTestId('bodies').scrollIntoViewIfNeeded();
      await page.waitForTimeout(150);
      await screenshot(page, `org-co-organisers-${orientation}`);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    }
    await page.setViewportSize(VIEWPORTS.landscape);
    // The check list's rows are finger-sized.
    expect((await bureau.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/\/org\/competitions\/\d+$/);

    const db = server.app.db;
    const created = db.select().from(competitions).where(eq(competitions.name, '2026年肥西县电子商务技能竞赛')).get()!;
    expect(created).toMatchObject({ publicityDays: 7, appealRule: 'hours_after_release', appealWindowHours: 48 });
    const feixiHr = db.select().from(organisations).where(eq(organisations.name, '肥西县人力资源和社会保障局')).get()!;
    expect(db.select().from(competitionCoOrganisers).where(eq(competitionCoOrganisers.competitionId, created.id)).all().map((r) => r.orgId)).toEqual([feixiHr.id]);
    expect(await page.getByTestId('co-organisers').textContent()).toBe('肥西县人力资源和社会保障局');
    await page.getByText('公示期 7 个工作日；成绩发布后 48 小时内受理申诉').waitFor();

    // Editing it: the encryption officer is chosen among the organising bodies' staff.
    await page.goto(`${server.base}/org/competitions/${created.id}/edit`);
    const officer = page.getByTestId('encryption-officers').locator('label', { hasText: '肥西县职工职业技能大赛加密裁判' });
    await officer.click();
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/\/org\/competitions\/\d+$/);
    const encryptor = db.select().from(accounts).where(eq(accounts.username, 'encryptor')).get()!;
    expect(db.select().from(competitionOfficers).where(and(eq(competitionOfficers.competitionId, created.id), inArray(competitionOfficers.accountId, [encryptor.id]))).all()).toHaveLength(1);
  });

  it('the co-organising bureau’s HR officer finds the competition in the organisers’ list, read-only', async () => {
    await signIn('hr');
    await page.goto(`${server.base}/org/competitions`);
    await page.getByTestId('competition-list').waitFor();
    const list = page.getByTestId('competition-list');
    await expect.poll(() => list.textContent()).toContain('2026年肥西县电子商务技能竞赛');
    expect(await list.textContent()).toContain(demoCompetitionName(server, '肥西县职工职业技能大赛'));
    // Not the power contest of the provincial union, which the bureau does not co-organise.
    expect(await list.textContent()).not.toContain('配电线路工');
    expect(await page.getByRole('link', { name: '新建竞赛' }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('the administrator keeps the holiday calendar: 2026 from the notice, 2027 to be checked', async () => {
    await signIn('admin');
    await page.goto(`${server.base}/calendar`);
    await page.getByTestId('year-2026').click();
    await expect.poll(() => page.getByTestId('year-status').textContent()).toBe('国务院通知');
    const row = page.locator('[data-testid=calendar-days] tr[data-date="2026-02-14"]');
    expect(await row.locator('select').inputValue()).toBe('workday');
    await page.getByTestId('year-2027').click();
    await expect.poll(() => page.getByTestId('year-status').textContent()).toBe('暂定，待核对');
    const add = page.getByTestId('calendar-add');
    await add.locator('#cal-date').fill('2027-02-13');
    await add.locator('#cal-kind').selectOption('workday');
    await add.locator('#cal-name').fill('春节调休上班');
    await add.getByRole('button', { name: '添加日期' }).click();
    await page.locator('[data-testid=calendar-days] tr[data-date="2027-02-13"]').waitFor();
    for (const [orientation, size] of [
      ['landscape', VIEWPORTS.landscape],
      ['portrait', VIEWPORTS.portrait],
    ] as const) {
      await page.setViewportSize(size);
      await page.waitForTimeout(150);
      await screenshot(page, `calendar-${orientation}`);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    }
    await page.setViewportSize(VIEWPORTS.landscape);
    await page.getByTestId('calendar-save').click();
    await expect.poll(() => page.getByTestId('year-status').textContent()).toBe('管理员已修改');
    const db = server.app.db;
    expect(db.select().from(holidayCalendarYears).where(eq(holidayCalendarYears.year, 2027)).get()!.status).toBe('edited');
    expect(db.select().from(holidayCalendarDays).where(eq(holidayCalendarDays.date, '2027-02-13')).get()).toMatchObject({ kind: 'workday', name: '春节调休上班' });
    expect(pageErrors).toEqual([]);
  });
});
