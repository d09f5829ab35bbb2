import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, makeOrg } from '../helpers/factories.ts';
import { judgeLogin, makeScenario, newKey, type Scenario } from '../helpers/scenario.ts';
import { SseClient, waitFor } from '../helpers/sse-client.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

// A kept-open SSE reply never ends under inject(): these tests listen on a real port.
let app: TestApp;
let base: string;
let s: Scenario;
let judges: string[];

const sheet = (number: number, c1: number, c2: number) => ({
  marks: [
    { idempotencyKey: newKey(), number, partId: 'task1', criterionId: 'c1', value: c1 },
    { idempotencyKey: newKey(), number, partId: 'task1', criterionId: 'c2', value: c2 },
  ],
});

beforeAll(async () => {
  app = await buildTestApp();
  s = makeScenario(app, { entrants: 4, judgeCount: 5 });
  judges = await Promise.all(s.judgeCodes.map((c) => judgeLogin(app, c)));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(() => app.close());

describe('live rankings', () => {
  it('sends a snapshot, then the changed rows after each committed mark', async () => {
    const sse = await SseClient.open(`${base}/api/public/events/${s.eventId}/live`);
    const snap = await sse.next('snapshot');
    expect(snap.data.rows).toHaveLength(4);
    // Before any marks nobody is ranked: no column of 1s on the venue screen.
    expect(snap.data.rows.map((r: { rank: number | null }) => r.rank)).toEqual([null, null, null, null]);
    expect(JSON.stringify(snap.data)).not.toContain('选手');

    // Below the part's minimum of 3 judges the part does not count yet; the third mark completes it.
    await call(app, judges[0]!, { method: 'POST', url: '/api/marks', payload: sheet(2, 55, 38) });
    await call(app, judges[1]!, { method: 'POST', url: '/api/marks', payload: sheet(2, 50, 30) });
    const started = Date.now();
    await call(app, judges[2]!, { method: 'POST', url: '/api/marks', payload: sheet(2, 59, 39) });
    // Trimmed mean of 93, 80, 98 is 93; 93 of 100 × 70 % = 65.1.
    const update = await waitFor(sse, (m) => m.event === 'ranking' && m.data.rows.some((r: { number: number; total: number }) => r.number === 2 && r.total === 65.1));
    expect(Date.now() - started).toBeLessThan(500);
    // Only that row goes out: the first marked entry is 1st (provisional: other judges still to
    // mark), the others still await their first mark and stay unranked, so nothing else moves.
    expect(update.data.rows).toHaveLength(1);
    expect(update.data.rows[0]).toMatchObject({ number: 2, rank: 1, total: 65.1, provisional: true });
    expect(update.data.ranks).toEqual([]);
    sse.close();
  });

  it('resumes from Last-Event-ID with exactly the missed messages', async () => {
    const first = await SseClient.open(`${base}/api/public/events/${s.eventId}/live`);
    await first.next('snapshot');
    await call(app, judges[1]!, { method: 'POST', url: '/api/marks', payload: sheet(3, 59, 39) });
    const seen = await first.next('ranking');
    first.close();

    // Missed while disconnected: two more sheets.
    await call(app, judges[2]!, { method: 'POST', url: '/api/marks', payload: sheet(1, 30, 20) });
    await new Promise((r) => setTimeout(r, 20));
    await call(app, judges[3]!, { method: 'POST', url: '/api/marks', payload: sheet(4, 31, 20) });
    await new Promise((r) => setTimeout(r, 20));

    const again = await SseClient.open(`${base}/api/public/events/${s.eventId}/live`, { 'last-event-id': seen.id! });
    const a = await again.next('ranking');
    const b = await again.next('ranking');
    expect(again.messages.some((m) => m.event === 'snapshot')).toBe(false);
    expect([a.data.rows.map((r: { number: number }) => r.number), b.data.rows.map((r: { number: number }) => r.number)].flat()).toEqual(
      expect.arrayContaining([1, 4]),
    );
    again.close();

    const stale = await SseClient.open(`${base}/api/public/events/${s.eventId}/live`, { 'last-event-id': 'oldboot-3' });
    expect((await stale.next('snapshot')).data.rows).toHaveLength(4);
    stale.close();
  });

  it('streams a whole competition and refuses unknown events', async () => {
    const comp = await SseClient.open(`${base}/api/public/competitions/${s.competitionId}/live`);
    const snap = await comp.next('snapshot');
    expect(snap.data.events[0].eventId).toBe(s.eventId);
    await call(app, judges[4]!, { method: 'POST', url: '/api/marks', payload: sheet(2, 50, 30) });
    const update = await comp.next('ranking');
    expect(update.data.eventId).toBe(s.eventId);
    comp.close();
    await expect(SseClient.open(`${base}/api/public/events/999999/live`)).rejects.toThrow('404');
  });

  it('the staff ranking shows names and part details; judges and outsiders are refused', async () => {
    const organiser = await loginAs(app, 'organiser', s.orgId);
    const res = await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}/ranking` });
    expect(res.statusCode).toBe(200);
    const top = res.json().staffRows[0];
    expect(top.name).toMatch(/^选手/);
    expect(top.partDetails.find((p: { partId: string }) => p.partId === 'task1').judgeMarks.length).toBeGreaterThan(0);
    expect((await call(app, judges[0]!, { method: 'GET', url: `/api/events/${s.eventId}/ranking` })).statusCode).toBe(403);
    const other = makeOrg(app, { name: '别的县总工会' });
    const stranger = await loginAs(app, 'organiser', other.id);
    expect((await call(app, stranger, { method: 'GET', url: `/api/events/${s.eventId}/ranking` })).statusCode).toBe(403);
    expect((await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}/ranking?roundId=abc` })).statusCode).toBe(400);
    // A visitor is refused before the query is read.
    expect((await call(app, null, { method: 'GET', url: `/api/events/${s.eventId}/ranking?roundId=abc` })).statusCode).toBe(401);
  });

  it('ranks an incomplete entry after every complete one, or among them by total when the event says so', async () => {
    // Entry 4: its theory score and all five judges, low marks (complete). Entry 3: four of five
    // judges, high marks, no theory yet (provisional).
    const organiser = await loginAs(app, 'organiser', s.orgId);
    const theory = await call(app, organiser, {
      method: 'POST',
      url: `/api/events/${s.eventId}/objective-values`,
      payload: { cells: [{ idempotencyKey: newKey(), number: 4, field: 'theory', value: 20 }] },
    });
    expect(theory.statusCode).toBe(200);
    for (const j of judges) await call(app, j, { method: 'POST', url: '/api/marks', payload: sheet(4, 10, 5) });
    for (const j of [judges[0]!, judges[2]!, judges[3]!]) await call(app, j, { method: 'POST', url: '/api/marks', payload: sheet(3, 59, 39) });
    const ranking = async () =>
      (await call(app, null, { method: 'GET', url: `/api/public/events/${s.eventId}/ranking` })).json().rows as { number: number; rank: number | null; provisional: boolean; total: number }[];
    const place = (rows: { number: number }[], n: number) => rows.findIndex((r) => r.number === n);

    let rows = await ranking();
    expect(rows.find((r) => r.number === 3)).toMatchObject({ provisional: true });
    expect(rows.find((r) => r.number === 4)).toMatchObject({ provisional: false });
    expect(rows.find((r) => r.number === 3)!.total).toBeGreaterThan(rows.find((r) => r.number === 4)!.total);
    expect(place(rows, 4)).toBeLessThan(place(rows, 3));
    const ranked = rows.filter((r) => r.rank !== null);
    expect(ranked.findIndex((r) => r.provisional)).toBeGreaterThan(ranked.findLastIndex((r) => !r.provisional));

    const bad = await call(app, organiser, { method: 'PATCH', url: `/api/events/${s.eventId}`, payload: { liveIncompleteOrder: 'sideways' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toContain('liveIncompleteOrder');
    const ok = await call(app, organiser, { method: 'PATCH', url: `/api/events/${s.eventId}`, payload: { liveIncompleteOrder: 'by_total' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().liveIncompleteOrder).toBe('by_total');
    rows = await ranking();
    expect(place(rows, 3)).toBeLessThan(place(rows, 4));
    const totals = rows.filter((r) => r.rank !== null).map((r) => r.total);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
  });
});
