import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roundEntries, rounds } from '../../db/schema.ts';
import { loginAs, makeOrg } from '../helpers/factories.ts';
import { judgeLogin, makeScenario, newKey, type Scenario } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
let s: Scenario;
let judges: string[];
let chief: string;
let finalId: number;

/** A full sheet on the practical task: c1 out of 60, c2 out of 40. */
const sheet = (number: number, c1: number, c2: number, roundId?: number) => ({
  marks: [
    { idempotencyKey: newKey(), roundId, number, partId: 'task1', criterionId: 'c1', value: c1 },
    { idempotencyKey: newKey(), roundId, number, partId: 'task1', criterionId: 'c2', value: c2 },
  ],
});

beforeAll(async () => {
  app = await buildTestApp();
  s = makeScenario(app, { entrants: 5, judgeCount: 3 });
  // Preliminary (top 2 go through, ties included) then a final that adds the preliminary's total.
  app.db.update(rounds).set({ name: '预赛', kind: 'preliminary', advancement: { rule: { kind: 'top_n', n: 2 }, tiesAtCut: 'include' } }).where(eq(rounds.id, s.roundId)).run();
  finalId = app.db.insert(rounds).values({ eventId: s.eventId, seq: 2, name: '决赛', kind: 'final', carryOver: 'previous' }).returning().get().id;
  app.rankings.invalidate(s.eventId);
  judges = await Promise.all(s.judgeCodes.map((c) => judgeLogin(app, c)));
  chief = await judgeLogin(app, s.chiefCode);
});
afterAll(() => app.close());

describe('rounds and advancement', () => {
  it('refuses to advance while the round is open, then advances the top two into the final', async () => {
    // Practical marks (same from all three judges): 1 → 90, 2 → 80, 3 → 80, 4 → 70, 5 → 60.
    const marksFor: Record<number, [number, number]> = { 1: [55, 35], 2: [50, 30], 3: [50, 30], 4: [40, 30], 5: [30, 30] };
    for (const j of judges) for (const [n, [a, b]] of Object.entries(marksFor)) {
      const res = await call(app, j, { method: 'POST', url: '/api/marks', payload: sheet(Number(n), a, b) });
      expect(res.statusCode).toBe(200);
    }
    const early = await call(app, chief, { method: 'POST', url: `/api/rounds/${s.roundId}/advance` });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('marking_open');

    expect((await call(app, chief, { method: 'POST', url: `/api/rounds/${s.roundId}/close` })).statusCode).toBe(200);
    const res = await call(app, chief, { method: 'POST', url: `/api/rounds/${s.roundId}/advance` });
    expect(res.statusCode).toBe(200);
    // 2 and 3 share second place: with ties included at the cut, three go through.
    expect(res.json().advanced.map((a: { number: number }) => a.number).sort()).toEqual([1, 2, 3]);
    const inFinal = app.db.select().from(roundEntries).where(eq(roundEntries.roundId, finalId)).all();
    expect(inFinal).toHaveLength(3);
  });

  it('the final adds the preliminary total; contestants who did not qualify cannot be marked in it', async () => {
    // Final marks: 3 → 100, 2 → 70, 1 → 60 (practical only, × 70 %).
    for (const j of judges) {
      await call(app, j, { method: 'POST', url: '/api/marks', payload: sheet(3, 60, 40, finalId) });
      await call(app, j, { method: 'POST', url: '/api/marks', payload: sheet(2, 40, 30, finalId) });
      await call(app, j, { method: 'POST', url: '/api/marks', payload: sheet(1, 30, 30, finalId) });
    }
    const refused = await call(app, judges[0]!, { method: 'POST', url: '/api/marks', payload: sheet(4, 10, 10, finalId) });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('entry_not_in_round');

    const ranking = (await call(app, null, { method: 'GET', url: `/api/public/events/${s.eventId}/ranking?roundId=${finalId}` })).json();
    const total = (n: number) => ranking.rows.find((r: { number: number }) => r.number === n).total;
    // Preliminary 90 × 0.7 = 63 plus final 60 × 0.7 = 42 → 105; 2: 56 + 49 = 105; 3: 56 + 70 = 126.
    expect(total(3)).toBe(126);
    expect(total(1)).toBe(105);
    expect(total(2)).toBe(105);
    expect(ranking.rows[0].number).toBe(3);
  });

  it('refuses advancing by a plain judge or an organiser outside the subtree', async () => {
    expect((await call(app, judges[0]!, { method: 'POST', url: `/api/rounds/${s.roundId}/advance` })).statusCode).toBe(403);
    // The province's organiser is above the county, so in scope (refused only because the final has marks); a sibling county's is not.
    const province = await loginAs(app, 'organiser');
    const sibling = await loginAs(app, 'organiser', makeOrg(app, { name: '隔壁县总工会' }).id);
    const again = await call(app, province, { method: 'POST', url: `/api/rounds/${s.roundId}/advance` });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('marks_exist');
    expect((await call(app, sibling, { method: 'POST', url: `/api/rounds/${s.roundId}/advance` })).statusCode).toBe(403);
    expect((await call(app, chief, { method: 'POST', url: '/api/rounds/abc/advance' })).statusCode).toBe(400);
  });
});
