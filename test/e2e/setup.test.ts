import { and, eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, competitions, entries, events, marks, people, roundEntries, skillCertificates } from '../../db/schema.ts';
import { residentIdCheckChar } from '../../server/domain/resident-id.ts';
import { makeEntry, makeEvent, makeJudge, makePerson } from '../helpers/factories.ts';
import { chinaDate } from '../../server/domain/working-days.ts';
import { demoCompetitionName, horizontalOverflow, launchBrowser, newPage, screenshot, startServer, VIEWPORTS, type E2eServer } from './helpers/browser.ts';

let server: E2eServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
let base = '';
let event: ReturnType<typeof makeEvent>;
/** Entry ids by drawn number 1…8. */
const entryOf = new Map<number, number>();

/** Born 1970-01-02 in 肥西县: outside the demo's birth dates and the organiser test's. */
function residentId(seq: number): string {
  const first17 = `34012319700102${String(seq).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

/** Screenshots (setup-<name>-landscape / -portrait) and fails on any sideways overflow. */
async function capture(name: string) {
  for (const [orientation, size] of [
    ['landscape', VIEWPORTS.landscape],
    ['portrait', VIEWPORTS.portrait],
  ] as const) {
    await page.setViewportSize(size);
    await page.waitForTimeout(150);
    await screenshot(page, `setup-${name}-${orientation}`);
    expect(await horizontalOverflow(page), `${name} at ${orientation}`).toBeLessThanOrEqual(0);
  }
  await page.setViewportSize(VIEWPORTS.landscape);
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

const statusOf = (n: number) => server.app.db.select().from(entries).where(eq(entries.id, entryOf.get(n)!)).get()!.status;
const difficultyOf = (n: number) => server.app.db.select().from(roundEntries).where(eq(roundEntries.entryId, entryOf.get(n)!)).get()!.difficulty;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  ({ context, page } = await newPage(browser, 'landscape'));
  page.on('pageerror', (err) => pageErrors.push(err.message));
  // A new event of the demo's running county competition: eight drawn entrants, all waiting,
  // scored on theory plus a practical part that takes a difficulty coefficient.
  const feixi = server.app.db.select().from(competitions).where(eq(competitions.name, demoCompetitionName(server, '肥西县职工职业技能大赛'))).get()!;
  event = makeEvent(server.app, { competitionId: feixi.id, name: '汽车维修' });
  for (let n = 1; n <= 8; n++) {
    const person = makePerson(server.app, { orgId: feixi.orgId, name: `检录选手${n}`, idNumber: residentId(n) });
    entryOf.set(n, makeEntry(server.app, event, { personId: person.id, drawnNumber: n, status: n === 8 ? 'disqualified' : 'registered', disqualifiedReason: n === 8 ? '资格不符' : null }).id);
  }
  base = `${server.base}/org/competitions/${feixi.id}/events/${event.id}`;
  // Seeding the demo (scrypt for its accounts) and starting Chromium take 6 s on an idle 2-core
  // machine; the default 10 s hook timeout left no room while other suites share the cores.
}, 30_000);
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

describe('bulk check-in at the desk', () => {
  it('signs in as the county organiser', async () => {
    await page.goto(`${server.base}/login`);
    await page.locator('#u').fill('organiser');
    await page.locator('#p').fill('Demo@2026!');
    await page.getByRole('button', { name: '登录' }).last().click();
    await page.waitForURL(`${server.base}/org`);
  });

  it('checks in numbers and ID numbers typed or scanned in a row, each with visible feedback', async () => {
    await page.goto(`${base}/checkin`);
    const count = page.getByTestId('checkin-count');
    await expect.poll(() => count.textContent()).toContain('已检录 0 / 7');
    const box = page.locator('#search');
    await box.focus();
    // A scanner types fast and presses Enter after each code; nothing waits in between.
    await page.keyboard.type('1\n2\n', { delay: 5 });
    await page.keyboard.type(`${residentId(3)}\n`, { delay: 2 });
    await page.keyboard.type('99\n1\n８\n', { delay: 5 });
    const feed = page.locator('[data-testid=scan-latest] li, [data-testid=scan-earlier] li');
    await expect.poll(() => feed.evaluateAll((els) => els.map((e) => e.getAttribute('data-outcome')))).toEqual([
      'not_checkable',
      'already_checked_in',
      'unknown',
      'checked_in',
      'checked_in',
      'checked_in',
    ]);
    expect(await feed.nth(3).textContent()).toContain('检录选手3');
    expect(await feed.nth(3).textContent()).toContain('340123********');
    expect(await feed.nth(2).textContent()).toContain('无此检录号');
    await expect.poll(() => count.textContent()).toContain('已检录 3 / 7');
    expect([1, 2, 3, 4].map(statusOf)).toEqual(['checked_in', 'checked_in', 'checked_in', 'registered']);
    // The box is empty again, ready for the next scan.
    expect(await box.inputValue()).toBe('');
    await capture('checkin-scan');
  });

  it('sends a pasted list as one batch', async () => {
    await page.locator('#search').focus();
    await page.locator('#search').evaluate((el) => {
      const data = new DataTransfer();
      data.setData('text/plain', '4\n5\n6\n');
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true, composed: true }));
    });
    await expect.poll(() => page.getByTestId('checkin-count').textContent()).toContain('已检录 6 / 7');
    expect([4, 5, 6, 7].map(statusOf)).toEqual(['checked_in', 'checked_in', 'checked_in', 'registered']);
    expect(await page.getByTestId('scan-latest').locator('li').getAttribute('data-outcome')).toBe('checked_in');
    expect(await smallTargets()).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

describe('the difficulty grid', () => {
  it('takes coefficients down a column from the keyboard, checks them as typed, and saves them in one go', async () => {
    await page.goto(`${base}/difficulty`);
    const grid = page.getByTestId('difficulty-grid');
    await grid.waitFor();
    expect(await grid.locator('tbody tr').count()).toBe(8);
    await grid.locator('input[data-row="0"][data-col="0"]').click();
    await page.keyboard.type('1.2\n1.35\n11\n', { delay: 5 });
    // 11 is out of range: the cell says so and nothing can be saved.
    await page.getByText('应在 0.5–10 之间').waitFor();
    expect(await page.getByTestId('diff-save').isDisabled()).toBe(true);
    await capture('difficulty-invalid');
    await grid.locator('input[data-row="2"][data-col="0"]').fill('1.5');
    await grid.locator('input[data-row="3"][data-col="0"]').click();
    await page.keyboard.type('１．８');
    expect(await page.getByTestId('diff-changes').textContent()).toContain('4 处修改');
    await page.keyboard.press('Control+s');
    await page.getByTestId('diff-saved').waitFor();
    expect(await page.getByTestId('diff-saved').textContent()).toContain('已保存 4 个难度系数');
    expect([1, 2, 3, 4].map((n) => difficultyOf(n).practical)).toEqual([1.2, 1.35, 1.5, 1.8]);
    expect(difficultyOf(5)).toEqual({});
    await capture('difficulty-saved');
    expect(await smallTargets()).toEqual([]);
  });

  it('shows a marked part as fixed', async () => {
    const judge = makeJudge(server.app, event.id, { name: '临时裁判' });
    server.app.db
      .insert(marks)
      .values({ roundId: event.round.id, entryId: entryOf.get(1)!, judgeId: judge.id, partId: 'practical', criterionId: 'safety', version: 1, value: 30, enteredAt: new Date() })
      .run();
    await page.reload();
    const cell = page.getByTestId('difficulty-grid').locator('input[data-row="0"][data-col="0"]');
    await cell.waitFor();
    expect(await cell.getAttribute('readonly')).not.toBeNull();
    expect(await cell.inputValue()).toBe('1.2');
    expect(await page.getByTestId('difficulty-grid').locator('tbody tr').first().textContent()).toContain('已评分');
    expect(server.app.db.select().from(people).where(and(eq(people.name, '检录选手1'))).all()).toHaveLength(1);
    expect(pageErrors).toEqual([]);
  });
});

describe('a contest that is not a trade, with an entrant from a small private firm', () => {
  it('creates an event without an occupation code', async () => {
    const feixi = server.app.db.select().from(competitions).where(eq(competitions.name, demoCompetitionName(server, '肥西县职工职业技能大赛'))).get()!;
    await page.goto(`${server.base}/org/competitions/${feixi.id}/events/new`);
    await page.locator('#name').fill('职工法律知识竞赛');
    await page.getByTestId('no-occupation').check();
    expect(await page.locator('#occCode').count()).toBe(0);
    await capture('event-no-occupation');
    await page.getByTestId('save-event').click();
    await page.waitForURL(new RegExp(`/org/competitions/${feixi.id}/events/\\d+$`));
    const quiz = server.app.db.select().from(events).where(eq(events.name, '职工法律知识竞赛')).get()!;
    expect(quiz).toMatchObject({ occupationCode: null, occupationName: null, targetLevel: null });
    await page.locator('.meta', { hasText: '非职业（工种）类竞赛' }).waitFor();
  });

  it('registers an entrant whose employer is typed in, not picked', async () => {
    await page.getByRole('button', { name: '添加选手' }).click();
    await page.locator('#idn').fill(residentId(50));
    await page.getByRole('button', { name: '查找' }).click();
    await page.locator('#np-name').fill('钱小梅');
    await page.locator('#np-employer').fill('合肥小蜜蜂家政服务有限公司');
    await capture('entrant-free-employer');
    await page.getByRole('button', { name: '报名' }).click();
    await page.getByTestId('entrant-table').getByText('钱小梅').waitFor();
    expect(await page.getByTestId('entrant-table').textContent()).toContain('合肥小蜜蜂家政服务有限公司');
    const person = server.app.db.select().from(people).where(eq(people.idNumber, residentId(50))).get()!;
    expect(person).toMatchObject({ employerId: null, employerName: '合肥小蜜蜂家政服务有限公司' });
    expect(pageErrors).toEqual([]);
  });
});

describe('training subsidies in the HR page', () => {
  it('shows the county’s rates, the year’s list with totals, and recalculates when the rates change', async () => {
    const hrAccount = server.app.db.select().from(accounts).where(eq(accounts.username, 'hr')).get()!;
    // This year in Beijing by the server's clock: the page asks the server, never the tablet's clock.
    const year = Number(chinaDate(server.app.clock.now()).slice(0, 4));
    // Three of the check-in entrants were certified this year by the county HR bureau.
    for (const [n, level] of [[1, 4], [2, 4], [3, 3]] as const)
      server.app.db
        .insert(skillCertificates)
        .values({
          personId: server.app.db.select().from(entries).where(eq(entries.id, entryOf.get(n)!)).get()!.personId,
          orgId: hrAccount.orgId,
          occupationCode: '6-31-01-03',
          occupationName: '电工',
          level,
          issueDate: `${year}-03-0${n}`,
          evaluationBody: '肥西县职业技能鉴定中心',
          basis: 'exam',
          status: 'issued',
        })
        .run();
    const hr = await newPage(browser, 'landscape');
    const hrPage = hr.page;
    hrPage.on('pageerror', (err) => pageErrors.push(err.message));
    try {
      await hrPage.goto(`${server.base}/login`);
      await hrPage.locator('#u').fill('hr');
      await hrPage.locator('#p').fill('Demo@2026!');
      await hrPage.getByRole('button', { name: '登录' }).last().click();
      await hrPage.waitForURL((u) => u.pathname !== '/login');
      await hrPage.goto(`${server.base}/hr?tab=subsidies`);
      await hrPage.getByTestId('subsidy-totals').waitFor();
      expect(await hrPage.getByTestId('subsidy-source').textContent()).toContain('本单位的补贴标准');
      expect(await hrPage.locator('#rate-4').inputValue()).toBe('1500');
      expect(await hrPage.locator('#rate-3').inputValue()).toBe('2000');
      expect(await hrPage.getByTestId('subsidy-sum').textContent()).toBe('5,000');
      expect(await hrPage.getByTestId('subsidy-rows').locator('tbody tr').count()).toBe(3);
      expect(await hrPage.getByTestId('subsidy-export').getAttribute('href')).toBe(`/api/certificates/subsidies/export?year=${year}`);
      page = hrPage;
      await capture('hr-subsidies');
      await hrPage.locator('#rate-4').fill('1600');
      await hrPage.getByTestId('subsidy-save').click();
      await hrPage.getByTestId('subsidy-notice').waitFor();
      await expect.poll(() => hrPage.getByTestId('subsidy-sum').textContent()).toBe('5,200');
      expect(await smallTargets()).toEqual([]);
      expect(pageErrors).toEqual([]);
    } finally {
      await hr.context.close();
    }
  });
});
