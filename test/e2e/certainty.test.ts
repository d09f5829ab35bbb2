import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, rounds } from '../../db/schema.ts';
import { DEMO_PASSWORD } from '../../db/seed.ts';
import { horizontalOverflow, launchBrowser, newPage, screenshot, startServer, type E2eServer } from './helpers/browser.ts';

/**
 * Live certainty in the browser, on the demo data: the chief judge's 晋级与获奖形势 tab
 * (无人机驾驶, chief WRJCP001) and the venue screen's 已锁定奖项 / 已确定晋级 badges once the
 * organiser turns them on (无人机驾驶 for prizes; 消防救援 made a preliminary with a final after it
 * for advancement).
 */
let server: E2eServer;
let browser: Browser;
let droneId: number;
let fireId: number;
let organiser: string;

type Certainty = { rows: { number: number; missing: number; prize: { guaranteedTier: number | null } | null; advancement: string | null }[] };

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

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  droneId = server.app.db.select().from(events).where(eq(events.name, '无人机驾驶')).get()!.id;
  fireId = server.app.db.select().from(events).where(eq(events.name, '消防救援')).get()!.id;
  const login = await fetchJson('/api/auth/login', { method: 'POST', body: JSON.stringify({ username: 'organiser', password: DEMO_PASSWORD }) });
  expect(login.status).toBe(200);
  organiser = login.cookie!;
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('live certainty in the chief judge’s console', () => {
  it('shows each number’s reachable range and its prize state, and follows the marks as they come', async () => {
    const { context, page } = await newPage(browser, 'landscape');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${server.base}/chief?code=WRJCP001`);
    await page.getByTestId('progress-grid').waitFor();
    await page.getByTestId('tab-certainty').click();
    const panel = page.locator('sc-chief-certainty');
    await panel.getByTestId('certainty-row-6').waitFor();

    // The console says what the API says, number by number.
    const cookie = await judgeCookie('WRJCP001');
    const api = (await fetchJson<Certainty>(`/api/events/${droneId}/certainty`, { cookie })).body;
    for (const row of api.rows) {
      const prize = await panel.getByTestId(`certainty-row-${row.number}`).getByTestId('prize-state').textContent();
      expect(prize!.startsWith('已锁定')).toBe(row.prize?.guaranteedTier != null);
    }
    // No. 6 and No. 3 (complete, 81.12 and 81.05): at worst third of 11 with four third prizes.
    expect(await panel.getByTestId('certainty-row-6').getByTestId('prize-state').textContent()).toBe('已锁定奖项（至少三等奖）');
    // No. 5 is absent: not ranked.
    expect(await panel.getByTestId('certainty-row-5').textContent()).toContain('不排名');
    expect(await panel.getByTestId('certainty-rules').textContent()).toContain('一等奖 1 名');
    await screenshot(page, 'certainty-console-1280x800');

    // No. 10 has no practical marks yet; a judge's whole sheet arrives and the console follows.
    const before = api.rows.find((r) => r.number === 10)!.missing;
    const judge = await judgeCookie('WRJ00001');
    const values: Record<string, [string, number]> = {
      fl_preflight: ['flight', 12],
      fl_figure8: ['flight', 30],
      fl_hover: ['flight', 24.5],
      fl_safety: ['flight', 13],
      ms_planning: ['mission', 25],
      ms_imagery: ['mission', 33.5],
      ms_report: ['mission', 20],
    };
    const sheet = {
      marks: Object.entries(values).map(([criterionId, [partId, value]], i) => ({ idempotencyKey: `e2e-certainty-${i}-${criterionId}`, number: 10, partId, criterionId, value })),
    };
    const sent = await fetchJson('/api/marks', { method: 'POST', cookie: judge, body: JSON.stringify(sheet) });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    await expect
      .poll(() => panel.getByTestId('certainty-row-10').locator('td').nth(4).textContent(), { timeout: 10_000 })
      .toBe(`${before - 7} 项`);

    // Only the numbers still open.
    await panel.getByTestId('certainty-filter').selectOption('open');
    expect(await panel.locator('[data-testid^="certainty-row-"]').count()).toBeLessThan(api.rows.length);
    await panel.getByTestId('certainty-filter').selectOption('all');

    // A portrait tablet: the table scrolls inside its box, the page does not.
    await page.setViewportSize({ width: 800, height: 1280 });
    await panel.getByTestId('certainty-row-6').waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'certainty-console-800x1280');

    // English on request.
    await page.evaluate(() => localStorage.setItem('sc.lang', 'en'));
    await page.reload();
    await page.getByTestId('tab-certainty').click();
    await panel.getByTestId('certainty-row-6').waitFor();
    expect(await panel.getByTestId('certainty-row-6').getByTestId('prize-state').textContent()).toBe('Prize clinched (at least 三等奖)');
    await page.evaluate(() => localStorage.setItem('sc.lang', 'zh-CN'));
    await context.close();
  }, 60_000);
});

describe('certainty on the venue screen', () => {
  it('shows no badge until the organiser turns the setting on, then 已锁定奖项 beside numbers only', async () => {
    const { context, page } = await newPage(browser, 'hall');
    await page.goto(`${server.base}/screen/event/${droneId}`);
    await page.locator('sc-screen-page [data-key="r6"]').waitFor();
    expect(await page.locator('sc-screen-page [data-testid^="clinched-"]').count()).toBe(0);

    // Turned on in the event form (the organiser's page).
    const form = await newPage(browser, 'landscape');
    const [name, ...value] = organiser.split('=');
    await form.context.addCookies([{ name: name!, value: value.join('='), url: server.base }]);
    const event = server.app.db.select().from(events).where(eq(events.id, droneId)).get()!;
    await form.page.goto(`${server.base}/org/competitions/${event.competitionId}/events/${droneId}/edit`);
    const box = form.page.getByTestId('show-certainty');
    await box.waitFor();
    expect(await box.isChecked()).toBe(false);
    await box.check();
    await screenshot(form.page, 'certainty-event-setting');
    await form.page.getByTestId('save-event').click();
    await expect.poll(() => server.app.db.select().from(events).where(eq(events.id, droneId)).get()!.showCertaintyOnScreen).toBe(true);
    await form.context.close();

    // The screen hears of it by itself (a fresh snapshot) and marks No. 6 and No. 3.
    await page.locator('sc-screen-page [data-key="r6"] [data-testid="clinched-prize"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('sc-screen-page [data-key="r3"] [data-testid="clinched-prize"]').textContent()).toBe('已锁定奖项');
    expect(await page.locator('sc-screen-page [data-key="r4"] [data-testid^="clinched-"]').count()).toBe(0);
    expect(await page.locator('sc-screen-page [data-testid="name"]').count()).toBe(0);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.waitForTimeout(800); // rows glide to their new places (600 ms) before the picture
    await screenshot(page, 'certainty-screen-1920x1080');
    await context.close();
  });

  it('marks 已确定晋级 in a preliminary whose advancement no later mark can take away', async () => {
    // 消防救援 becomes a preliminary (top 7 go through) with a final after it.
    const first = server.app.db.select().from(rounds).where(eq(rounds.eventId, fireId)).get()!;
    const patched = await fetchJson(`/api/rounds/${first.id}`, {
      method: 'PATCH',
      cookie: organiser,
      body: JSON.stringify({ kind: 'preliminary', name: '预赛', advancement: { rule: { kind: 'top_n', n: 7 }, tiesAtCut: 'include' } }),
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const added = await fetchJson(`/api/events/${fireId}/rounds`, { method: 'POST', cookie: organiser, body: JSON.stringify({ name: '决赛', kind: 'final' }) });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const on = await fetchJson(`/api/events/${fireId}`, { method: 'PATCH', cookie: organiser, body: JSON.stringify({ showCertaintyOnScreen: true }) });
    expect(on.status).toBe(200);
    const through = (await fetchJson<Certainty>(`/api/events/${fireId}/certainty?roundId=${first.id}`, { cookie: organiser })).body.rows.filter((r) => r.advancement === 'clinched');
    expect(through.length).toBeGreaterThan(0);

    const { context, page } = await newPage(browser, 'hall');
    await page.goto(`${server.base}/screen/event/${fireId}`);
    await page.locator(`sc-screen-page [data-key="r${through[0]!.number}"] [data-testid="clinched-advancement"]`).waitFor();
    expect(await page.locator('sc-screen-page [data-testid="clinched-advancement"]').count()).toBe(through.length);
    expect(await page.locator(`sc-screen-page [data-key="r${through[0]!.number}"] [data-testid="clinched-advancement"]`).textContent()).toBe('已确定晋级');
    await page.waitForTimeout(800);
    await screenshot(page, 'certainty-screen-advancement-1920x1080');
    await context.close();
  });
});
