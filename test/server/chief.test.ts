import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judges, marks } from '../../db/schema.ts';
import { OUTLIER_MIN_POINTS, OUTLIER_SHARE_OF_MAX, outlierThreshold, type MarkingProgress } from '../../server/contracts/chief.ts';
import { loginAs, makeEvent, makeJudge, makeOrg } from '../helpers/factories.ts';
import { judgeLogin, makeScenario, newKey, type Scenario } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
let s: Scenario;
let chief: string;
let judgeCookies: string[];

const sheet = (number: number, c1: number, c2: number) => ({
  marks: [
    { idempotencyKey: newKey(), number, partId: 'task1', criterionId: 'c1', value: c1 },
    { idempotencyKey: newKey(), number, partId: 'task1', criterionId: 'c2', value: c2 },
  ],
});

async function progress(cookie: string | null = chief, query = ''): Promise<MarkingProgress> {
  const res = await call(app, cookie, { method: 'GET', url: `/api/events/${s.eventId}/progress${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const cell = (p: MarkingProgress, number: number, judgeId: number) => p.rows.find((r) => r.number === number)!.cells.find((c) => c.judgeId === judgeId)!;

beforeAll(async () => {
  app = await buildTestApp();
  s = makeScenario(app);
  chief = await judgeLogin(app, s.chiefCode);
  judgeCookies = await Promise.all(s.judgeCodes.map((c) => judgeLogin(app, c)));
  // Judge 5 works for the employer of the odd-numbered entrants: recused from them.
  app.db.update(judges).set({ employerId: s.employerIds[1] }).where(eq(judges.id, s.judgeIds[4]!)).run();
  judgeCookies[4] = await judgeLogin(app, s.judgeCodes[4]!);
});
afterAll(() => app.close());

describe('the outlier rule', () => {
  it('is max(2 points, 20 % of the part maximum)', () => {
    expect([OUTLIER_MIN_POINTS, OUTLIER_SHARE_OF_MAX]).toEqual([2, 0.2]);
    expect(outlierThreshold(100)).toBe(20);
    expect(outlierThreshold(5)).toBe(2);
  });
});

describe('marking progress', () => {
  it('starts with every contestant × judge cell empty and everything missing', async () => {
    const p = await progress();
    expect(p.roundId).toBe(s.roundId);
    expect(p.judges.map((j) => j.id)).toEqual(s.judgeIds);
    expect(p.rows.map((r) => r.number)).toEqual([1, 2, 3, 4, 5, 6]);
    // No panel is seated: the event's five judges are the panel.
    expect(p.parts).toEqual([{ id: 'task1', name: '技能操作', max: 100, criteria: 2, outlierThreshold: 20, judgeIds: s.judgeIds, seated: false }]);
    expect(p.objectiveParts.map((o) => o.id)).toEqual(['theory']);
    // 6 contestants × 5 judges × 2 criteria, less judge 5 on the three odd numbers.
    expect(p.totals).toMatchObject({ expected: 54, marked: 0, missing: 54, completeEntries: 0, checkedIn: 6, outliers: 0 });
    expect(cell(p, 1, s.judgeIds[4]!)).toMatchObject({ recused: true, expected: 0 });
    expect(cell(p, 2, s.judgeIds[4]!)).toMatchObject({ recused: false, expected: 2, marked: 0 });
    expect(p.rows[0]!.name).toBeUndefined();
    expect(p.pendingCorrections).toBe(0);
  });

  it('counts what is in and flags a part mark far from the panel’s median', async () => {
    // Number 1: 80, 82, 81 and an odd 50 (30.5 from the median 80.5, more than 20).
    const sheets = [sheet(1, 48, 32), sheet(1, 50, 32), sheet(1, 49, 32), sheet(1, 30, 20)];
    for (const [i, body] of sheets.entries()) {
      const res = await call(app, judgeCookies[i]!, { method: 'POST', url: '/api/marks', payload: body });
      expect(res.statusCode, res.body).toBe(200);
    }
    // Number 2: judge 1 marks one criterion only.
    await call(app, judgeCookies[0]!, { method: 'POST', url: '/api/marks', payload: { marks: sheet(2, 40, 30).marks.slice(0, 1) } });
    // The theory result is entered by staff, never by a judge (not even the chief judge) …
    const byChief = await call(app, chief, { method: 'POST', url: '/api/marks', payload: { marks: [{ idempotencyKey: newKey(), number: 1, partId: 'theory', criterionId: 'theory', value: 88 }] } });
    expect(byChief.statusCode).toBe(403);
    expect(byChief.json().code).toBe('objective_part_staff_only');
    // … so the chief enters it as an objective value, not a mark.
    const theory = await call(app, chief, {
      method: 'POST',
      url: `/api/events/${s.eventId}/objective-values`,
      payload: { cells: [{ idempotencyKey: newKey(), number: 1, field: 'theory', value: 88 }] },
    });
    expect(theory.statusCode, theory.body).toBe(200);

    const p = await progress();
    const odd = cell(p, 1, s.judgeIds[3]!);
    expect(odd).toMatchObject({ marked: 2, expected: 2 });
    expect(odd.parts).toEqual([{ partId: 'task1', mark: 50, median: 80.5, outlier: true }]);
    expect(cell(p, 1, s.judgeIds[0]!).parts[0]).toEqual({ partId: 'task1', mark: 80, median: 80.5, outlier: false });
    expect(cell(p, 2, s.judgeIds[0]!)).toMatchObject({ marked: 1, expected: 2, parts: [{ partId: 'task1', mark: null, median: null, outlier: false }] });
    const row1 = p.rows.find((r) => r.number === 1)!;
    // Judge 5 is recused from number 1: four marks are all the panel owes, so the entry is complete, not provisional.
    expect(row1).toMatchObject({ marked: 8, expected: 8, complete: true, provisional: false });
    expect(row1.objective).toEqual([{ partId: 'theory', value: 88 }]);
    expect(p.totals).toMatchObject({ expected: 54, marked: 9, missing: 45, completeEntries: 1, outliers: 1 });
  });

  it('does not flag marks within the threshold, nor with fewer than three marks in', async () => {
    // Number 3: 60 and 85 (two marks: no median to judge by).
    await call(app, judgeCookies[0]!, { method: 'POST', url: '/api/marks', payload: sheet(3, 30, 30) });
    await call(app, judgeCookies[1]!, { method: 'POST', url: '/api/marks', payload: sheet(3, 50, 35) });
    let p = await progress();
    expect(cell(p, 3, s.judgeIds[0]!).parts[0]).toMatchObject({ mark: 60, median: null, outlier: false });
    // A third mark of 80: median 80, 60 is exactly 20 away (not more): not flagged.
    await call(app, judgeCookies[2]!, { method: 'POST', url: '/api/marks', payload: sheet(3, 50, 30) });
    p = await progress();
    expect(cell(p, 3, s.judgeIds[0]!).parts[0]).toMatchObject({ mark: 60, median: 80, outlier: false });
    expect(p.totals.outliers).toBe(1);
  });

  it('shows pending corrections, and clears the flag once the chief judge corrects the outlier', async () => {
    const mark = (await call(app, judgeCookies[3]!, { method: 'GET', url: '/api/judge/marks?number=1' })).json().find((m: { criterionId: string }) => m.criterionId === 'c1');
    const req = await call(app, judgeCookies[3]!, { method: 'POST', url: '/api/corrections', payload: { markId: mark.id, newValue: 48, reason: '误录' } });
    expect(req.statusCode).toBe(201);
    let p = await progress();
    expect(p.pendingCorrections).toBe(1);
    expect(cell(p, 1, s.judgeIds[3]!).correctionPending).toBe(true);
    const decision = await call(app, chief, { method: 'POST', url: `/api/corrections/${req.json().id}/decision`, payload: { decision: 'approve', note: '核对无误' } });
    expect(decision.statusCode).toBe(200);
    p = await progress();
    expect(p.pendingCorrections).toBe(0);
    expect(cell(p, 1, s.judgeIds[3]!)).toMatchObject({ correctionPending: false, parts: [{ mark: 68, outlier: false }] });
  });

  it('reads another round by id and refuses a bad or foreign one', async () => {
    expect((await progress(chief, `?roundId=${s.roundId}`)).roundId).toBe(s.roundId);
    const bad = await call(app, chief, { method: 'GET', url: `/api/events/${s.eventId}/progress?roundId=abc` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toContain('roundId');
    const other = makeEvent(app);
    const foreign = await call(app, chief, { method: 'GET', url: `/api/events/${s.eventId}/progress?roundId=${other.round.id}` });
    expect(foreign.statusCode).toBe(404);
  });

  it('is for the chief judge, the supervisor and admins or organisers in scope', async () => {
    const url = `/api/events/${s.eventId}/progress`;
    expect((await call(app, null, { method: 'GET', url })).statusCode).toBe(401);
    expect((await call(app, judgeCookies[0]!, { method: 'GET', url })).statusCode).toBe(403);
    makeJudge(app, s.eventId, { role: 'scorer', code: 'SCORERX1' });
    expect((await call(app, await judgeLogin(app, 'SCORERX1'), { method: 'GET', url })).statusCode).toBe(403);
    makeJudge(app, s.eventId, { role: 'supervisor', code: 'SUPERVI1' });
    expect((await call(app, await judgeLogin(app, 'SUPERVI1'), { method: 'GET', url })).statusCode).toBe(200);
    expect((await call(app, await loginAs(app, 'organiser', s.orgId), { method: 'GET', url })).statusCode).toBe(200);
    expect((await call(app, await loginAs(app, 'viewer', s.orgId), { method: 'GET', url })).statusCode).toBe(403);
    const outsider = await loginAs(app, 'admin', makeOrg(app, { name: '外县总工会' }).id);
    expect((await call(app, outsider, { method: 'GET', url })).statusCode).toBe(403);
    makeJudge(app, makeEvent(app).id, { role: 'chief', code: 'OTHERCH1' });
    const otherChief = await judgeLogin(app, 'OTHERCH1');
    expect((await call(app, otherChief, { method: 'GET', url })).statusCode).toBe(403);
  });

  it('shows names only after the chief judge closes marking and releases the results', async () => {
    expect((await call(app, chief, { method: 'POST', url: `/api/rounds/${s.roundId}/close` })).statusCode).toBe(200);
    expect((await progress()).rounds[0]!.status).toBe('closed');
    // The results check (top 10 + a drawn sample) comes before release.
    const drawn = await call(app, chief, { method: 'POST', url: `/api/events/${s.eventId}/rechecks/draw` });
    expect(drawn.statusCode, drawn.body).toBe(200);
    for (const item of drawn.json().items as { id: number }[])
      expect((await call(app, chief, { method: 'POST', url: `/api/rechecks/${item.id}/check`, payload: {} })).statusCode).toBe(200);
    // Numbers 2 … 6 lack marks: the release needs a reason for each.
    const incompleteReasons = [2, 3, 4, 5, 6].map((number) => ({ number, reason: '演示：未完成评分' }));
    const release = await call(app, chief, { method: 'POST', url: `/api/events/${s.eventId}/release`, payload: { incompleteReasons } });
    expect(release.statusCode, release.body).toBe(200);
    const p = await progress();
    expect(p.released).toBe(true);
    expect(p.rows[0]!.name).toBe('选手1');
  });
});
