import { and, eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entries, events, judgeAssignments, judges, marks } from '../../db/schema.ts';
import { DEMO_PASSWORD } from '../../db/seed.ts';
import { horizontalOverflow, launchBrowser, newPage, screenshot, startServer, VIEWPORTS, type E2eServer } from './helpers/browser.ts';

/**
 * The chief judge's console against the demo data (无人机驾驶: chief WRJCP001, judges WRJ00001…5),
 * with two scorers added through the organiser's API and their codes issued in the console.
 */
let server: E2eServer;
let browser: Browser;
let chief: { context: BrowserContext; page: Page };
let droneId: number;
const scorerIds: number[] = [];
const scorerCodes: string[] = [];
let judge2Id: number;
let organiserCookie: string;

type Row = { number: number; total: number };

async function fetchJson<T>(path: string, init: RequestInit & { cookie?: string } = {}): Promise<{ status: number; body: T; cookie: string | null }> {
  const res = await fetch(`${server.base}${path}`, {
    ...init,
    headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.cookie ? { cookie: init.cookie } : {}), ...(init.headers ?? {}) },
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, cookie: res.headers.get('set-cookie')?.split(';')[0] ?? null };
}

async function judgeCookie(code: string): Promise<string> {
  const res = await fetchJson('/api/auth/judge-login', { method: 'POST', body: JSON.stringify({ code }) });
  expect(res.status).toBe(200);
  return res.cookie!;
}

const publicTotal = async (number: number) =>
  (await fetchJson<{ rows: Row[] }>(`/api/public/events/${droneId}/ranking`)).body.rows.find((r) => r.number === number)!.total;

/** The console's sections, each reached by its tab. */
const TABS = ['grid', 'codes', 'corrections', 'marks', 'paper', 'release'] as const;

async function openTab(page: Page, tab: (typeof TABS)[number]) {
  await page.getByTestId(`tab-${tab}`).click();
  await expect.poll(() => page.getByTestId(`tab-${tab}`).getAttribute('aria-selected')).toBe('true');
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  droneId = server.app.db.select().from(events).where(eq(events.name, '无人机驾驶')).get()!.id;
  judge2Id = server.app.db
    .select({ id: judges.id })
    .from(judgeAssignments)
    .innerJoin(judges, eq(judges.id, judgeAssignments.judgeId))
    .where(and(eq(judgeAssignments.eventId, droneId), eq(judgeAssignments.role, 'judge')))
    .all()
    .sort((a, b) => a.id - b.id)[1]!.id;
  // Two scorers (记分员) join the panel through the organiser's API.
  const login = await fetchJson('/api/auth/login', { method: 'POST', body: JSON.stringify({ username: 'organiser', password: DEMO_PASSWORD }) });
  expect(login.status).toBe(200);
  organiserCookie = login.cookie!;
  for (const name of ['记分员甲', '记分员乙']) {
    const res = await fetchJson<{ id: number }>(`/api/events/${droneId}/judges`, { method: 'POST', cookie: login.cookie!, body: JSON.stringify({ name, role: 'scorer' }) });
    expect(res.status).toBe(201);
    scorerIds.push(res.body.id);
  }
  chief = await newPage(browser, 'landscape');
});
afterAll(async () => {
  await chief?.context.close();
  await browser?.close();
  await server?.close();
});

describe('the chief judge’s console', () => {
  it('signs the chief judge in with the code in the link and shows the progress grid', async () => {
    const { page } = chief;
    await page.goto(`${server.base}/chief?code=WRJCP001`);
    await page.getByTestId('progress-grid').waitFor();
    expect(new URL(page.url()).searchParams.get('code')).toBeNull();
    // Number 10 has no practical marks: five empty cells; number 1 is complete.
    const row10 = page.locator('sc-chief-progress tr[data-number="10"] button.cell.none');
    expect(await row10.count()).toBe(5);
    expect(await page.locator('sc-chief-progress tr[data-number="1"] button.cell.done, sc-chief-progress tr[data-number="1"] button.cell.outlier').count()).toBe(5);
    // The summary agrees with the API.
    const cookie = await judgeCookie('WRJCP001');
    const progress = await fetchJson<{ totals: { missing: number; outliers: number } }>(`/api/events/${droneId}/progress`, { cookie });
    expect(await page.getByTestId('missing').textContent()).toBe(String(progress.body.totals.missing));
    expect(await page.getByTestId('outliers').textContent()).toBe(String(progress.body.totals.outliers));
    await page.getByTestId('grid-live').filter({ hasText: '实时' }).waitFor();
  });

  it('issues codes with QR codes for the scorers, printed as slips', async () => {
    const { page } = chief;
    await openTab(page, 'codes');
    for (const id of scorerIds) {
      await page.getByTestId(`issue-${id}`).click();
      const slip = page.locator(`sc-judge-slips [data-testid="judge-slip-${id}"]`);
      await slip.getByTestId('slip-qr').waitFor();
      expect(await slip.getByTestId('slip-qr').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
      const code = (await slip.getByTestId('slip-code').textContent())!.trim();
      expect(code).toMatch(/^[A-Z0-9]{8}$/);
      scorerCodes.push(code);
    }
    const first = page.locator(`sc-judge-slips [data-testid="judge-slip-${scorerIds[0]}"]`);
    expect(await first.textContent()).toContain(`/scorer#code=${scorerCodes[0]}`);
    expect(await first.getByTestId('slip-events').textContent()).toContain('无人机驾驶 · 记分员');
    expect(await first.getByTestId('slip-expiry').textContent()).toMatch(/有效期至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）/);
    // Print: one slip per code, nothing else of the page.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#sc-slips-print .slip').count()).toBe(2);
    expect(await page.locator('sc-app').isVisible()).toBe(false);
    await screenshot(page, 'chief-codes-print');
    await page.emulateMedia({ media: 'screen' });
  });

  it('lets two scorers enter a paper sheet blind: the second sees only that the entries disagree', async () => {
    const sheet = { ms_planning: '25', ms_imagery: '33.5', ms_report: '20' };
    const enter = async (code: string, values: Record<string, string>, viewport: 'portrait' | 'landscape') => {
      const { context, page } = await newPage(browser, viewport);
      await page.goto(`${server.base}/scorer?code=${code}`);
      await page.getByTestId(`judge-${judge2Id}`).click();
      await page.getByTestId('number').fill('10');
      if (viewport === 'portrait') await screenshot(page, 'scorer-choose-portrait');
      await page.getByTestId('open-sheet').click();
      // The flight part is not on this paper sheet: leave the sheet to the mission criteria the API takes.
      for (const [id, v] of Object.entries(values)) await page.getByTestId(`value-${id}`).fill(v);
      return { context, page };
    };
    // The scorer page asks for every criterion of the judge's sheet: fill the flight part too.
    const flight = { fl_preflight: '12', fl_figure8: '30', fl_hover: '24.5', fl_safety: '13' };
    const a = await enter(scorerCodes[0]!, { ...flight, ...sheet }, 'portrait');
    await screenshot(a.page, 'scorer-form-portrait');
    expect(await horizontalOverflow(a.page)).toBeLessThanOrEqual(0);
    await a.page.getByTestId('submit-sheet').click();
    await a.page.locator('[data-testid="sheet-state"][data-state="waiting"]').waitFor();
    await screenshot(a.page, 'scorer-waiting-portrait');

    const b = await enter(scorerCodes[1]!, { ...flight, ...sheet, ms_imagery: '38.5' }, 'landscape');
    await b.page.getByTestId('submit-sheet').click();
    await b.page.locator('[data-testid="sheet-state"][data-state="disputed"]').waitFor();
    const text = (await b.page.locator('sc-scorer-page section').allTextContents()).join(' ');
    expect(text).toContain('38.5');
    expect(text).not.toContain('33.5');
    await screenshot(b.page, 'scorer-disputed-landscape');
    expect(await horizontalOverflow(b.page)).toBeLessThanOrEqual(0);
    await a.context.close();
    await b.context.close();
    // The agreeing criteria count already; the disputed one does not.
    const stored = server.app.db.select().from(marks).where(eq(marks.judgeId, judge2Id)).all().filter((m) => m.device?.startsWith('paper:'));
    expect(stored.map((m) => m.criterionId).sort()).toEqual(['fl_figure8', 'fl_hover', 'fl_preflight', 'fl_safety', 'ms_planning', 'ms_report']);
  });

  it('shows every section without sideways scrolling on a tablet, both ways round', async () => {
    const { page } = chief;
    // A pending correction request from judge WRJ00001 on number 1, so the corrections section has one.
    const j1 = await judgeCookie('WRJ00001');
    const own = await fetchJson<{ id: number; criterionId: string; value: number }[]>('/api/judge/marks?number=1', { cookie: j1 });
    const target = own.body.find((m) => m.criterionId === 'fl_figure8')!;
    const req = await fetchJson<{ id: number }>('/api/corrections', { method: 'POST', cookie: j1, body: JSON.stringify({ markId: target.id, newValue: 0, reason: '8字绕飞航迹漏记扣分' }) });
    expect(req.status).toBe(201);
    await openTab(page, 'grid');
    await page.getByTestId('grid-refresh').click();
    await expect.poll(() => page.getByTestId('tab-corrections').textContent()).toContain('1');

    for (const viewport of ['landscape', 'portrait'] as const) {
      await page.setViewportSize(VIEWPORTS[viewport]);
      for (const tab of TABS) {
        await openTab(page, tab);
        if (tab === 'grid') await page.getByTestId('progress-grid').waitFor();
        if (tab === 'corrections') await page.getByTestId(`correction-${req.body.id}`).waitFor();
        if (tab === 'marks') {
          await page.getByTestId('marks-number').fill('1');
          await page.getByTestId('marks-number').press('Enter');
          await page.getByTestId('marks-table').waitFor();
        }
        if (tab === 'paper') await page.locator(`[data-testid="dispute-10-${judge2Id}-ms_imagery"]`).waitFor();
        if (tab === 'release') await page.getByTestId('release').waitFor();
        await screenshot(page, `chief-${tab}-${viewport}`);
        expect(await horizontalOverflow(page), `${tab} ${viewport}`).toBeLessThanOrEqual(0);
      }
    }
    // English on the narrow side too: the longer labels still fit.
    await page.getByTestId('lang').click();
    await openTab(page, 'grid');
    await page.locator('sc-chief-progress').getByText('Marks in', { exact: true }).waitFor();
    await screenshot(page, 'chief-grid-portrait-en');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.getByTestId('lang').click();
    await page.locator('sc-chief-progress').getByText('已录入 / 应录入').waitFor();
    await page.setViewportSize(VIEWPORTS.landscape);
  });

  it('approves a judge’s correction request in the console, and the ranking changes', async () => {
    const { page } = chief;
    const before = await publicTotal(1);
    await openTab(page, 'corrections');
    const card = page.locator('sc-chief-corrections [data-testid^="correction-"]').first();
    await card.waitFor();
    expect(await card.textContent()).toContain('→ 0');
    await card.locator('input').fill('已核对评分表');
    await card.getByRole('button', { name: '批准' }).click();
    await page.locator('sc-chief-corrections [data-testid="no-corrections"]').waitFor();
    await expect.poll(() => publicTotal(1), { timeout: 5000 }).not.toBe(before);
    // The grid follows through the live stream: judge 1's part mark for number 1 now lies far below the others.
    await openTab(page, 'grid');
    await expect.poll(() => page.locator('sc-chief-progress tr[data-number="1"] button.cell.outlier').count(), { timeout: 5000 }).toBeGreaterThan(0);
    await screenshot(page, 'chief-grid-after-correction');
  });

  it('settles the paper disagreement: the chosen value becomes the judge’s mark', async () => {
    const { page } = chief;
    await openTab(page, 'paper');
    const dispute = page.locator(`[data-testid="dispute-10-${judge2Id}-ms_imagery"]`);
    await dispute.getByRole('button', { name: '采用此值' }).nth(1).click();
    await dispute.getByPlaceholder('裁定说明（必填）').fill('核对原始评分表，以38.5为准');
    await dispute.getByRole('button', { name: '裁定', exact: true }).click();
    await dispute.waitFor({ state: 'detached' });
    const entry10 = server.app.db.select().from(entries).where(and(eq(entries.eventId, droneId), eq(entries.drawnNumber, 10))).get()!;
    const settled = server.app.db
      .select()
      .from(marks)
      .where(and(eq(marks.judgeId, judge2Id), eq(marks.entryId, entry10.id), eq(marks.criterionId, 'ms_imagery')))
      .all();
    expect(settled.map((m) => [m.value, m.device?.startsWith('paper-settled:')])).toEqual([[38.5, true]]);
  });

  it('corrects a mark directly and shows its trail of versions', async () => {
    const { page } = chief;
    await openTab(page, 'grid');
    await page.getByTestId(`cell-2-${judge2Id}`).click();
    await page.getByTestId('marks-table').waitFor();
    const row = page.locator('sc-chief-marks tr[data-testid^="mark-"]').first();
    const markId = Number((await row.getAttribute('data-testid'))!.slice('mark-'.length));
    await page.getByTestId(`correct-btn-${markId}`).click();
    const form = page.locator('sc-chief-marks .correct-form');
    await form.locator('input.value').fill('999');
    await form.locator('input.reason').fill('复核纸质表');
    await page.getByTestId('save-correction').click();
    await form.locator('.field-error').first().waitFor();
    await form.locator('input.value').fill('10');
    await page.getByTestId('save-correction').click();
    await form.waitFor({ state: 'detached' });
    // The correction is a new version with an id of its own, shown in the old one's place.
    await expect.poll(() => row.getAttribute('data-testid')).not.toBe(`mark-${markId}`);
    expect(await row.textContent()).toContain('v2');
    const newId = Number((await row.getAttribute('data-testid'))!.slice('mark-'.length));
    await page.getByTestId(`history-btn-${newId}`).click();
    const trail = page.getByTestId(`history-${newId}`);
    await trail.locator('li').nth(1).waitFor();
    expect(await trail.locator('li').count()).toBe(2);
    expect(await trail.textContent()).toContain('复核纸质表');
  });

  it('lets the event’s supervisor watch the grid and read judge quality (the supervision group’s), and nothing else', async () => {
    const created = await fetchJson<{ id: number }>(`/api/events/${droneId}/judges`, {
      method: 'POST',
      cookie: organiserCookie,
      body: JSON.stringify({ name: '监督员丙', role: 'supervisor' }),
    });
    const code = await fetchJson<{ code: string }>(`/api/judges/${created.body.id}/code`, { method: 'POST', cookie: organiserCookie });
    const { context, page } = await newPage(browser, 'portrait');
    await page.goto(`${server.base}/chief?code=${code.body.code}`);
    expect([created.status, code.status]).toEqual([201, 200]);
    await page.getByTestId('progress-grid').waitFor();
    // Watching: the grid, live certainty and judge quality; no marks, corrections or release.
    const tabs = await page.locator('sc-chief-page nav [role="tab"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')));
    expect(tabs.sort()).toEqual(['tab-certainty', 'tab-grid', 'tab-quality'].sort());
    await context.close();
  });

  it('closes marking, confirms the results check and releases after a confirmation: names appear', async () => {
    const { page } = chief;
    await openTab(page, 'release');
    const round = server.app.db.select().from(events).where(eq(events.id, droneId)).get()!;
    expect(round.releasedAt).toBeNull();
    await page.locator('sc-chief-release [data-testid^="close-"]').click();
    await page.getByTestId('confirm-close').click();
    await page.getByTestId('draw-rechecks').click();
    const checks = page.locator('sc-chief-release [data-testid^="check-"]');
    await checks.first().waitFor();
    while ((await checks.count()) > 0) {
      await checks.first().click();
      await page.waitForTimeout(50);
    }
    // Before releasing, the engine recomputes every total and rank from the marks alone and finds them consistent.
    await page.getByTestId('verify-results').click();
    const verified = page.getByTestId('verify-outcome');
    await verified.waitFor();
    expect(await verified.innerText()).toMatch(/^核算一致：\d+ 名选手、\d+ 条评分/);
    // …and says it is not the supervision group's check by hand.
    expect(await page.getByTestId('verify-not-recheck').innerText()).toContain('人工复核');
    // Some contestants lack marks (暂定): the release waits for a reason for each of them.
    await page.getByTestId('incomplete').waitFor();
    expect(await page.getByTestId('release').isEnabled()).toBe(false);
    const reasons = page.locator('sc-chief-release [data-testid^="reason-"]');
    const incomplete = await reasons.count();
    expect(incomplete).toBeGreaterThan(0);
    for (let i = 0; i < incomplete; i++) await reasons.nth(i).fill('演示数据：该选手评分未完成');
    await screenshot(page, 'chief-release-reasons');
    await expect.poll(() => page.getByTestId('release').isEnabled()).toBe(true);
    await page.getByTestId('release').click();
    await screenshot(page, 'chief-release-confirm');
    await page.getByTestId('confirm-release').click();
    await page.getByTestId('released').waitFor();
    expect(server.app.db.select().from(events).where(eq(events.id, droneId)).get()!.releasedAt).not.toBeNull();
    // The reasons go out with the results.
    const competitionId = server.app.db.select().from(events).where(eq(events.id, droneId)).get()!.competitionId;
    const results = await fetchJson<{ events: { eventId: number; rows: { incompleteReason: string | null }[] }[] }>(`/api/public/competitions/${competitionId}/results`);
    const published = results.body.events.find((e) => e.eventId === droneId)!;
    expect(published.rows.filter((r) => r.incompleteReason === '演示数据：该选手评分未完成')).toHaveLength(incomplete);
    await openTab(page, 'grid');
    await expect.poll(() => page.locator('sc-chief-progress tr[data-number="1"] .name').count()).toBeGreaterThan(0);
    await screenshot(page, 'chief-grid-released');
  });
});
