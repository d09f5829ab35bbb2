import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, screenshot, startServer, type E2eServer } from '../e2e/helpers/browser.ts';
import { importInPage, startComponentServer, type ComponentServer } from './helpers/component-server.ts';

/**
 * The marking sheet mounted on its own in real Chromium (Vite dev server), with real IndexedDB
 * drafts: keypad and keyboard entry, values refused in place, running totals, the review screen,
 * drafts restored, and server refusals shown next to their criterion.
 */

let server: E2eServer;
let web: ComponentServer;
let browser: Browser;
let page: Page;
let context: BrowserContext;

/** A small scheme with every case: a rubric part with a 0.5 step and an integer step, and a deduction part. */
const SCHEME = {
  parts: [
    { id: 'theory', name: '理论', role: 'theory', weight: 30, max: 100, marking: 'objective', criteria: [] },
    {
      id: 'task',
      name: '实操任务',
      role: 'practical',
      weight: 40,
      max: 50,
      marking: 'rubric',
      criteria: [
        { id: 'c_quality', name: '工艺质量', max: 40, step: 0.5 },
        { id: 'c_safety', name: '安全文明', max: 10, step: 1 },
      ],
    },
    {
      id: 'gear',
      name: '装备穿戴（扣分制）',
      role: 'practical',
      weight: 30,
      max: 100,
      marking: 'deduction',
      criteria: [
        { id: 'd_dress', name: '着装缺漏', max: 30, step: 0.5 },
        { id: 'd_time', name: '超时', max: 15, step: 0.5 },
      ],
    },
  ],
};

type Mount = { number: number; locked?: Record<string, number>; db?: string; ownValues?: Record<string, number[]> };

/** Mounts a sheet for judge 99, round 1, with drafts in the IndexedDB database `db`. */
async function mount(p: Page, opts: Mount): Promise<void> {
  await p.evaluate(
    async ({ scheme, opts }) => {
      const w = window as unknown as { __import: (u: string) => Promise<any>; submitted: unknown[]; closed: number };
      const store = await w.__import('/pages/judge/judge-store.ts');
      await w.__import('/pages/judge/marking-sheet.ts');
      document.querySelector('sc-marking-sheet')?.remove();
      const db = await store.openJudgeDb(opts.db ?? 'sheet-test');
      const el = document.createElement('sc-marking-sheet') as any;
      el.style.height = '700px';
      el.scheme = scheme;
      el.number = opts.number;
      el.roundId = 1;
      el.judgeId = 99;
      el.locked = opts.locked ?? {};
      el.ownValues = opts.ownValues ?? {};
      el.drafts = store.draftStore(db);
      w.submitted = [];
      w.closed = 0;
      el.addEventListener('sheet-submit', (e: any) => w.submitted.push({ number: e.number, roundId: e.roundId, marks: e.marks, signedOffAt: e.signedOffAt }));
      el.addEventListener('sheet-close', () => w.closed++);
      document.body.append(el);
      await el.updateComplete;
    },
    { scheme: SCHEME, opts },
  );
  await p.locator('sc-marking-sheet [data-testid="value"]').waitFor();
}

const key = (k: string) => page.locator(`sc-marking-sheet sc-num-keypad button[data-key="${k}"]`);
const valueText = () => page.locator('sc-marking-sheet [data-testid="value"]').innerText();
const reason = () => page.locator('sc-marking-sheet [data-testid="reason"]').innerText();
const currentName = () => page.locator('sc-marking-sheet .crit-name').innerText();

async function tap(...keys: string[]): Promise<void> {
  for (const k of keys) await key(k).click();
}

async function readDraft(p: Page, dbName: string, draftKey: string): Promise<any> {
  return p.evaluate(
    async ({ dbName, draftKey }) => {
      const w = window as unknown as { __import: (u: string) => Promise<any> };
      const store = await w.__import('/pages/judge/judge-store.ts');
      const db = await store.openJudgeDb(dbName);
      const d = await db.get('drafts', draftKey);
      db.close();
      return d ?? null;
    },
    { dbName, draftKey },
  );
}

beforeAll(async () => {
  server = await startServer();
  web = await startComponentServer(server.base);
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await server?.close();
});

beforeEach(async () => {
  ({ context, page } = await newPage(browser, 'landscape'));
  await page.goto(`${web.base}/__test`);
  await importInPage(page, '/pages/judge/marking-sheet.ts');
});

afterEach(async () => {
  await context?.close();
});

describe('marking sheet', () => {
  it('refuses values over the maximum or off the step at the keystroke, with the reason in place', async () => {
    await mount(page, { number: 7 });
    expect(await currentName()).toBe('工艺质量');
    await expect.poll(() => page.locator('sc-marking-sheet .crit-rule').innerText()).toContain('满分 40 分');

    await tap('4');
    expect(await valueText()).toContain('4');
    await tap('5'); // 45 > 40: kept in sight, in red, with the reason; never silently 4
    expect(await reason()).toBe('最高 40 分');
    expect(await page.locator('sc-marking-sheet [data-testid="value-text"]').innerText()).toBe('45');
    expect(await page.locator('sc-marking-sheet [data-testid="value"]').getAttribute('class')).toContain('invalid');
    await screenshot(page, 'sheet-over-max');
    await tap('enter'); // 确定 is refused until it is fixed
    expect(await currentName()).toBe('工艺质量');
    expect(await reason()).toBe('最高 40 分');
    await tap('backspace');
    expect(await reason()).toBe('');
    expect(await page.locator('sc-marking-sheet [data-testid="value-text"]').innerText()).toBe('4');

    await tap('.', '3'); // 4.3 is off the 0.5 grid: shown with the reason too
    expect(await reason()).toBe('按 0.5 分步进');
    expect(await page.locator('sc-marking-sheet [data-testid="value-text"]').innerText()).toBe('4.3');
    await tap('backspace', '5');
    expect(await reason()).toBe('');
    expect(await page.locator('sc-marking-sheet [data-testid="value-text"]').innerText()).toBe('4.5');
    expect(await page.locator('sc-marking-sheet [data-testid="value"]').getAttribute('class')).not.toContain('invalid');

    // Quick step keys, snapped to the grid, and refused past the maximum.
    await tap('up');
    expect(await page.locator('sc-marking-sheet [data-testid="value-text"]').innerText()).toBe('5');
    await tap('clear', '4', '0', 'up');
    expect(await reason()).toBe('最高 40 分');
    expect(await page.locator('sc-marking-sheet [data-testid="value-text"]').innerText()).toBe('40');
    await tap('down', 'down');
    expect(await page.locator('sc-marking-sheet [data-testid="value-text"]').innerText()).toBe('39');
  });

  it('takes the physical keyboard, moves on with Enter, keeps running totals and lists everything for review', async () => {
    await mount(page, { number: 8 });
    const value = page.locator('sc-marking-sheet [data-testid="value"]');
    await expect.poll(() => value.evaluate((el) => el.matches(':focus'))).toBe(true);

    await page.keyboard.type('12.5');
    await page.keyboard.press('Enter');
    expect(await currentName()).toBe('安全文明');
    await page.keyboard.press('.'); // integer step: no decimal point
    expect(await reason()).toBe('按 1 分步进');
    await page.keyboard.type('8');
    await page.keyboard.press('Enter');
    expect(await page.locator('sc-marking-sheet [data-testid="part-total-task"]').innerText()).toBe('20.5 / 50');

    // Deductions: labelled as such, the part mark is the full mark less the deductions.
    expect(await currentName()).toBe('着装缺漏');
    await expect.poll(() => page.locator('sc-marking-sheet .crit-part').innerText()).toContain('扣分项');
    await tap('5', 'enter');
    await tap('1', '6'); // at most 15 off: 16 stays in sight, in red
    expect(await reason()).toBe('最多扣 15 分');
    await tap('backspace', 'backspace', '2');
    expect(await page.locator('sc-marking-sheet [data-testid="part-total-gear"]').innerText()).toContain('扣 7');
    expect(await page.locator('sc-marking-sheet [data-testid="part-total-gear"]').innerText()).toContain('93 / 100');
    expect(await page.locator('sc-marking-sheet [data-testid="grand-total"]').innerText()).toBe('113.5');

    // The last Enter opens the review screen: every value, part marks, the total.
    await page.keyboard.press('Enter');
    const review = page.locator('sc-marking-sheet [data-testid="review"]');
    await review.waitFor();
    expect(await page.locator('sc-marking-sheet [data-review-criterion]').count()).toBe(4);
    expect(await page.locator('sc-marking-sheet [data-review-criterion="c_quality"] td.num').last().innerText()).toBe('12.5');
    expect(await page.locator('sc-marking-sheet [data-review-criterion="d_time"] td.num').last().innerText()).toBe('−2');
    expect(await page.locator('sc-marking-sheet [data-testid="review-part-gear"]').innerText()).toBe('93 / 100');
    expect(await page.locator('sc-marking-sheet [data-testid="review-total"]').innerText()).toBe('113.5');
    const submit = page.locator('sc-marking-sheet [data-testid="submit"]');
    expect(await submit.innerText()).toContain('4');
    // Nothing is sent before the judge signs the sheet off: Enter on the focused sign-off, then Enter sends.
    expect(await submit.isDisabled()).toBe(true);
    const signOff = page.locator('sc-marking-sheet [data-testid="sign-off"]');
    await expect.poll(() => signOff.evaluate((el) => el.matches(':focus'))).toBe(true);
    await page.keyboard.press('Enter');
    expect(await signOff.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => submit.evaluate((el) => el.matches(':focus'))).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => (window as unknown as { submitted: unknown[] }).submitted.length)).toBe(1);
    const sent = await page.evaluate(() => (window as unknown as { submitted: any[] }).submitted[0]);
    expect(sent).toEqual({
      number: 8,
      roundId: 1,
      signedOffAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      marks: [
        { partId: 'task', criterionId: 'c_quality', value: 12.5 },
        { partId: 'task', criterionId: 'c_safety', value: 8 },
        { partId: 'gear', criterionId: 'd_dress', value: 5 },
        { partId: 'gear', criterionId: 'd_time', value: 2 },
      ],
    });
  });

  it('submits only complete parts and says which part is left out', async () => {
    await mount(page, { number: 9 });
    await page.keyboard.type('30');
    await page.keyboard.press('Enter');
    await page.keyboard.type('10');
    await page.keyboard.press('Enter');
    await page.keyboard.type('3'); // one of two deductions
    await page.locator('sc-marking-sheet [data-testid="next"]').click();
    await page.locator('sc-marking-sheet [data-testid="to-review"]').click();
    expect(await page.locator('sc-marking-sheet [data-testid="review-state-task"]').innerText()).toBe('将提交');
    expect(await page.locator('sc-marking-sheet [data-testid="review-state-gear"]').innerText()).toBe('未填完，不提交');
    await page.locator('sc-marking-sheet [data-testid="sign-off"]').click();
    await page.locator('sc-marking-sheet [data-testid="submit"]').click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { submitted: any[] }).submitted[0]?.marks.length)).toBe(2);
  });

  it('asks 确认？ once for a value far from the judge’s own marks on the criterion, and takes it on the second 确定', async () => {
    // This judge gave 30, 32 and 31 (of 40) for 工艺质量 to three other contestants.
    await mount(page, { number: 12, db: 'soft-check', ownValues: { 'task/c_quality': [30, 32, 31] } });
    await tap('5', 'enter');
    expect(await reason()).toContain('相差较大');
    expect(await reason()).toContain('中位数 31');
    await screenshot(page, 'sheet-soft-check');
    expect(await currentName()).toBe('工艺质量'); // not taken yet, never refused
    await tap('enter');
    expect(await currentName()).toBe('安全文明');
    // A value near the judge's own marks goes straight through.
    await mount(page, { number: 13, db: 'soft-check', ownValues: { 'task/c_quality': [30, 32, 31] } });
    await tap('2', '9', 'enter');
    expect(await currentName()).toBe('安全文明');
    expect(await reason()).toBe('');
  });

  it('saves a draft on every keystroke and restores it when the sheet opens again', async () => {
    await mount(page, { number: 10, db: 'draft-test' });
    await tap('2', '5', '.', '5');
    await page.evaluate(() => (document.querySelector('sc-marking-sheet') as any).saved);
    const draft = await readDraft(page, 'draft-test', '99:1:10');
    expect(draft.values).toEqual({ 'task/c_quality': '25.5' }); // keyed by part and criterion

    // A reload (or a flat battery) loses nothing.
    await page.reload();
    await importInPage(page, '/pages/judge/marking-sheet.ts');
    await mount(page, { number: 10, db: 'draft-test' });
    await page.locator('sc-marking-sheet [data-testid="restored"]').waitFor();
    expect(await page.locator('sc-marking-sheet [data-testid="value-text"]').innerText()).toBe('25.5');
    expect(await page.locator('sc-marking-sheet [data-testid="part-total-task"]').innerText()).toBe('25.5 / 50');
  });

  it('shows stored marks as locked and asks only for the rest', async () => {
    await mount(page, { number: 11, locked: { 'task/c_quality': 30, 'task/c_safety': 9 } });
    expect(await currentName()).toBe('着装缺漏');
    expect(await page.locator('sc-marking-sheet .item.locked').count()).toBe(2);
    expect(await page.locator('sc-marking-sheet [data-testid="part-total-task"]').innerText()).toBe('39 / 50');
    await page.keyboard.type('0');
    await page.keyboard.press('Enter');
    await page.keyboard.type('0');
    await page.keyboard.press('Enter');
    await page.locator('sc-marking-sheet [data-testid="sign-off"]').click();
    await page.locator('sc-marking-sheet [data-testid="submit"]').click();
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { submitted: any[] }).submitted[0]?.marks.map((m: { criterionId: string }) => m.criterionId)))
      .toEqual(['d_dress', 'd_time']);
  });

  it('shows a server refusal next to its criterion until the value is changed', async () => {
    await page.evaluate(async () => {
      const w = window as unknown as { __import: (u: string) => Promise<any> };
      const store = await w.__import('/pages/judge/judge-store.ts');
      const db = await store.openJudgeDb('refusal-test');
      await store.draftStore(db).put({
        key: '99:1:12',
        judgeId: 99,
        roundId: 1,
        number: 12,
        values: { c_quality: '20', c_safety: '5' },
        current: 'c_safety',
        updatedAt: Date.now(),
        refusal: {
          at: Date.now(),
          status: 403,
          sheet: [{ code: 'recused', message: 'you work for the same employer as contestant 12' }],
          criteria: { c_safety: { code: 'mark_out_of_range', message: '安全文明: at most 10, got 11' } },
        },
      });
      db.close();
    });
    await mount(page, { number: 12, db: 'refusal-test' });
    expect(await page.locator('sc-marking-sheet [data-testid="refusal-reason"]').innerText()).toContain('须回避');
    expect(await currentName()).toBe('安全文明');
    expect(await reason()).toBe('最高 10 分');
    expect(await page.locator('sc-marking-sheet [data-criterion="c_safety"]').getAttribute('class')).toContain('bad');
    await tap('backspace', '4');
    expect(await reason()).toBe('');
    expect(await page.locator('sc-marking-sheet [data-criterion="c_safety"]').getAttribute('class')).not.toContain('bad');
  });

  it('re-renders in English', async () => {
    await page.evaluate(async () => {
      const w = window as unknown as { __import: (u: string) => Promise<any> };
      (await w.__import('/app/i18n.ts')).setLang('en');
    });
    await mount(page, { number: 13, db: 'en-test' });
    await tap('4', '5');
    expect(await reason()).toBe('At most 40 points');
    await page.evaluate(async () => {
      const w = window as unknown as { __import: (u: string) => Promise<any> };
      (await w.__import('/app/i18n.ts')).setLang('zh-CN');
    });
    await expect.poll(reason).toBe('最高 40 分');
  });
});
