import { and, eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { competitions, events } from '../../db/schema.ts';
import { DEMO_PASSWORD } from '../../db/seed.ts';
import { makeEvent } from '../helpers/factories.ts';
import type { TestApp } from '../helpers/test-app.ts';
import { horizontalOverflow, launchBrowser, screenshot, startServer, type E2eServer } from './helpers/browser.ts';

/**
 * The organiser's scheme form sets the issue-13 scoring options itself: a criterion's lowest mark
 * (grades below zero) and factor, a penalty part, marks combined per element with base values, and
 * the rounding. The less common ones sit behind each part's "更多选项"; what is saved is what the
 * server stores. Against the demo data with one event added to the running Feixi competition.
 */

let server: E2eServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let competitionId: number;
let eventId: number;
const pageErrors: string[] = [];

const stored = () => server.app.db.select().from(events).where(eq(events.id, eventId)).get()!.scheme;
const editor = () => page.locator('sc-scheme-editor');
const errorAt = (key: string) => page.locator(`[data-field="${key}"]`);

/** Elements (shadow roots included) whose box ends right of the viewport: base.css hides the body's sideways overflow. */
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

/** Screenshots at 1280 × 800 and 800 × 1280 with `target` in view; neither may scroll or draw sideways. */
async function captureBoth(name: string, target: string) {
  for (const [w, h] of [
    [1280, 800],
    [800, 1280],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.waitForTimeout(150);
    await page.locator(target).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, `scheme-options-${name}-${w}x${h}`);
    expect(await horizontalOverflow(page), `${name} at ${w}×${h}`).toBeLessThanOrEqual(0);
    expect(await pastRightEdge(), `${name} at ${w}×${h}`).toEqual([]);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const app = server.app as TestApp;
  const feixi = app.db.select().from(competitions).where(and(eq(competitions.status, 'running'))).all().find((c) => c.name.endsWith('肥西县职工职业技能大赛'))!;
  competitionId = feixi.id;
  // Theory 30 (objective) + practical 70 (rubric: safety 40, quality 60), no marks yet.
  eventId = makeEvent(app, { competitionId, name: '花样滑冰（表单设置）' }).id;
  const login = await fetch(`${server.base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'organiser', password: DEMO_PASSWORD }),
  });
  const [name, value] = login.headers.get('set-cookie')!.split(';')[0]!.split('=') as [string, string];
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, hasTouch: true, locale: 'zh-CN' });
  await context.addCookies([{ name, value, url: server.base }]);
  page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

describe('scoring options in the organiser’s scheme form', () => {
  it('keeps the default form as simple as before: options closed, rounding at its default, nothing "kept"', async () => {
    await page.goto(`${server.base}/org/competitions/${competitionId}/events/${eventId}/edit`);
    await page.getByTestId('weight-total').waitFor();
    for (const i of [0, 1]) expect(await page.getByTestId(`more-${i}`).getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('[data-testid^="more-body-"]').count()).toBe(0);
    expect(await page.locator('[data-testid^="crit-min-"]').count()).toBe(0);
    expect(await page.locator('#rounding-at').inputValue()).toBe('');
    expect(await page.locator('#rounding-mode').inputValue()).toBe('');
    expect(await page.getByTestId('scheme-extras').count()).toBe(0);
    await captureBoth('closed', '[data-testid="part-1"]');
  });

  it('sets a grade minimum −5, a factor 1.5, a penalty part and the rounding, each problem at its field, and stores them', { timeout: 60_000 }, async () => {
    await page.getByTestId('more-1').click();
    expect(await page.getByTestId('more-1').getAttribute('aria-expanded')).toBe('true');
    await page.getByTestId('more-body-1').waitFor();
    // A minimum off the half-point grid is refused at that criterion.
    await page.getByTestId('crit-min-1-0').fill('-5.3');
    await expect.poll(() => errorAt('scheme.parts.1.criteria.0.min').textContent()).toBe('应为最小分度 0.5 的整数倍');
    expect(await page.getByTestId('crit-min-1-0').getAttribute('aria-invalid')).toBe('true');
    await page.getByTestId('crit-min-1-0').fill('-5');
    await expect.poll(() => errorAt('scheme.parts.1.criteria.0.min').count()).toBe(0);
    // A factor changes the full mark: 40 + 60 × 1.5 = 130 is not 100.
    await page.getByTestId('crit-factor-1-1').fill('1.5');
    await expect.poll(() => page.getByTestId('criteria-total-1').textContent()).toContain('细则分值×系数合计 130 / 满分 100');
    await page.getByTestId('crit-factor-1-1').fill('0');
    await expect.poll(() => errorAt('scheme.parts.1.criteria.1.factor').textContent()).toBe('应大于 0');
    await page.getByTestId('crit-factor-1-1').fill('1.5');
    await editor().getByLabel('分值 2').fill('40');
    await expect.poll(() => page.getByTestId('criteria-total-1').textContent()).toContain('细则分值×系数合计 100 / 满分 100 ✓');

    // A penalty part: objective, subtracted, its weight goes to 0 with the choice.
    await editor().getByRole('button', { name: '添加其他部分' }).click();
    await page.locator('#p2-name').fill('摔倒扣分');
    await page.locator('#p2-marking').selectOption('objective');
    await page.locator('#p2-max').fill('10');
    await page.getByTestId('more-2').click();
    // An objective part has one value: no per-element choice, no base values.
    expect(await page.locator('#p2-aggregateBy').count()).toBe(0);
    expect(await page.getByTestId('base-values-2').count()).toBe(0);
    // Nor a panel: the aggregation fields give way to a word of why.
    expect(await page.locator('#p2-agg').count()).toBe(0);
    expect(await page.getByTestId('objective-note-2').textContent()).toContain('不经裁判评分，无需汇总');
    expect(await page.locator('#p1-agg').count()).toBe(1);
    await page.locator('#p2-kind').selectOption('penalty');
    expect(await page.getByTestId('weight-2').inputValue()).toBe('0');
    await page.getByTestId('more-body-2').getByText('罚分项按原值从总分中扣除').waitFor();
    await page.getByTestId('weight-2').fill('5');
    await expect.poll(() => errorAt('scheme.parts.2.weight').textContent()).toBe('罚分项从总分中直接扣除，权重应为 0');
    // Saving is refused while a field is wrong; nothing reaches the server.
    await page.getByTestId('save-event').click();
    await page.getByTestId('blocked').waitFor();
    expect(stored().parts).toHaveLength(2);
    await page.getByTestId('weight-2').fill('0');
    await expect.poll(() => page.getByTestId('weight-total').textContent()).toContain('权重合计 100% ✓');

    await page.locator('#rounding-at').selectOption('part');
    await page.locator('#rounding-mode').selectOption('truncate');
    await captureBoth('practical', '[data-testid="part-1"]');
    await captureBoth('penalty', '[data-testid="part-2"]');

    await page.getByTestId('save-event').click();
    await expect.poll(() => stored().parts.length, { timeout: 10_000 }).toBe(3);
    const scheme = stored();
    expect(scheme.rounding).toEqual({ at: 'part', mode: 'truncate' });
    expect(scheme.parts[1]!.criteria).toEqual([
      { id: 'safety', name: '安全文明生产', max: 40, step: 0.5, min: -5 },
      { id: 'quality', name: '作业质量', max: 40, step: 0.5, factor: 1.5 },
    ]);
    expect(scheme.parts[1]).not.toHaveProperty('kind');
    expect(scheme.parts[1]).not.toHaveProperty('aggregateBy');
    expect(scheme.parts[1]).not.toHaveProperty('usesBaseValues');
    expect(scheme.parts[2]).toMatchObject({ name: '摔倒扣分', role: 'other', marking: 'objective', max: 10, weight: 0, kind: 'penalty', criteria: [] });
    expect(scheme.parts[0]).not.toHaveProperty('kind');
    expect(await page.getByTestId('scheme-extras').count()).toBe(0);
  });

  it('shows the stored options on reload, opened, and combines marks per element for base values', { timeout: 60_000 }, async () => {
    await page.reload();
    await page.getByTestId('weight-total').waitFor();
    // Parts using an option open by themselves; the theory part stays closed.
    expect(await page.getByTestId('more-0').getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByTestId('more-1').getAttribute('aria-expanded')).toBe('true');
    expect(await page.getByTestId('more-2').getAttribute('aria-expanded')).toBe('true');
    expect(await page.getByTestId('crit-min-1-0').inputValue()).toBe('-5');
    expect(await page.getByTestId('crit-factor-1-1').inputValue()).toBe('1.5');
    expect(await page.getByTestId('crit-factor-1-0').inputValue()).toBe('');
    expect(await page.locator('#p2-kind').inputValue()).toBe('penalty');
    expect(await page.locator('#rounding-at').inputValue()).toBe('part');
    expect(await page.locator('#rounding-mode').inputValue()).toBe('truncate');
    // Base values: ticking them combines the marks per element too; per judge again is refused at the box.
    await page.getByTestId('base-values-1').check();
    expect(await page.locator('#p1-aggregateBy').inputValue()).toBe('element');
    await page.locator('#p1-aggregateBy').selectOption('judge');
    await expect.poll(() => errorAt('scheme.parts.1.usesBaseValues').textContent()).toBe('基础分需要“按动作/要素分别汇总”或“各细则分别设评分组”');
    await page.locator('#p1-aggregateBy').selectOption('element');
    await expect.poll(() => errorAt('scheme.parts.1.usesBaseValues').count()).toBe(0);
    await page.getByTestId('save-event').click();
    await expect.poll(() => stored().parts[1]!.usesBaseValues ?? false, { timeout: 10_000 }).toBe(true);
    expect(stored().parts[1]).toMatchObject({ aggregateBy: 'element', usesBaseValues: true });
    // What else was stored is unchanged.
    expect(stored().parts[1]!.criteria[0]!.min).toBe(-5);
    expect(stored().parts[2]!.kind).toBe('penalty');
    expect(stored().rounding).toEqual({ at: 'part', mode: 'truncate' });
  });

  it('speaks English and fits a portrait tablet', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByTestId('more-1').filter({ hasText: 'More options' }).waitFor();
    expect(await page.getByTestId('part-1').innerText()).toContain('Lowest');
    expect(await page.getByTestId('rounding').innerText()).toContain('Rounding');
    await captureBoth('en', '[data-testid="part-1"]');
    await captureBoth('rounding-en', '[data-testid="rounding"]');
    await page.getByRole('button', { name: '中文' }).click();
  });

  it('raised no uncaught error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
