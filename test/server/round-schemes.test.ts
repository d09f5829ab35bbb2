import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, rounds } from '../../db/schema.ts';
import type { SchemeInput } from '../../server/contracts/scheme.ts';
import { loginAs } from '../helpers/factories.ts';
import { judgeLogin, makeScenario, newKey, type Scenario } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

type TieBreak = 'completion_time' | 'practical' | 'theory';

/** A practical and a written task, one criterion each, out of 100, marked in steps of `step`. */
function scheme(practicalWeight: number, tieBreaks: TieBreak[], step = 0.5): SchemeInput {
  return {
    totaling: 'weighted',
    tieBreaks,
    parts: [
      { id: 'task1', name: '实操', role: 'practical', weight: practicalWeight, max: 100, marking: 'rubric', criteria: [{ id: 'a', name: '实操', max: 100, step }] },
      { id: 'task2', name: '笔试', role: 'theory', weight: 100 - practicalWeight, max: 100, marking: 'rubric', criteria: [{ id: 'b', name: '笔试', max: 100, step }] },
    ],
  };
}

/** The preliminary: 50 / 50 in half points, ties go to the higher practical score. */
const PRELIMINARY = scheme(50, ['practical']);
/** The final: 80 / 20 in whole points, ties go to the higher theory score. */
const finalScheme = (tieBreaks: TieBreak[] = ['theory'], weight = 80) => scheme(weight, tieBreaks, 1);
const FINAL = finalScheme();

type Row = { number: number; rank: number | null; total: number };

let app: TestApp;
let s: Scenario;
let organiser: string;
let judge: string;
let chief: string;
let finalId: number;

const sheet = (number: number, t1: number, t2: number, roundId?: number) => ({
  marks: [
    { idempotencyKey: newKey(), roundId, number, partId: 'task1', criterionId: 'a', value: t1 },
    { idempotencyKey: newKey(), roundId, number, partId: 'task2', criterionId: 'b', value: t2 },
  ],
});
const ranking = async (roundId: number) =>
  (await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}/ranking?roundId=${roundId}` })).json() as {
    parts: { id: string }[];
    staffRows: (Row & { tieBrokenBy: string | null })[];
  };

/** The same marks in both rounds: 1 → 90/50, 2 → 60/90, 3 → 80/60, 4 → 85/40. */
const MARKS: [number, number, number][] = [
  [1, 90, 50],
  [2, 60, 90],
  [3, 80, 60],
  [4, 85, 40],
];

beforeAll(async () => {
  app = await buildTestApp();
  s = makeScenario(app, { entrants: 4, judgeCount: 1, scheme: PRELIMINARY });
  app.db.update(rounds).set({ name: '预赛', kind: 'preliminary', advancement: { rule: { kind: 'top_n', n: 4 }, tiesAtCut: 'include' } }).where(eq(rounds.id, s.roundId)).run();
  organiser = await loginAs(app, 'organiser', s.orgId);
  judge = await judgeLogin(app, s.judgeCodes[0]!);
  chief = await judgeLogin(app, s.chiefCode);
  const created = await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/rounds`, payload: { name: '决赛', kind: 'final' } });
  expect(created.statusCode).toBe(201);
  expect(created.json().scheme).toBeNull();
  finalId = created.json().id;
});
afterAll(() => app.close());

describe('a scheme per round', () => {
  it('sets the final’s own scheme, validated like the event’s, and shows it on the event', async () => {
    const bad = await call(app, organiser, { method: 'PATCH', url: `/api/rounds/${finalId}`, payload: { scheme: { ...FINAL, parts: [FINAL.parts[0]] } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.scheme.parts');
    expect(bad.json().errors[0].message).toContain('weights add up to 80');

    const res = await call(app, organiser, { method: 'PATCH', url: `/api/rounds/${finalId}`, payload: { scheme: FINAL } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().scheme.parts.map((p: { weight: number }) => p.weight)).toEqual([80, 20]);
    expect(res.json().scheme.tieBreaks).toEqual(['theory']);
    const event = (await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}` })).json();
    expect(event.rounds.map((r: { scheme: unknown }) => r.scheme === null)).toEqual([true, false]);
    const audit = app.db.select().from(auditLog).where(eq(auditLog.action, 'round.update')).all().at(-1);
    expect(audit?.after).toMatchObject({ scheme: { tieBreaks: ['theory'] } });
  });

  it('refuses read-only roles and anyone signed out', async () => {
    const viewer = await loginAs(app, 'viewer', s.orgId);
    expect((await call(app, viewer, { method: 'PATCH', url: `/api/rounds/${finalId}`, payload: { scheme: null } })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'PATCH', url: `/api/rounds/${finalId}`, payload: { scheme: null } })).statusCode).toBe(401);
  });

  it('ranks the preliminary by its weights and tie-break', async () => {
    for (const [n, t1, t2] of MARKS) expect((await call(app, judge, { method: 'POST', url: '/api/marks', payload: sheet(n, t1, t2) })).statusCode).toBe(200);
    const prelim = await ranking(s.roundId);
    // 50/50: 2 → 75; 1 and 3 → 70, practical 45 vs 40 breaks the tie; 4 → 62.5.
    expect(prelim.staffRows.map((r) => [r.number, r.rank, r.total])).toEqual([
      [2, 1, 75],
      [1, 2, 70],
      [3, 3, 70],
      [4, 4, 62.5],
    ]);
    expect(prelim.staffRows[2]!.tieBrokenBy).toBe('practical');
  });

  it('ranks the final differently by its own weights and tie-break', async () => {
    expect((await call(app, chief, { method: 'POST', url: `/api/rounds/${s.roundId}/close` })).statusCode).toBe(200);
    expect((await call(app, chief, { method: 'POST', url: `/api/rounds/${s.roundId}/advance` })).statusCode).toBe(200);
    for (const [n, t1, t2] of MARKS) expect((await call(app, judge, { method: 'POST', url: '/api/marks', payload: sheet(n, t1, t2, finalId) })).statusCode).toBe(200);
    const final = await ranking(finalId);
    // 80/20: 1 → 82; 3 and 4 → 76, theory 12 vs 8 puts 3 first (the preliminary's practical rule would put 4 first); 2 → 66.
    expect(final.staffRows.map((r) => [r.number, r.rank, r.total])).toEqual([
      [1, 1, 82],
      [3, 2, 76],
      [4, 3, 76],
      [2, 4, 66],
    ]);
    expect(final.staffRows[2]!.tieBrokenBy).toBe('theory');
  });

  it('checks marks against the round’s scheme: the event’s half points are refused in the final', async () => {
    const res = await call(app, judge, {
      method: 'POST',
      url: '/api/marks',
      payload: { marks: [{ idempotencyKey: newKey(), roundId: finalId, number: 1, partId: 'task1', criterionId: 'a', value: 80.5 }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('mark_off_step');
  });

  it('shows the round’s scheme to the judges, the chief judge’s grid and the venue screen', async () => {
    const panel = (await call(app, chief, { method: 'GET', url: '/api/judge/panel' })).json();
    const finalRound = panel.rounds.find((r: { id: number }) => r.id === finalId);
    expect(finalRound.scheme.parts.map((p: { weight: number }) => p.weight)).toEqual([80, 20]);
    expect(panel.rounds.find((r: { id: number }) => r.id === s.roundId).scheme.parts.map((p: { weight: number }) => p.weight)).toEqual([50, 50]);
    const grid = (await call(app, chief, { method: 'GET', url: `/api/events/${s.eventId}/progress?roundId=${finalId}` })).json();
    expect(grid.parts.map((p: { id: string }) => p.id)).toEqual(['task1', 'task2']);
    expect(grid.totals.missing).toBe(0);
  });

  it('once the round has marks, refuses a change that would orphan or re-score them, naming the marked parts', async () => {
    const orphan = await call(app, organiser, {
      method: 'PATCH',
      url: `/api/rounds/${finalId}`,
      payload: { scheme: { ...FINAL, parts: [{ ...FINAL.parts[0]!, weight: 100 }] } },
    });
    expect(orphan.statusCode).toBe(409);
    expect(orphan.json().code).toBe('marks_exist');
    expect(orphan.json().detail).toContain('orphan the marks of task2.b');
    expect(orphan.json().errors[0].field).toBe('body.scheme');

    const reweigh = await call(app, organiser, { method: 'PATCH', url: `/api/rounds/${finalId}`, payload: { scheme: finalScheme(['theory'], 70) } });
    expect(reweigh.statusCode).toBe(409);
    expect(reweigh.json().detail).toContain('re-score');

    const back = await call(app, organiser, { method: 'PATCH', url: `/api/rounds/${finalId}`, payload: { scheme: null } });
    expect(back.statusCode).toBe(409);
    expect(back.json().code).toBe('marks_exist');
  });

  it('still lets the tie-break chain change, and the ranking follows it', async () => {
    const res = await call(app, organiser, { method: 'PATCH', url: `/api/rounds/${finalId}`, payload: { scheme: finalScheme(['practical']) } });
    expect(res.statusCode, res.body).toBe(200);
    const final = await ranking(finalId);
    expect(final.staffRows.map((r) => r.number)).toEqual([1, 4, 3, 2]);
    expect(final.staffRows[2]!.tieBrokenBy).toBe('practical');
  });

  it('keeps the event’s scheme frozen by the marked preliminary, which uses it', async () => {
    const res = await call(app, organiser, { method: 'PATCH', url: `/api/events/${s.eventId}`, payload: { scheme: scheme(60, ['practical']) } });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('marks_exist');
  });
});
