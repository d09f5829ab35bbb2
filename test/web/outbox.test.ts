import { and, eq, inArray } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { entries, events, judgeAssignments, judges, marks } from '../../db/schema.ts';
import { launchBrowser, newPage, startServer, type E2eServer } from '../e2e/helpers/browser.ts';
import { importInPage, startComponentServer, type ComponentServer } from './helpers/component-server.ts';

/**
 * The outbox in real Chromium with real IndexedDB: order, exactly-once delivery through retries
 * (with a fake server that loses answers, and with the real API), 4xx refusals leaving the queue
 * and going back to their drafts with the reasons, and the queue surviving a reload.
 */

let server: E2eServer;
let web: ComponentServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

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
  await importInPage(page, '/pages/judge/outbox.ts', '/pages/judge/judge-store.ts', '/api/client.ts');
});

afterEach(async () => {
  await context?.close();
});

/**
 * Installs, in the page, a fake server (`window.fake`) that stores marks by idempotency key like
 * the real one, and an outbox (`window.outbox`) for judge 7 whose send function follows a script:
 * 'ok', 'lost' (stored, but the answer never arrives), 'down' (never arrives), or a 4xx refusal.
 */
async function installOutbox(p: Page, script: string[]): Promise<void> {
  await p.evaluate(async (script) => {
    const w = window as any;
    const store = await w.__import('/pages/judge/judge-store.ts');
    const { Outbox, SheetRefusedEvent, SheetSentEvent } = await w.__import('/pages/judge/outbox.ts');
    const { ApiError, NetworkError } = await w.__import('/api/client.ts');
    const db = await store.openJudgeDb('outbox-test');
    const fake = { stored: new Map<string, number>(), calls: [] as { number: number; keys: string[]; outcome: string }[], script: [...script] };
    const send = async (sheet: any) => {
      const step = fake.script.shift() ?? 'ok';
      fake.calls.push({ number: sheet.number, keys: sheet.marks.map((m: any) => m.idempotencyKey), outcome: step });
      if (step === 'down') throw new NetworkError('Failed to fetch');
      if (step.startsWith('refuse')) {
        throw new ApiError(400, 'mark_out_of_range', 'c2: at most 10, got 11', [
          { field: 'body.marks.1.value', message: 'mark_out_of_range: c2: at most 10, got 11' },
        ]);
      }
      for (const m of sheet.marks) if (!fake.stored.has(m.idempotencyKey)) fake.stored.set(m.idempotencyKey, m.value);
      if (step === 'lost') throw new NetworkError('The network connection was lost');
    };
    const outbox = new Outbox(db, { judgeId: 7, send, baseDelayMs: 30, maxDelayMs: 120 });
    w.events = [] as string[];
    outbox.addEventListener(SheetSentEvent.type, (e: any) => w.events.push(`sent:${e.sheet.number}`));
    outbox.addEventListener(SheetRefusedEvent.type, (e: any) => w.events.push(`refused:${e.sheet.number}`));
    Object.assign(w, { fake, outbox, db, store });
  }, script);
}

/** Queues a sheet of two marks (c1, c2) for contestant `number`, with a draft holding the typed values. */
async function queue(p: Page, number: number, values: [number, number] = [5, 6]): Promise<void> {
  await p.evaluate(
    async ({ number, values }) => {
      const w = window as any;
      const key = w.store.draftKey(7, 1, number);
      await w.store.draftStore(w.db).put({
        key,
        judgeId: 7,
        roundId: 1,
        number,
        values: { 'p/c1': String(values[0]), 'p/c2': String(values[1]) },
        current: 'p/c2',
        updatedAt: Date.now(),
      });
      await w.outbox.enqueue({
        judgeId: 7,
        eventId: 1,
        roundId: 1,
        number,
        draftKey: key,
        marks: [
          { roundId: 1, number, partId: 'p', criterionId: 'c1', value: values[0] },
          { roundId: 1, number, partId: 'p', criterionId: 'c2', value: values[1] },
        ],
      });
    },
    { number, values },
  );
}

const pendingCount = (p: Page) => p.evaluate(async () => ((await (window as any).outbox.pending()) as unknown[]).length);

describe('outbox', () => {
  it('keeps every sheet through network failures and sends them in order, each mark exactly once', async () => {
    // Sheet 1: answer lost, then never arrives, then delivered (the server already had it: duplicate).
    await installOutbox(page, ['lost', 'down', 'ok', 'ok', 'ok']);
    await queue(page, 1);
    await queue(page, 2);
    await queue(page, 3);
    expect(await pendingCount(page)).toBe(3);
    // The keys were fixed when queued and are stored with the sheet.
    const queuedKeys = await page.evaluate(async () => ((await (window as any).outbox.pending()) as any[]).map((s) => s.marks.map((m: any) => m.idempotencyKey)));
    expect(new Set(queuedKeys.flat()).size).toBe(6);

    await page.evaluate(() => (window as any).outbox.start());
    await expect.poll(() => pendingCount(page), { timeout: 5000 }).toBe(0);

    const calls = await page.evaluate(() => (window as any).fake.calls as { number: number; keys: string[]; outcome: string }[]);
    // In order: sheet 1 until it went through, then 2, then 3; a later sheet never overtook a waiting one.
    expect(calls.map((c) => `${c.number}:${c.outcome}`)).toEqual(['1:lost', '1:down', '1:ok', '2:ok', '3:ok']);
    // Every retry of sheet 1 carried the same keys it was queued with.
    expect(calls[0]!.keys).toEqual(queuedKeys[0]);
    expect(calls[1]!.keys).toEqual(queuedKeys[0]);
    expect(calls[2]!.keys).toEqual(queuedKeys[0]);
    // Six marks on the server: none twice, none missing.
    expect(await page.evaluate(() => (window as any).fake.stored.size)).toBe(6);
    expect(await page.evaluate(() => (window as any).events)).toEqual(['sent:1', 'sent:2', 'sent:3']);
    // The drafts of sent sheets are gone.
    expect(await page.evaluate(async () => (await (window as any).db.getAll('drafts')).length)).toBe(0);
  });

  it('gives a refused sheet back to its draft with the reason on the criterion, and goes on with the next', async () => {
    await installOutbox(page, ['ok', 'refuse', 'ok']);
    await queue(page, 1);
    await queue(page, 2, [5, 11]);
    await queue(page, 3);
    await page.evaluate(() => (window as any).outbox.start());
    await expect.poll(() => pendingCount(page), { timeout: 5000 }).toBe(0);

    expect(await page.evaluate(() => (window as any).events)).toEqual(['sent:1', 'refused:2', 'sent:3']);
    // Refused once, never retried.
    const calls = await page.evaluate(() => (window as any).fake.calls as { number: number }[]);
    expect(calls.filter((c) => c.number === 2)).toHaveLength(1);
    expect(await page.evaluate(() => (window as any).fake.stored.size)).toBe(4);

    const draft = await page.evaluate(() => (window as any).db.get('drafts', '7:1:2'));
    expect(draft.values).toEqual({ 'p/c1': '5', 'p/c2': '11' });
    expect(draft.current).toBe('p/c2');
    expect(draft.refusal.status).toBe(400);
    // Keyed by part and criterion, as the sheet keys its values (two parts may share a criterion id).
    expect(draft.refusal.criteria).toEqual({ 'p/c2': { code: 'mark_out_of_range', message: 'c2: at most 10, got 11' } });
  });

  it('survives a reload: the queue is in IndexedDB and drains afterwards with the original keys', async () => {
    await installOutbox(page, ['down', 'down', 'down', 'down', 'down', 'down']);
    await queue(page, 4);
    await queue(page, 5);
    const before = await page.evaluate(async () => ((await (window as any).outbox.pending()) as any[]).map((s) => [s.number, s.marks[0].idempotencyKey]));
    await page.evaluate(() => (window as any).outbox.start());
    await expect.poll(() => page.evaluate(() => (window as any).fake.calls.length)).toBeGreaterThan(1);
    expect(await pendingCount(page)).toBe(2);
    expect(await page.evaluate(() => (window as any).outbox.status.problem)).toBe('network');

    await page.reload();
    await importInPage(page, '/pages/judge/outbox.ts', '/pages/judge/judge-store.ts', '/api/client.ts');
    await installOutbox(page, []);
    const after = await page.evaluate(async () => ((await (window as any).outbox.pending()) as any[]).map((s) => [s.number, s.marks[0].idempotencyKey]));
    expect(after).toEqual(before);
    await page.evaluate(() => (window as any).outbox.start());
    await expect.poll(() => pendingCount(page), { timeout: 5000 }).toBe(0);
    const calls = await page.evaluate(() => (window as any).fake.calls as { number: number; keys: string[] }[]);
    expect(calls.map((c) => [c.number, c.keys[0]])).toEqual(before);
  });

  it('waits for a new sign-in on 401 instead of dropping or hammering', async () => {
    await page.evaluate(async () => {
      const w = window as any;
      const store = await w.__import('/pages/judge/judge-store.ts');
      const { Outbox } = await w.__import('/pages/judge/outbox.ts');
      const { ApiError } = await w.__import('/api/client.ts');
      const db = await store.openJudgeDb('auth-test');
      w.authCalls = 0;
      w.signedIn = false;
      const send = async () => {
        w.authCalls++;
        if (!w.signedIn) throw new ApiError(401, 'unauthorized', 'Sign in first');
      };
      w.outbox = new Outbox(db, { judgeId: 3, send, baseDelayMs: 10, maxDelayMs: 20 });
      await w.outbox.enqueue({ judgeId: 3, eventId: 1, roundId: 1, number: 9, draftKey: '3:1:9', marks: [{ roundId: 1, number: 9, partId: 'p', criterionId: 'c1', value: 1 }] });
      w.outbox.start();
    });
    await expect.poll(() => page.evaluate(() => (window as any).outbox.status.problem)).toBe('auth');
    await page.waitForTimeout(150);
    expect(await page.evaluate(() => (window as any).authCalls)).toBe(1);
    expect(await pendingCount(page)).toBe(1);
    await page.evaluate(() => {
      (window as any).signedIn = true;
      return (window as any).outbox.retryNow();
    });
    expect(await pendingCount(page)).toBe(0);
  });

  it('stores each mark exactly once on the real server when an answer is lost on the way back', async () => {
    const power = server.app.db.select().from(events).where(eq(events.name, '配电线路工')).get()!;
    const judge = server.app.db
      .select({ id: judges.id })
      .from(judgeAssignments)
      .innerJoin(judges, eq(judges.id, judgeAssignments.judgeId))
      .where(and(eq(judgeAssignments.eventId, power.id), eq(judgeAssignments.role, 'judge')))
      .all()
      .sort((a, b) => a.id - b.id)[1]!;
    const panel = await page.evaluate(async () => {
      const w = window as any;
      const { api } = await w.__import('/api/client.ts');
      await api('POST', '/api/auth/judge-login', { code: 'PDXL0002' });
      return api('GET', '/api/judge/panel');
    });
    expect(panel.judge.id).toBe(judge.id);
    const insulator = panel.scheme.parts.find((p: { id: string }) => p.id === 'insulator');

    // The real API behind the send function; the first answer of each sheet is "lost" after the server stored it.
    await page.evaluate(
      async ({ judgeId, eventId, roundId, criteria }) => {
        const w = window as any;
        const store = await w.__import('/pages/judge/judge-store.ts');
        const { Outbox } = await w.__import('/pages/judge/outbox.ts');
        const { api, NetworkError } = await w.__import('/api/client.ts');
        const db = await store.openJudgeDb('real-test');
        const seen = new Set<number>();
        w.outcomes = [] as string[];
        const send = async (sheet: any) => {
          const res = await api('POST', '/api/marks', { marks: sheet.marks });
          w.outcomes.push(...res.results.map((r: any) => `${sheet.number}:${r.outcome}`));
          if (!seen.has(sheet.number)) {
            seen.add(sheet.number);
            throw new NetworkError('answer lost');
          }
        };
        w.outbox = new Outbox(db, { judgeId, send, baseDelayMs: 20, maxDelayMs: 50 });
        for (const number of [19, 20, 21]) {
          await w.outbox.enqueue({
            judgeId,
            eventId,
            roundId,
            number,
            draftKey: store.draftKey(judgeId, roundId, number),
            marks: criteria.map((c: { id: string; max: number }) => ({ roundId, number, partId: 'insulator', criterionId: c.id, value: c.max - 1 })),
          });
        }
        w.outbox.start();
      },
      { judgeId: judge.id, eventId: power.id, roundId: panel.currentRoundId, criteria: insulator.criteria },
    );
    await expect.poll(() => pendingCount(page), { timeout: 10_000 }).toBe(0);

    const outcomes: string[] = await page.evaluate(() => (window as any).outcomes);
    const perSheet = insulator.criteria.length;
    for (const n of [19, 20, 21]) {
      expect(outcomes.filter((o) => o === `${n}:stored`)).toHaveLength(perSheet);
      expect(outcomes.filter((o) => o === `${n}:duplicate`)).toHaveLength(perSheet);
    }
    const entryIds = server.app.db
      .select({ id: entries.id })
      .from(entries)
      .where(and(eq(entries.eventId, power.id), inArray(entries.drawnNumber, [19, 20, 21])))
      .all()
      .map((e) => e.id);
    const rows = server.app.db
      .select()
      .from(marks)
      .where(and(eq(marks.judgeId, judge.id), eq(marks.partId, 'insulator'), inArray(marks.entryId, entryIds)))
      .all();
    expect(rows).toHaveLength(3 * perSheet);
    expect(new Set(rows.map((r) => `${r.entryId}:${r.criterionId}`)).size).toBe(3 * perSheet);
  });
});
