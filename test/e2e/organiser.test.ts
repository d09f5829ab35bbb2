import ExcelJS from 'exceljs';
import { and, asc, eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { competitions, entries, events, judgeAssignments, judges, panelSeats, people, rounds } from '../../db/schema.ts';
import { residentIdCheckChar } from '../../server/domain/resident-id.ts';
import { demoCompetitionName, horizontalOverflow, launchBrowser, newPage, screenshot, startServer, VIEWPORTS, type E2eServer } from './helpers/browser.ts';

let server: E2eServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Uncaught errors in the page: there should be none. */
const pageErrors: string[] = [];

/** Born 1970-01-01 in 肥西县: outside every demo birth range, so no clash with demo people. */
function residentId(seq: number): string {
  const first17 = `34012319700101${String(seq).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

/** The running demo competition (its year follows the day the demo data is created). */
let FEIXI: string;
const ENTRANTS = ['郭文博', '何晓燕', '罗振华', '宋佳琪', '唐德胜', '许梦瑶'];

/**
 * Screenshots the page at 1024×768 and at 768×1024 (org-<name>-landscape / -portrait) and fails
 * if either scrolls sideways. Leaves the page in landscape.
 */
async function capture(name: string) {
  for (const [orientation, size] of [
    ['landscape', VIEWPORTS.landscape],
    ['portrait', VIEWPORTS.portrait],
  ] as const) {
    await page.setViewportSize(size);
    await page.waitForTimeout(150);
    await screenshot(page, `org-${name}-${orientation}`);
    expect(await horizontalOverflow(page), `${name} at ${orientation}`).toBeLessThanOrEqual(0);
    // base.css hides the body's sideways overflow, so also look for anything drawn past the right edge.
    expect(await pastRightEdge(), `${name} at ${orientation}`).toEqual([]);
  }
  await page.setViewportSize(VIEWPORTS.landscape);
}

/** Elements (shadow roots included) whose box ends right of the viewport. */
async function pastRightEdge(): Promise<string[]> {
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

/** Every visible interactive control is at least 44 px high (inputs of type checkbox/radio sit in 44 px labels). */
async function smallTargets(): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const walk = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll<HTMLElement>('*')) {
        if (el.shadowRoot) walk(el.shadowRoot);
        const tag = el.tagName.toLowerCase();
        const interactive = tag === 'button' || tag === 'select' || (tag === 'input' && !['checkbox', 'radio', 'file', 'hidden'].includes((el as HTMLInputElement).type));
        if (!interactive) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue; // hidden
        if (r.height < 43.5) out.push(`${tag} "${(el.textContent || (el as HTMLInputElement).value || el.getAttribute('aria-label') || '').trim().slice(0, 20)}" ${r.height}px`);
      }
    };
    walk(document);
    return out;
  });
}

function csv(rows: string[][]): Buffer {
  return Buffer.from('\uFEFF' + rows.map((r) => r.join(',')).join('\r\n') + '\r\n', 'utf8');
}

beforeAll(async () => {
  server = await startServer();
  FEIXI = demoCompetitionName(server, '肥西县职工职业技能大赛');
  browser = await launchBrowser();
  ({ context, page } = await newPage(browser, 'landscape'));
  page.on('pageerror', (err) => pageErrors.push(err.message));
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

describe('organiser pages', () => {
  let competitionId: number;
  let eventId: number;

  it('signs in at /login and lands on the dashboard of 肥西县总工会', async () => {
    await page.goto(`${server.base}/login`);
    await page.locator('#u').fill('organiser');
    await page.locator('#p').fill('Demo@2026!');
    await page.getByRole('button', { name: '登录' }).last().click();
    await page.waitForURL(`${server.base}/org`);
    await page.getByText('肥西县总工会 · 竞赛概览').waitFor();
    // The demo: three competitions of the county (all B-level), 42 entrants, 40 checked in.
    await expect.poll(() => page.getByTestId('stat-competitions').locator('.value').textContent()).toBe('3');
    expect(await page.getByTestId('stat-entrants').textContent()).toContain('已检录 40 人');
    expect(await page.getByTestId('active-list').textContent()).toContain(FEIXI);
    await capture('dashboard');
    expect(await smallTargets()).toEqual([]);
  });

  it('lists and filters competitions and opens one', async () => {
    await page.locator('nav.top a', { hasText: '竞赛管理' }).click();
    await page.getByTestId('competition-list').waitFor();
    await page.locator('select#status').selectOption('final');
    await expect.poll(() => page.getByTestId('competition-list').locator('li').count()).toBe(2);
    expect(await page.getByTestId('competition-list').textContent()).toContain(demoCompetitionName(server, '肥西县焊工技能竞赛'));
    expect(await page.getByTestId('competition-list').textContent()).toContain(demoCompetitionName(server, '肥西县电工技能竞赛'));
    await page.locator('select#status').selectOption('');
    await expect.poll(() => page.getByTestId('competition-list').locator('li').count()).toBe(3);
    await capture('competitions');
    await page.getByText(FEIXI).first().click();
    competitionId = server.app.db.select().from(competitions).where(eq(competitions.name, FEIXI)).get()!.id;
    await page.waitForURL(`${server.base}/org/competitions/${competitionId}`);
    await page.getByTestId('event-list').getByRole('link', { name: '无人机驾驶' }).waitFor();
    await capture('competition');
    expect(await smallTargets()).toEqual([]);
  });

  it('creates a competition with organiser tags and moves it to registration', async () => {
    await page.goto(`${server.base}/org/competitions/new`);
    await page.locator('#name').fill('2026年肥西县维修电工技能竞赛');
    await page.locator('label', { hasText: 'C级' }).click();
    // Save without an organiser: the form says what is missing and stays.
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('至少填写一个主办单位').waitFor();
    const organisers = page.getByTestId('organisers').locator('input');
    await organisers.fill('肥西县总工会');
    await organisers.press('Enter');
    await organisers.fill('肥西县人力资源和社会保障局');
    await organisers.press('Enter');
    await page.locator('#start').fill('2026-12-05');
    await page.locator('#end').fill('2026-12-01');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('结束日期不能早于开始日期').waitFor();
    await capture('competition-form');
    await page.locator('#end').fill('2026-12-06');
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/\/org\/competitions\/\d+$/);
    const created = server.app.db.select().from(competitions).where(eq(competitions.name, '2026年肥西县维修电工技能竞赛')).get()!;
    expect(created).toMatchObject({ grade: 'C', status: 'draft', organisers: ['肥西县总工会', '肥西县人力资源和社会保障局'], startDate: '2026-12-05' });
    await page.getByTestId('advance').click();
    await page.locator('sc-confirm [data-testid=confirm]').click();
    await page.getByText('竞赛已进入“报名中”阶段').waitFor();
    expect(server.app.db.select().from(competitions).where(eq(competitions.id, created.id)).get()!.status).toBe('registration');
  });

  it('refuses to save an event whose weights do not add up to 100, then saves the fixed scheme', async () => {
    await page.goto(`${server.base}/org/competitions/${competitionId}/events/new`);
    await page.locator('#name').fill('焊工');
    await page.locator('#occName').fill('焊工');
    await page.locator('#occCode').fill('6-18-02-04');
    await page.locator('#minEntrants').fill('5');
    const total = page.getByTestId('weight-total');
    await expect.poll(() => total.textContent()).toContain('权重合计 100%');
    await page.getByTestId('weight-0').fill('40');
    await expect.poll(() => total.textContent()).toContain('各部分权重合计为 110%，应为 100%');
    expect(await total.textContent()).not.toContain('✓');
    const eventsBefore = server.app.db.select().from(events).where(eq(events.competitionId, competitionId)).all().length;
    await page.getByTestId('save-event').click();
    await page.getByTestId('blocked').waitFor();
    expect(page.url()).toBe(`${server.base}/org/competitions/${competitionId}/events/new`);
    expect(server.app.db.select().from(events).where(eq(events.competitionId, competitionId)).all()).toHaveLength(eventsBefore);
    // A rubric whose criteria do not add up to the part's maximum is caught too.
    await page.locator('sc-scheme-editor').getByLabel('分值 2').fill('70');
    await expect.poll(() => page.getByTestId('criteria-total-1').textContent()).toContain('细则合计 90 / 满分 100');
    await capture('event-form-invalid');
    expect(await smallTargets()).toEqual([]);
    await page.locator('sc-scheme-editor').getByLabel('分值 2').fill('80');
    await page.getByTestId('weight-0').fill('30');
    await expect.poll(() => total.textContent()).toContain('权重合计 100% ✓');
    await page.getByTestId('save-event').click();
    await page.waitForURL(new RegExp(`/org/competitions/${competitionId}/events/\\d+$`));
    const saved = server.app.db.select().from(events).where(and(eq(events.competitionId, competitionId), eq(events.name, '焊工'))).get()!;
    eventId = saved.id;
    expect(saved.scheme.parts.map((p) => [p.role, p.weight])).toEqual([
      ['theory', 30],
      ['practical', 70],
    ]);
    expect(saved.scheme.parts[1]!.criteria.map((c) => c.max)).toEqual([20, 80]);
    await page.getByText('还没有参赛选手').waitFor();
  });

  it('shows the server’s field error next to the ID number when adding one entrant', async () => {
    await page.getByRole('button', { name: '添加选手' }).click();
    const bad = residentId(900).slice(0, 17) + (residentId(900).endsWith('1') ? '2' : '1');
    await page.locator('#idn').fill(bad);
    await page.getByRole('button', { name: '查找' }).click();
    await page.locator('#np-name').fill('江海军');
    await page.getByRole('button', { name: '报名' }).click();
    await page.locator('.field-error', { hasText: '身份证号校验位错误' }).waitFor();
    expect(await page.locator('#idn').getAttribute('aria-invalid')).toBe('true');
    await capture('entrant-add-error');
  });

  it('imports a CSV: a bad row is reported and nothing stored, then a good file goes in with the bar at 100 %', async () => {
    await page.goto(`${server.base}/org/competitions/${competitionId}/events/${eventId}/import`);
    // The template is an .xlsx: the Chinese headers and an example row (which the import skips).
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('template').click()]);
    expect(download.suggestedFilename()).toBe('参赛选手导入模板.xlsx');
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const template = new ExcelJS.Workbook();
    await template.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    expect((template.worksheets[0]!.getRow(1).values as unknown[]).slice(1)).toEqual(['姓名', '身份证号', '手机号', '工作单位', '代表队', '职业编码', '职业名称', '技能等级']);
    expect(String((template.worksheets[0]!.getRow(2).values as unknown[])[1])).toMatch(/^（示例）/);
    const header = ['姓名', '身份证号', '手机号', '工作单位', '代表队', '技能等级'];
    const good = ENTRANTS.map((name, i) => [name, residentId(100 + i), `1390000000${i}`, '合肥翔宇无人机科技有限公司', i % 2 ? '桃花工业园工会' : '上派镇工会', '中级工']);
    const badRow = [...good[2]!];
    badRow[1] = badRow[1]!.slice(0, 17) + (badRow[1]!.endsWith('1') ? '2' : '1');
    await page.getByTestId('file-input').setInputFiles({ name: '报名表-有错.csv', mimeType: 'text/csv', buffer: csv([header, good[0]!, good[1]!, badRow]) });
    const report = page.getByTestId('import-report');
    await report.getByText('有 1 行存在问题').waitFor();
    const errorRow = page.getByTestId('import-errors').locator('tr[data-row="4"]');
    expect(await errorRow.textContent()).toContain('第 4 行');
    expect(await errorRow.textContent()).toContain('身份证号');
    expect(await errorRow.textContent()).toContain('校验位错误');
    expect(await page.getByTestId('import-go').count()).toBe(0);
    expect(server.app.db.select().from(entries).where(eq(entries.eventId, eventId)).all()).toHaveLength(0);
    await capture('import-errors');
    expect(await smallTargets()).toEqual([]);

    await page.getByTestId('file-input').setInputFiles({ name: '报名表.csv', mimeType: 'text/csv', buffer: csv([header, ...good]) });
    await report.getByText(`全部 ${ENTRANTS.length} 行检查无误`).waitFor();
    await page.getByTestId('import-go').click();
    await page.getByTestId('import-done').waitFor();
    expect(await page.getByTestId('import-done').textContent()).toContain(`新报名 ${ENTRANTS.length} 人`);
    await expect.poll(() => page.getByTestId('progress-value').textContent()).toBe('100 %');
    expect(await page.locator('sc-progress [role=progressbar]').getAttribute('aria-valuenow')).toBe('100');
    await capture('import-done');
    expect(server.app.db.select().from(entries).where(eq(entries.eventId, eventId)).all()).toHaveLength(ENTRANTS.length);

    await page.getByTestId('view-entrants').click();
    await page.getByTestId('entrant-table').waitFor();
    for (const name of ENTRANTS) await page.getByTestId('entrant-table').getByText(name).waitFor();
    expect(await page.getByTestId('entrant-total').textContent()).toContain(`共 ${ENTRANTS.length} 人`);
    await capture('entrants');
  });

  it('draws lots after confirming and shows the number → entrant table', async () => {
    await page.locator('nav.tabs a[data-tab=draw]').click();
    await page.getByText('尚未抽签').waitFor();
    await page.getByTestId('draw').click();
    await page.locator('sc-confirm [data-testid=confirm]').click();
    await page.getByTestId('draw-done').waitFor();
    const rows = page.getByTestId('draw-table').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(ENTRANTS.length);
    const numbers = server.app.db.select().from(entries).where(eq(entries.eventId, eventId)).all().map((e) => e.drawnNumber).sort((a, b) => a! - b!);
    expect(numbers).toEqual(ENTRANTS.map((_, i) => i + 1));
    expect(await rows.first().locator('td').first().textContent()).toBe('1');
    await capture('draw');
  });

  it('checks an entrant in from the search box and counts it', async () => {
    await page.locator('nav.tabs a[data-tab=checkin]').click();
    const count = page.getByTestId('checkin-count');
    await expect.poll(() => count.textContent()).toContain(`已检录 0 / ${ENTRANTS.length}`);
    await capture('checkin');
    await page.locator('#search').fill('罗振华');
    await page.getByRole('button', { name: '罗振华 检录' }).click();
    await expect.poll(() => count.textContent()).toContain(`已检录 1 / ${ENTRANTS.length}`);
    // By number and Enter: the one match is checked in.
    const song = server.app.db.select().from(entries).where(eq(entries.eventId, eventId)).all();
    const target = song.find((e) => e.status === 'registered')!;
    await page.locator('#search').fill(String(target.drawnNumber));
    await page.locator('#search').press('Enter');
    await expect.poll(() => count.textContent()).toContain(`已检录 2 / ${ENTRANTS.length}`);
    const statuses = server.app.db.select().from(entries).where(eq(entries.eventId, eventId)).all().filter((e) => e.status === 'checked_in');
    expect(statuses.map((e) => e.id)).toContain(target.id);
    await page.locator('#search').fill('');
    await capture('checkin-done');
    expect(await smallTargets()).toEqual([]);
  });

  it('edits an entrant (name, phone, delegation) and records another’s withdrawal with a staff-only note', async () => {
    await page.locator('nav.tabs a[data-tab=entrants]').click();
    await page.getByTestId('entrant-table').waitFor();
    const list = server.app.db.select().from(entries).where(eq(entries.eventId, eventId)).orderBy(asc(entries.id)).all();
    const [first, second] = [list[0]!, list[1]!];
    await page.getByTestId(`edit-${first.id}`).click();
    const form = page.getByTestId('edit-entrant');
    await form.waitFor();
    expect(await page.locator('#ed-name').inputValue()).toBe(ENTRANTS[0]);
    await page.locator('#ed-phone').fill('1234');
    await page.getByTestId('save-entrant').click();
    await form.locator('.field-error').first().waitFor();
    expect(await page.locator('#ed-phone').getAttribute('aria-invalid')).toBe('true');
    await capture('entrant-edit');
    expect(await smallTargets()).toEqual([]);
    await page.locator('#ed-name').fill('郭文博（改）');
    await page.locator('#ed-phone').fill('13912345678');
    await page.locator('#ed-deleg').selectOption({ label: '桃花工业园工会' });
    await page.getByTestId('save-entrant').click();
    await page.getByTestId('entrant-saved').getByText('郭文博（改） 的信息已保存').waitFor();
    await page.getByTestId('entrant-table').getByText('郭文博（改）').waitFor();
    const person = server.app.db.select().from(people).where(eq(people.id, first.personId)).get()!;
    expect(person).toMatchObject({ name: '郭文博（改）', phone: '13912345678' });

    await page.getByTestId(`edit-${second.id}`).click();
    await page.locator('#ed-note').fill('家中急事，实操未参加');
    await page.getByTestId('withdraw-entrant').click();
    await page.getByTestId('entrant-saved').getByText(`${ENTRANTS[1]} 已登记退赛`).waitFor();
    const row = page.getByTestId('entrant-table').locator('tr', { hasText: ENTRANTS[1]! });
    await row.getByText('退赛').waitFor();
    await row.getByText('家中急事，实操未参加').waitFor();
    expect(server.app.db.select().from(entries).where(eq(entries.id, second.id)).get()).toMatchObject({ status: 'withdrawn', statusNote: '家中急事，实操未参加' });
    await capture('entrant-withdrawn');
  });

  it('turns the single round into a preliminary with an advancement rule and adds a final', async () => {
    await page.locator('nav.tabs a[data-tab=rounds]').click();
    await page.getByTestId('round-list').getByText('1. 决赛').waitFor();
    await page.getByTestId('round-list').getByRole('button', { name: '编辑' }).click();
    await page.locator('#editrn').fill('预赛');
    await page.locator('#editrk').selectOption('preliminary');
    await page.locator('#editra').selectOption('top_n');
    await page.locator('#editrv').fill('4');
    await page.getByTestId('round-list').getByRole('button', { name: '保存' }).click();
    await page.getByTestId('round-list').getByText('前 4 名晋级').waitFor();
    await page.locator('#rn').fill('决赛');
    await page.locator('#rc').selectOption('previous');
    await page.getByRole('button', { name: '添加到最后' }).click();
    await page.getByTestId('round-list').getByText('2. 决赛').waitFor();
    const list = server.app.db.select().from(rounds).where(eq(rounds.eventId, eventId)).orderBy(asc(rounds.seq)).all();
    expect(list.map((r) => [r.name, r.kind, r.carryOver, r.advancement?.rule])).toEqual([
      ['预赛', 'preliminary', 'none', { kind: 'top_n', n: 4 }],
      ['决赛', 'final', 'previous', undefined],
    ]);
  });

  it('gives the final a scheme of its own (other weights, other tie-break), chosen by round in the scheme editor', { timeout: 60_000 }, async () => {
    await page.locator('nav.tabs a[data-tab=edit]').click();
    await page.getByTestId('scheme-targets').waitFor();
    await page.getByTestId('scheme-target-2').click();
    await page.getByTestId('round-inherits-note').waitFor();
    await page.getByTestId('round-own').check();
    // The final starts as a copy of the event's scheme: 30 / 70.
    await expect.poll(() => page.getByTestId('weight-total').textContent()).toContain('权重合计 100% ✓');
    await page.getByTestId('weight-0').fill('20');
    await expect.poll(() => page.getByTestId('weight-total').textContent()).toContain('各部分权重合计为 90%');
    await page.getByTestId('save-round-scheme').click();
    await page.getByTestId('blocked').waitFor();
    await page.getByTestId('weight-1').fill('80');
    // Tie-breaks of the final: theory first.
    const tb = page.locator('sc-scheme-editor ol.tb li');
    await tb.filter({ hasText: '理论' }).getByRole('button', { name: /上移|↑/ }).first().click();
    await tb.filter({ hasText: '理论' }).getByRole('button', { name: /上移|↑/ }).first().click();
    await page.evaluate(() => window.scrollTo(0, 0));
    await capture('round-scheme');
    expect(await smallTargets()).toEqual([]);
    await page.getByTestId('save-round-scheme').click();
    await page.getByText('已保存').first().waitFor();
    const final = server.app.db.select().from(rounds).where(and(eq(rounds.eventId, eventId), eq(rounds.seq, 2))).get()!;
    expect(final.scheme!.parts.map((p) => [p.role, p.weight])).toEqual([
      ['theory', 20],
      ['practical', 80],
    ]);
    expect(final.scheme!.tieBreaks[0]).toBe('theory');
    // The event's own scheme and the preliminary are unchanged.
    expect(server.app.db.select().from(events).where(eq(events.id, eventId)).get()!.scheme.parts.map((p) => p.weight)).toEqual([30, 70]);
    await page.locator('nav.tabs a[data-tab=rounds]').click();
    await expect.poll(() => page.getByTestId('round-scheme-2').textContent()).toContain('单独方案');
    expect(await page.getByTestId('round-scheme-1').textContent()).toContain('沿用赛项');
    await capture('rounds-schemes');

    // A reserve (替补) for the final: any entrant still in the event and not in it can be put in.
    await page.getByTestId('reserves-2').click();
    const lineup = page.getByTestId('lineup');
    await lineup.getByTestId('reserve-select').waitFor();
    const options = await lineup.getByTestId('reserve-select').locator('option').allTextContents();
    expect(options.some((o) => o.includes(ENTRANTS[1]!))).toBe(false); // withdrew: cannot take a place
    await lineup.getByTestId('reserve-select').selectOption({ label: options.find((o) => o.includes('罗振华'))! });
    await page.locator('#why-' + String(server.app.db.select().from(rounds).where(and(eq(rounds.eventId, eventId), eq(rounds.seq, 2))).get()!.id)).fill('替补上场');
    await lineup.getByTestId('put-in').click();
    await lineup.getByText('罗振华 已进入本轮').waitFor();
    await capture('round-reserve');
    expect(await smallTargets()).toEqual([]);
  });

  it('shows the judges, rounds, scheme and delegations pages without sideways scrolling', { timeout: 60_000 }, async () => {
    const drone = server.app.db.select().from(events).where(eq(events.name, '无人机驾驶')).get()!;
    await page.goto(`${server.base}/org/competitions/${competitionId}/events/${drone.id}/judges`);
    await page.getByTestId('judge-table').getByText('裴光明').waitFor();
    await page.getByTestId('panel-grid').waitFor();
    await capture('judges');
    // A supervisor from a school, then a plain judge: after each add, the form shows what the next will really be saved with.
    await page.locator('#jn').fill('钱学军');
    await page.locator('#je').fill('肥西县职业技术学校');
    await page.locator('#jr').selectOption('supervisor');
    await page.getByRole('button', { name: '添加', exact: true }).click();
    await page.getByTestId('judge-table').getByText('钱学军').waitFor();
    expect(await page.locator('#jr').inputValue()).toBe('judge');
    expect(await page.locator('#je').inputValue()).toBe('');
    expect(await page.locator('#jn').inputValue()).toBe('');
    // The employer chosen was saved (recusal depends on it).
    expect(server.app.db.select().from(judges).where(eq(judges.name, '钱学军')).get()!.employerId).not.toBeNull();
    await page.getByTestId('judge-table').locator('tr', { hasText: '钱学军' }).getByRole('button', { name: '发放裁判码' }).click();
    await page.locator('sc-confirm [data-testid=confirm]').click();
    // The code is shown once, as a printable slip.
    const slip = page.locator('sc-judge-slips [data-testid^="judge-slip-"]');
    await slip.waitFor();
    expect(await slip.getByTestId('slip-code').textContent()).toMatch(/^[A-Z0-9]{8}$/);
    expect(await slip.getByTestId('slip-name').textContent()).toBe('钱学军');
    await page.getByTestId('close-slips').click();
    await page.getByTestId('judge-table').waitFor();

    await page.goto(`${server.base}/org/competitions/${competitionId}/events/${drone.id}/rounds`);
    await page.getByTestId('round-list').getByText('1. 决赛').waitFor();
    await capture('rounds');

    // The demo event has marks: the server refuses a scheme change and the form says why.
    await page.goto(`${server.base}/org/competitions/${competitionId}/events/${drone.id}/edit`);
    await page.getByTestId('weight-total').waitFor();
    await capture('scheme-edit');
    // A valid but different scheme (40/30 → 45/25).
    await page.getByTestId('weight-1').fill('45');
    await page.getByTestId('weight-2').fill('25');
    await expect.poll(() => page.getByTestId('weight-total').textContent()).toContain('权重合计 100% ✓');
    await page.getByTestId('save-event').click();
    await page.getByTestId('error-banner').getByText('已有裁判评分，不能再修改').waitFor();
    // Chinese only: the server's English sentence is not shown under the translation.
    expect(await page.getByTestId('error-banner').locator('.detail').count()).toBe(0);
    expect(await page.getByTestId('error-banner').innerText()).not.toMatch(/[A-Za-z]{3,}/);

    await page.goto(`${server.base}/org/competitions/${competitionId}/delegations`);
    await page.getByTestId('delegation-table').getByText('合肥翔宇无人机科技有限公司').waitFor();
    await page.getByTestId('admin-only').waitFor();
    await capture('delegations');
  });

  it('seats panels by ticking judges × parts, warns of a panel below the minimum, and prints every code on A4 slips', { timeout: 60_000 }, async () => {
    const event = server.app.db.select().from(events).where(eq(events.id, eventId)).get()!;
    const practical = event.scheme.parts.find((p) => p.marking !== 'objective')!;
    await page.goto(`${server.base}/org/competitions/${competitionId}/events/${eventId}/judges`);
    await page.getByTestId('panel-grid').waitFor();
    for (const name of ['甲评委', '乙评委']) {
      await page.locator('#jn').fill(name);
      await page.getByRole('button', { name: '添加', exact: true }).click();
      await page.getByTestId('judge-table').getByText(name).waitFor();
    }
    // A judge of another event of the competition joins too: one person, one code.
    await page.getByTestId('mode-existing').check();
    const drone = server.app.db.select().from(events).where(eq(events.name, '无人机驾驶')).get()!;
    const droneJudge = server.app.db
      .select({ id: judges.id, name: judges.name })
      .from(judgeAssignments)
      .innerJoin(judges, eq(judges.id, judgeAssignments.judgeId))
      .where(and(eq(judgeAssignments.eventId, drone.id), eq(judgeAssignments.role, 'judge')))
      .all()[0]!;
    await page.locator('#jx').selectOption(String(droneJudge.id));
    await page.getByRole('button', { name: '添加', exact: true }).click();
    await page.getByTestId('judge-table').getByText(droneJudge.name).waitFor();
    expect(await page.getByTestId('judge-table').locator('tr', { hasText: droneJudge.name }).textContent()).toContain('同时任职：无人机驾驶');

    // Tick two judges for the practical part: a panel of two is below the minimum of three.
    const ids = server.app.db
      .select({ id: judges.id, name: judges.name })
      .from(judgeAssignments)
      .innerJoin(judges, eq(judges.id, judgeAssignments.judgeId))
      .where(eq(judgeAssignments.eventId, eventId))
      .all();
    const idOf = (name: string) => ids.find((j) => j.name === name)!.id;
    expect(await page.getByTestId(`size-${practical.id}`).textContent()).toContain(`未设置（按方案 ${practical.expectedMarks} 人）`);
    await page.getByTestId(`seat-${idOf('甲评委')}-${practical.id}`).check();
    await page.getByTestId(`seat-${idOf('乙评委')}-${practical.id}`).check();
    await expect.poll(() => page.getByTestId(`size-${practical.id}`).textContent()).toContain('2 人');
    expect(await page.getByTestId(`size-${practical.id}`).textContent()).toContain(`少于最少评分人数 ${practical.minMarks}`);
    await page.getByTestId('save-panels').click();
    await page.getByTestId('panels-saved').waitFor();
    const round = server.app.db.select().from(rounds).where(eq(rounds.eventId, eventId)).orderBy(asc(rounds.seq)).all()[0]!;
    const seated = () => server.app.db.select().from(panelSeats).where(eq(panelSeats.roundId, round.id)).all().map((x) => x.judgeId).sort();
    expect(seated()).toEqual([idOf('甲评委'), idOf('乙评委')].sort());
    // A third judge makes the panel big enough.
    await page.getByTestId(`seat-${droneJudge.id}-${practical.id}`).check();
    await expect.poll(() => page.getByTestId(`size-${practical.id}`).textContent()).toContain('3 人');
    expect(await page.getByTestId(`size-${practical.id}`).textContent()).not.toContain('少于');
    await page.getByTestId('save-panels').click();
    await expect.poll(() => seated().length).toBe(3);
    await capture('judges-panels');
    expect(await smallTargets()).toEqual([]);

    // Every code of the event at once, shown right away as A4 slips.
    await page.getByTestId('bulk-codes').click();
    await page.locator('sc-confirm [data-testid=confirm]').click();
    const slips = page.locator('sc-judge-slips [data-testid^="judge-slip-"]');
    await slips.first().waitFor();
    expect(await slips.count()).toBe(3);
    await page.locator('sc-judge-slips [data-testid="slip-qr"]').nth(2).waitFor();
    const other = page.locator(`sc-judge-slips [data-testid="judge-slip-${droneJudge.id}"]`);
    expect(await other.getByTestId('slip-events').textContent()).toContain('无人机驾驶 · 裁判员');
    expect(await other.getByTestId('slip-events').textContent()).toContain('焊工 · 裁判员');
    expect(await other.getByTestId('slip-expiry').textContent()).toMatch(/有效期至 \d{4}-\d{2}-\d{2} 23:59（北京时间）/);
    const code = (await other.getByTestId('slip-code').textContent())!.trim();
    const login = await fetch(`${server.base}/api/auth/judge-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    expect(((await login.json()) as { events: unknown[] }).events).toHaveLength(2);
    await capture('judge-slips');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#sc-slips-print .slip').count()).toBe(3);
    await screenshot(page, 'org-judge-slips-print');
    await page.emulateMedia({ media: 'screen' });
    await page.getByTestId('close-slips').click();

    // The competition's judges: each person once, with every event they sit on.
    await page.goto(`${server.base}/org/competitions/${competitionId}/judges`);
    const row = page.getByTestId('competition-judges').locator(`tr[data-judge="${droneJudge.id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('无人机驾驶');
    expect(await row.textContent()).toContain('焊工');
    await capture('competition-judges');
  });

  it('raised no uncaught error in the page', () => {
    expect(pageErrors).toEqual([]);
  });

  it('speaks English on request', { timeout: 60_000 }, async () => {
    await page.goto(`${server.base}/org`);
    await page.getByTestId('lang').click();
    await page.getByText('肥西县总工会 · Overview').waitFor();
    await capture('dashboard-en');
    await page.goto(`${server.base}/org/competitions/${competitionId}/events/${eventId}/edit`);
    await page.getByText('Weights add up to 100%').waitFor();
    await capture('scheme-edit-en');
    await page.getByTestId('lang').click();
  });
});
