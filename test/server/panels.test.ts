import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, judges, marks } from '../../db/schema.ts';
import type { PanelGrid } from '../../server/contracts/judges.ts';
import type { SchemeInput } from '../../server/contracts/scheme.ts';
import { loginAs, makeJudge, seatPanel } from '../helpers/factories.ts';
import { completeRecheck, judgeLogin, makeScenario, newKey, type Scenario } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

/**
 * Panels per round and part: who marks what, how many marks an entry expects (the panel minus
 * judges recused from it), and what that means for marks, rankings and the release of results.
 */

let app: TestApp;
let organiser: string;

/** A drone-like scheme: theory (objective) + flight + mission, 3-judge panels dropping the highest and lowest. */
const DRONE: SchemeInput = {
  totaling: 'weighted',
  parts: [
    { id: 'theory', name: '理论知识考试', role: 'theory', weight: 20, max: 100, marking: 'objective' },
    {
      id: 'flight',
      name: '飞行操控',
      role: 'practical',
      weight: 40,
      max: 100,
      marking: 'rubric',
      criteria: [
        { id: 'route', name: '航迹', max: 60 },
        { id: 'quality', name: '动作质量', max: 40 },
      ],
      aggregation: { kind: 'trimmed_mean', drop: 1 },
      minMarks: 3,
      expectedMarks: 3,
    },
    {
      id: 'mission',
      name: '任务规划',
      role: 'practical',
      weight: 40,
      max: 100,
      marking: 'rubric',
      // The same criterion id as in flight: marks are keyed by part and criterion.
      criteria: [
        { id: 'plan', name: '航线规划', max: 60 },
        { id: 'quality', name: '成果质量', max: 40 },
      ],
      aggregation: { kind: 'trimmed_mean', drop: 1 },
      minMarks: 3,
      expectedMarks: 3,
    },
  ],
};

const mark = (number: number, partId: string, criterionId: string, value: number, extra: Record<string, unknown> = {}) => ({
  idempotencyKey: newKey(),
  number,
  partId,
  criterionId,
  value,
  ...extra,
});
const part = (number: number, partId: string, a: number, b: number, extra: Record<string, unknown> = {}) => {
  const [c1, c2] = partId === 'flight' ? ['route', 'quality'] : ['plan', 'quality'];
  return [mark(number, partId, c1!, a, extra), mark(number, partId, c2!, b, extra)];
};
const post = (cookie: string, marksList: unknown[]) => call(app, cookie, { method: 'POST', url: '/api/marks', payload: { marks: marksList } });

beforeAll(async () => {
  app = await buildTestApp();
  organiser = await loginAs(app, 'organiser');
});
afterAll(() => app.close());

/** A running drone event with 4 entrants and 7 judges (A … G), signed in. */
async function droneEvent(opts: { judges?: number } = {}) {
  const s = makeScenario(app, { entrants: 4, judgeCount: opts.judges ?? 7, scheme: DRONE });
  const cookies = await Promise.all(s.judgeCodes.map((c) => judgeLogin(app, c)));
  const chief = await judgeLogin(app, s.chiefCode);
  const org = await loginAs(app, 'organiser', s.orgId);
  return { s, cookies, chief, org };
}

async function setPanels(cookie: string, s: Scenario, panels: { partId: string; criterionId?: string; judgeIds: number[] }[]) {
  return call(app, cookie, { method: 'PUT', url: `/api/rounds/${s.roundId}/panels`, payload: { panels } });
}

describe('panels per round and part', () => {
  it('seats "flight: A–E, mission: C–G" and shows each panel’s size; objective parts have none', async () => {
    const { s, org } = await droneEvent();
    const [A, B, C, D, E, F, G] = s.judgeIds;
    const before = await call(app, org, { method: 'GET', url: `/api/events/${s.eventId}/panels` });
    expect(before.statusCode).toBe(200);
    expect(before.json().parts.map((p: { partId: string }) => p.partId)).toEqual(['flight', 'mission']);
    expect(before.json().parts[0].panels).toEqual([{ criterionId: null, criterionName: null, judgeIds: [], size: 0, traineeSeats: 0, expectedMarks: 3, belowMinMarks: false, recusals: [] }]);
    expect(before.json().judges.map((j: { id: number }) => j.id)).toEqual([...s.judgeIds, s.chiefId]);

    const res = await setPanels(org, s, [
      { partId: 'flight', judgeIds: [A!, B!, C!, D!, E!] },
      { partId: 'mission', judgeIds: [C!, D!, E!, F!, G!] },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    const grid = res.json();
    expect(grid.parts[0].panels[0]).toMatchObject({ judgeIds: [A, B, C, D, E], size: 5, expectedMarks: 5, belowMinMarks: false });
    expect(grid.parts[1].panels[0]).toMatchObject({ judgeIds: [C, D, E, F, G], size: 5 });
    expect(app.db.select().from(auditLog).where(eq(auditLog.action, 'panel.set')).all().length).toBeGreaterThanOrEqual(2);
    // The ranking knows the panel size now.
    const ranking = (await call(app, null, { method: 'GET', url: `/api/public/events/${s.eventId}/ranking` })).json();
    expect(ranking.parts.map((p: { id: string; expectedMarks: number }) => [p.id, p.expectedMarks])).toEqual([
      ['theory', 1],
      ['flight', 5],
      ['mission', 5],
    ]);

    // A panel smaller than minMarks is allowed but flagged.
    const small = await setPanels(org, s, [{ partId: 'mission', judgeIds: [F!, G!] }]);
    expect(small.json().parts[1].panels[0]).toMatchObject({ size: 2, belowMinMarks: true });
  });

  it('refuses an objective part, an unknown part, a judge who is not on the event or does not mark, naming each field', async () => {
    const { s, org } = await droneEvent({ judges: 3 });
    const supervisor = makeJudge(app, s.eventId, { role: 'supervisor' });
    const stranger = makeJudge(app, makeScenario(app, { entrants: 1, judgeCount: 1 }).eventId);
    const objective = await setPanels(org, s, [{ partId: 'theory', judgeIds: [s.judgeIds[0]!] }]);
    expect(objective.statusCode).toBe(400);
    expect(objective.json()).toMatchObject({ code: 'objective_part_no_panel', errors: [{ field: 'body.panels.0.partId' }] });
    const res = await setPanels(org, s, [
      { partId: 'nope', judgeIds: [] },
      { partId: 'flight', judgeIds: [s.judgeIds[0]!, supervisor.id, stranger.id, s.judgeIds[0]!] },
    ]);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string; message: string }) => `${e.field} ${e.message.split(':')[0]}`)).toEqual([
      'body.panels.0.partId unknown_part',
      'body.panels.1.judgeIds.1 not_a_marking_judge',
      'body.panels.1.judgeIds.2 unknown_judge',
      'body.panels.1.judgeIds.3 duplicate_judge',
    ]);
    const perPart = await setPanels(org, s, [{ partId: 'flight', criterionId: 'route', judgeIds: [] }]);
    expect(perPart.json().code).toBe('panel_per_part');
  });

  it('is set by admins and organisers in scope or the chief judge; others may at most read it', async () => {
    const { s, cookies, chief, org } = await droneEvent({ judges: 3 });
    const url = `/api/rounds/${s.roundId}/panels`;
    const payload = { panels: [{ partId: 'flight', judgeIds: s.judgeIds }] };
    expect((await call(app, chief, { method: 'PUT', url, payload })).statusCode).toBe(200);
    expect((await call(app, org, { method: 'PUT', url, payload })).statusCode).toBe(200);
    expect((await call(app, cookies[0]!, { method: 'PUT', url, payload })).statusCode).toBe(403);
    expect((await call(app, await loginAs(app, 'viewer', s.orgId), { method: 'PUT', url, payload })).statusCode).toBe(403);
    expect((await call(app, organiser, { method: 'PUT', url, payload })).statusCode).toBe(200); // root organiser: in scope
    expect((await call(app, null, { method: 'PUT', url, payload })).statusCode).toBe(401);
    expect((await call(app, await loginAs(app, 'viewer', s.orgId), { method: 'GET', url: `/api/events/${s.eventId}/panels` })).statusCode).toBe(200);
    expect((await call(app, cookies[0]!, { method: 'GET', url: `/api/events/${s.eventId}/panels` })).statusCode).toBe(403);
    expect((await call(app, org, { method: 'PUT', url: '/api/rounds/999999/panels', payload })).statusCode).toBe(404);
  });

  it('keeps a judge who has marked a part on its panel', async () => {
    const { s, cookies, org } = await droneEvent({ judges: 4 });
    expect((await post(cookies[0]!, part(1, 'flight', 50, 30))).statusCode).toBe(200);
    const res = await setPanels(org, s, [{ partId: 'flight', judgeIds: s.judgeIds.slice(1) }]);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('marks_exist');
    expect((await setPanels(org, s, [{ partId: 'flight', judgeIds: s.judgeIds.slice(0, 3) }])).statusCode).toBe(200);
  });
});

describe('marks follow the panels', () => {
  it('lets a judge mark only the parts they are seated on', async () => {
    const { s, cookies, org } = await droneEvent();
    const [A, , C, , , F] = s.judgeIds;
    await setPanels(org, s, [
      { partId: 'flight', judgeIds: s.judgeIds.slice(0, 5) },
      { partId: 'mission', judgeIds: s.judgeIds.slice(2, 7) },
    ]);
    // A marks flight, not mission; F marks mission, not flight; C both.
    expect((await post(cookies[0]!, part(2, 'flight', 50, 30))).statusCode).toBe(200);
    const notOnPanel = await post(cookies[0]!, part(2, 'mission', 50, 30));
    expect(notOnPanel.statusCode).toBe(403);
    expect(notOnPanel.json()).toMatchObject({ code: 'not_on_panel', errors: [{ field: 'body.marks.0.partId' }, { field: 'body.marks.1.partId' }] });
    expect(notOnPanel.json().detail).toContain('任务规划');
    expect((await post(cookies[5]!, part(2, 'flight', 50, 30))).json().code).toBe('not_on_panel');
    expect((await post(cookies[5]!, part(2, 'mission', 50, 30))).statusCode).toBe(200);
    expect((await post(cookies[2]!, [...part(2, 'flight', 51, 30), ...part(2, 'mission', 49, 30)])).statusCode).toBe(200);
    expect(app.db.select().from(marks).where(eq(marks.judgeId, A!)).all()).toHaveLength(2);
    expect(app.db.select().from(marks).where(eq(marks.judgeId, C!)).all()).toHaveLength(4);
    expect(app.db.select().from(marks).where(eq(marks.judgeId, F!)).all()).toHaveLength(2);
  });

  it('refuses a mark beyond the panel (no 4th mark on a 3-judge part), so the trimmed mean stays as the panel gave it', async () => {
    // No panel seated: the scheme's expectedMarks (3) is the panel size.
    const { s, cookies } = await droneEvent({ judges: 4 });
    for (const [i, v] of [50, 54, 58].entries()) expect((await post(cookies[i]!, part(1, 'flight', v, 30))).statusCode).toBe(200);
    const ranking = async () => (await call(app, null, { method: 'GET', url: `/api/public/events/${s.eventId}/ranking` })).json().rows.find((r: { number: number }) => r.number === 1);
    const before = await ranking();
    expect(before.parts.find((p: { partId: string }) => p.partId === 'flight')).toMatchObject({ score: 84, marksIn: 3, expected: 3 });
    const fourth = await post(cookies[3]!, part(1, 'flight', 20, 10));
    expect(fourth.statusCode).toBe(409);
    expect(fourth.json()).toMatchObject({ code: 'panel_full', errors: [{ field: 'body.marks.0.partId' }, { field: 'body.marks.1.partId' }] });
    expect((await ranking()).parts.find((p: { partId: string }) => p.partId === 'flight').score).toBe(84);
    // A judge already on the part may still finish it (a second criterion in a later sheet).
    expect((await post(cookies[3]!, part(1, 'mission', 40, 20))).statusCode).toBe(200);
  });

  it('refuses a marking judge (even the chief judge) posting an objective part: staff enter those', async () => {
    const { cookies, chief } = await droneEvent({ judges: 3 });
    for (const cookie of [cookies[0]!, chief]) {
      const res = await post(cookie, [mark(1, 'theory', 'theory', 82)]);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'objective_part_staff_only', errors: [{ field: 'body.marks.0.partId' }] });
    }
    expect(app.db.select().from(marks).where(eq(marks.partId, 'theory')).all()).toHaveLength(0);
  });

  it('keys marks by part: two parts with the same criterion id are both marked, scored and corrected apart', async () => {
    const { s, cookies, chief } = await droneEvent({ judges: 3 });
    for (const [i, cookie] of cookies.entries()) {
      const res = await post(cookie, [...part(3, 'flight', 50 + i, 30), ...part(3, 'mission', 40 + i, 20)]);
      expect(res.statusCode, res.body).toBe(200);
    }
    const stored = app.db.select().from(marks).where(eq(marks.judgeId, s.judgeIds[0]!)).all();
    expect(stored.filter((m) => m.criterionId === 'quality').map((m) => `${m.partId}:${m.value}`).sort()).toEqual(['flight:30', 'mission:20']);
    // A second mark for one of them is still refused, naming the part's criterion.
    const again = await post(cookies[0]!, [mark(3, 'mission', 'quality', 21)]);
    expect(again.json().code).toBe('already_marked');

    const staff = (await call(app, chief, { method: 'GET', url: `/api/events/${s.eventId}/ranking` })).json();
    const row = staff.staffRows.find((r: { number: number }) => r.number === 3);
    expect(row.partDetails.find((p: { partId: string }) => p.partId === 'flight')).toMatchObject({ aggregate: 81, marksIn: 3, complete: true });
    expect(row.partDetails.find((p: { partId: string }) => p.partId === 'mission')).toMatchObject({ aggregate: 61, marksIn: 3, complete: true });

    // Correcting mission·quality leaves flight·quality alone.
    const own = (await call(app, cookies[0]!, { method: 'GET', url: '/api/judge/marks?number=3' })).json();
    expect(own).toHaveLength(4);
    const missionQuality = own.find((m: { partId: string; criterionId: string }) => m.partId === 'mission' && m.criterionId === 'quality');
    const corrected = await call(app, chief, { method: 'POST', url: `/api/marks/${missionQuality.id}/correct`, payload: { value: 25, reason: '复核' } });
    expect(corrected.statusCode, corrected.body).toBe(200);
    const history = (await call(app, chief, { method: 'GET', url: `/api/marks/${missionQuality.id}/history` })).json();
    expect(history.versions.map((v: { partId: string; value: number }) => `${v.partId}:${v.value}`)).toEqual(['mission:20', 'mission:25']);
    const after = (await call(app, cookies[0]!, { method: 'GET', url: '/api/judge/marks?number=3' })).json();
    expect(after.map((m: { partId: string; criterionId: string; value: number }) => `${m.partId}.${m.criterionId}=${m.value}`).sort()).toEqual([
      'flight.quality=30',
      'flight.route=50',
      'mission.plan=40',
      'mission.quality=25',
    ]);
  });

  it('refuses a scheme with the same criterion id twice in one part', async () => {
    const { s, org } = await droneEvent({ judges: 1 });
    const scheme = structuredClone(DRONE);
    scheme.parts[1]!.criteria = [
      { id: 'route', name: '航迹', max: 60 },
      { id: 'route', name: '重复', max: 40 },
    ];
    const res = await call(app, org, { method: 'PATCH', url: `/api/events/${s.eventId}`, payload: { scheme } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain('body.scheme.parts.1.criteria.1.id');
  });
});

/** Theory scores of 80 for these numbers, entered by the chief judge in the objective grid (never as marks). */
async function enterTheory(chief: string, eventId: number, numbers: number[]) {
  const res = await call(app, chief, {
    method: 'POST',
    url: `/api/events/${eventId}/objective-values`,
    payload: { cells: numbers.map((number) => ({ idempotencyKey: newKey(), number, field: 'theory', value: 80 })) },
  });
  expect(res.statusCode, res.body).toBe(200);
}

describe('expected marks: the panel minus judges recused from the entry', () => {
  it('makes an entry complete (not 暂定) once every judge not recused has marked, with the documented fallback', async () => {
    const { s, cookies, chief, org } = await droneEvent({ judges: 3 });
    // Judge C works for the employer of the odd-numbered entrants (number 1 among them).
    app.db.update(judges).set({ employerId: s.employerIds[1] }).where(eq(judges.id, s.judgeIds[2]!)).run();
    await setPanels(org, s, [
      { partId: 'flight', judgeIds: s.judgeIds },
      { partId: 'mission', judgeIds: s.judgeIds },
    ]);
    // The theory result comes from staff: the chief judge enters it as an objective value.
    await enterTheory(chief, s.eventId, [1, 2]);

    const recused = await post(cookies[2]!, part(1, 'flight', 50, 30));
    expect(recused.json().code).toBe('recused');
    for (const cookie of cookies.slice(0, 2)) expect((await post(cookie, [...part(1, 'flight', 50, 30), ...part(1, 'mission', 50, 30)])).statusCode).toBe(200);
    // Number 2: all three judges, one part still short of C's mark.
    for (const cookie of cookies) expect((await post(cookie, part(2, 'flight', 50, 30))).statusCode).toBe(200);
    for (const cookie of cookies.slice(0, 2)) expect((await post(cookie, part(2, 'mission', 50, 30))).statusCode).toBe(200);

    const pub = (await call(app, null, { method: 'GET', url: `/api/public/events/${s.eventId}/ranking` })).json();
    const one = pub.rows.find((r: { number: number }) => r.number === 1);
    const two = pub.rows.find((r: { number: number }) => r.number === 2);
    expect(one.provisional).toBe(false);
    expect(one.parts.find((p: { partId: string }) => p.partId === 'flight')).toMatchObject({ marksIn: 2, expected: 2, score: 80 });
    expect(two.provisional).toBe(true);
    expect(two.parts.find((p: { partId: string }) => p.partId === 'mission')).toMatchObject({ marksIn: 2, expected: 3 });

    // The staff ranking, the chief's grid and the venue agree.
    const staff = (await call(app, chief, { method: 'GET', url: `/api/events/${s.eventId}/ranking` })).json();
    const detail = staff.staffRows.find((r: { number: number }) => r.number === 1).partDetails.find((p: { partId: string }) => p.partId === 'flight');
    expect(detail).toMatchObject({ complete: true, fellBack: true, marksIn: 2, expected: 2 }); // two marks: plain mean instead of dropping high and low
    const progress = (await call(app, chief, { method: 'GET', url: `/api/events/${s.eventId}/progress` })).json();
    expect(progress.rows.find((r: { number: number }) => r.number === 1)).toMatchObject({ complete: true, provisional: false });
    expect(progress.rows.find((r: { number: number }) => r.number === 2)).toMatchObject({ complete: false, provisional: true, shortPanels: [] });
    // The chief's grid says which parts number 1 gets fewer marks for than the minimum.
    expect(progress.rows.find((r: { number: number }) => r.number === 1).shortPanels).toEqual([
      { partId: 'flight', expected: 2, minMarks: 3 },
      { partId: 'mission', expected: 2, minMarks: 3 },
    ]);
    const cellC = progress.rows.find((r: { number: number }) => r.number === 1).cells.find((c: { judgeId: number }) => c.judgeId === s.judgeIds[2]);
    expect(cellC).toMatchObject({ recused: true, expected: 0 });

    // The panels page says so before anyone marks: numbers 1 and 3 get two judges, below the minimum of three.
    const grid = (await call(app, org, { method: 'GET', url: `/api/events/${s.eventId}/panels` })).json() as PanelGrid;
    for (const partId of ['flight', 'mission'])
      expect(grid.parts.find((p) => p.partId === partId)!.panels[0]!.recusals, partId).toEqual([
        { number: 1, expected: 2, belowMinMarks: true },
        { number: 3, expected: 2, belowMinMarks: true },
      ]);
    // A fourth judge on flight: those two now get three marks (recused, but not below the minimum).
    const extra = makeJudge(app, s.eventId, { role: 'judge' });
    const widened = (await setPanels(org, s, [{ partId: 'flight', judgeIds: [...s.judgeIds, extra.id] }])).json() as PanelGrid;
    expect(widened.parts.find((p) => p.partId === 'flight')!.panels[0]!.recusals).toEqual([
      { number: 1, expected: 3, belowMinMarks: false },
      { number: 3, expected: 3, belowMinMarks: false },
    ]);
  });

  it('shows a judge, before starting, the numbers they stand aside from and the parts they mark', async () => {
    const { s, cookies, org } = await droneEvent({ judges: 3 });
    app.db.update(judges).set({ employerId: s.employerIds[1] }).where(eq(judges.id, s.judgeIds[2]!)).run();
    await setPanels(org, s, [{ partId: 'mission', judgeIds: [s.judgeIds[2]!] }]);
    const panel = await call(app, cookies[2]!, { method: 'GET', url: '/api/judge/panel' });
    expect(panel.statusCode, panel.body).toBe(200);
    expect(panel.json().recusedNumbers).toEqual([1, 3]);
    // flight has no panel yet (the event's judges mark it); mission is seated with C.
    expect(panel.json().seats).toEqual([
      { partId: 'flight', criterionId: null },
      { partId: 'mission', criterionId: null },
    ]);
    expect(panel.json().events).toEqual([
      expect.objectContaining({ eventId: s.eventId, role: 'judge', parts: [{ partId: 'flight', name: '飞行操控' }, { partId: 'mission', name: '任务规划' }] }),
    ]);
    const a = (await call(app, cookies[0]!, { method: 'GET', url: '/api/judge/panel' })).json();
    expect(a.seats).toEqual([{ partId: 'flight', criterionId: null }]);
    expect(a.recusedNumbers).toEqual([]);
    const entries = (await call(app, cookies[2]!, { method: 'GET', url: '/api/judge/entries' })).json();
    expect(entries.map((e: { number: number; recused: boolean }) => e.recused)).toEqual([true, false, true, false]);
    expect(entries[1].criteria).toBe(4);
    const onlyMission = (await call(app, cookies[2]!, { method: 'GET', url: '/api/judge/entries?partId=mission' })).json();
    expect(onlyMission[1].criteria).toBe(2);
  });
});

describe('one judge on two events, one code', () => {
  it('marks both events with one sign-in; names the event when it is ambiguous', async () => {
    const first = makeScenario(app, { entrants: 2, judgeCount: 1, scheme: DRONE });
    const cookie = await judgeLogin(app, first.judgeCodes[0]!);
    // A second event of the same competition, with the same judge on its panel.
    const second = makeScenario(app, { entrants: 2, judgeCount: 1, scheme: DRONE });
    app.db.update(judges).set({ competitionId: first.competitionId }).where(eq(judges.id, second.judgeIds[0]!)).run();
    const { events } = await import('../../db/schema.ts');
    app.db.update(events).set({ competitionId: first.competitionId }).where(eq(events.id, second.eventId)).run();
    const res = await call(app, organiser, { method: 'POST', url: `/api/events/${second.eventId}/judges`, payload: { judgeId: first.judgeIds[0] } });
    expect(res.statusCode, res.body).toBe(201);

    const me = (await call(app, cookie, { method: 'GET', url: '/api/auth/me' })).json();
    expect(me.events.map((e: { eventId: number }) => e.eventId)).toEqual([first.eventId, second.eventId]);
    const ambiguous = await post(cookie, part(1, 'flight', 50, 30));
    expect(ambiguous.statusCode).toBe(400);
    expect(ambiguous.json()).toMatchObject({ code: 'event_required', errors: [{ field: 'body.marks.0.eventId' }, { field: 'body.marks.1.eventId' }] });
    expect((await post(cookie, part(1, 'flight', 50, 30, { eventId: first.eventId }))).statusCode).toBe(200);
    expect((await post(cookie, part(1, 'flight', 52, 31, { roundId: second.roundId }))).statusCode).toBe(200);
    const other = makeScenario(app, { entrants: 1, judgeCount: 1 });
    const foreign = await post(cookie, part(1, 'flight', 50, 30, { eventId: other.eventId }));
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().code).toBe('not_on_event');

    const byEvent = (eventId: number) => app.db.select().from(marks).where(eq(marks.judgeId, first.judgeIds[0]!)).all().filter((m) => m.roundId === (eventId === first.eventId ? first.roundId : second.roundId));
    expect(byEvent(first.eventId)).toHaveLength(2);
    expect(byEvent(second.eventId)).toHaveLength(2);
    // The tablet switches between the panels: each event's list and the panels to switch to.
    const panel = (await call(app, cookie, { method: 'GET', url: `/api/judge/panel?eventId=${second.eventId}` })).json();
    expect(panel.event.id).toBe(second.eventId);
    expect(panel.events.map((e: { eventId: number }) => e.eventId)).toEqual([first.eventId, second.eventId]);
    const list = (await call(app, cookie, { method: 'GET', url: `/api/judge/entries?eventId=${second.eventId}` })).json();
    expect(list[0]).toMatchObject({ number: 1, marked: 2, state: 'partial' });
    expect((await call(app, cookie, { method: 'GET', url: `/api/judge/marks?eventId=${second.eventId}` })).json().map((m: { value: number }) => m.value).sort()).toEqual([31, 52]);
    expect((await call(app, cookie, { method: 'GET', url: `/api/judge/panel?eventId=${other.eventId}` })).statusCode).toBe(403);
  });
});

describe('panels per criterion, where the scheme says so', () => {
  it('seats a panel per criterion, refuses other judges there, and adds up each criterion’s panel result', async () => {
    const scheme: SchemeInput = {
      totaling: 'raw',
      parts: [
        {
          id: 'task',
          name: '综合作业',
          role: 'practical',
          weight: 100,
          max: 100,
          marking: 'rubric',
          panel: 'criterion',
          criteria: [
            { id: 'measure', name: '测量', max: 40 },
            { id: 'judgement', name: '评价', max: 60 },
          ],
          aggregation: { kind: 'mean' },
          expectedMarks: 2,
        },
      ],
    };
    const s = makeScenario(app, { entrants: 1, judgeCount: 4, scheme });
    const cookies = await Promise.all(s.judgeCodes.map((c) => judgeLogin(app, c)));
    const org = await loginAs(app, 'organiser', s.orgId);
    const missing = await setPanels(org, s, [{ partId: 'task', judgeIds: [] }]);
    expect(missing.json()).toMatchObject({ code: 'criterion_required', errors: [{ field: 'body.panels.0.criterionId' }] });
    const res = await setPanels(org, s, [
      { partId: 'task', criterionId: 'measure', judgeIds: s.judgeIds.slice(0, 2) },
      { partId: 'task', criterionId: 'judgement', judgeIds: s.judgeIds.slice(2, 4) },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().parts[0]).toMatchObject({ panelBy: 'criterion', panels: [{ criterionId: 'measure', size: 2 }, { criterionId: 'judgement', size: 2 }] });

    expect((await post(cookies[0]!, [mark(1, 'task', 'judgement', 50)])).json().code).toBe('not_on_panel');
    const panel = (await call(app, cookies[0]!, { method: 'GET', url: '/api/judge/panel' })).json();
    expect(panel.seats).toEqual([{ partId: 'task', criterionId: 'measure' }]);
    expect((await post(cookies[0]!, [mark(1, 'task', 'measure', 30)])).statusCode).toBe(200);
    expect((await post(cookies[1]!, [mark(1, 'task', 'measure', 31)])).statusCode).toBe(200);
    expect((await post(cookies[2]!, [mark(1, 'task', 'judgement', 50)])).statusCode).toBe(200);
    let row = (await call(app, null, { method: 'GET', url: `/api/public/events/${s.eventId}/ranking` })).json().rows[0];
    expect(row).toMatchObject({ provisional: true, parts: [{ partId: 'task', marksIn: 3, expected: 4, score: 80.5 }] });
    expect((await post(cookies[3]!, [mark(1, 'task', 'judgement', 53)])).statusCode).toBe(200);
    row = (await call(app, null, { method: 'GET', url: `/api/public/events/${s.eventId}/ranking` })).json().rows[0];
    // measure: (30 + 31) / 2 = 30.5; judgement: (50 + 53) / 2 = 51.5; the part: 82.
    expect(row).toMatchObject({ provisional: false, total: 82, parts: [{ partId: 'task', marksIn: 4, expected: 4, score: 82 }] });
  });
});

describe('release needs every entry complete, or a reason per entry', () => {
  it('refuses with the incomplete entries named, then releases with reasons shown on the published results', async () => {
    const { s, cookies, chief } = await droneEvent({ judges: 3 });
    // Numbers 1 and 2 complete (theory from staff, both parts by all three judges); 3 and 4 not.
    await enterTheory(chief, s.eventId, [1, 2, 3]);
    for (const [i, cookie] of cookies.entries()) {
      for (const n of [1, 2]) expect((await post(cookie, [...part(n, 'flight', 50 + i, 30), ...part(n, 'mission', 50, 30 - i)])).statusCode).toBe(200);
      if (i < 2) expect((await post(cookie, part(3, 'flight', 40, 20))).statusCode).toBe(200);
    }
    expect((await call(app, chief, { method: 'POST', url: `/api/rounds/${s.roundId}/close` })).statusCode).toBe(200);
    await completeRecheck(app, chief, s.eventId);
    const url = `/api/events/${s.eventId}/release`;

    const refused = await call(app, chief, { method: 'POST', url });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('entries_incomplete');
    expect(refused.json().errors.map((e: { message: string }) => e.message)).toEqual([
      '3: 飞行操控 2/3, 任务规划 0/3',
      '4: 理论知识考试 0/1, 飞行操控 0/3, 任务规划 0/3',
    ]);
    const one = await call(app, chief, { method: 'POST', url, payload: { incompleteReasons: [{ number: 3, reason: '选手中途退赛' }] } });
    expect(one.statusCode).toBe(409);
    expect(one.json().errors).toHaveLength(1);
    const complete = await call(app, chief, { method: 'POST', url, payload: { incompleteReasons: [{ number: 1, reason: '多余' }] } });
    expect(complete.statusCode).toBe(400);
    expect(complete.json()).toMatchObject({ code: 'entry_complete', errors: [{ field: 'body.incompleteReasons.0.number' }] });
    const unknown = await call(app, chief, { method: 'POST', url, payload: { incompleteReasons: [{ number: 99, reason: '无此号' }] } });
    expect(unknown.json()).toMatchObject({ code: 'unknown_number', errors: [{ field: 'body.incompleteReasons.0.number' }] });
    const short = await call(app, chief, { method: 'POST', url, payload: { incompleteReasons: [{ number: 3, reason: '' }] } });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors[0].field).toBe('body.incompleteReasons.0.reason');
    expect((await call(app, cookies[0]!, { method: 'POST', url })).statusCode).toBe(403);

    const ok = await call(app, chief, {
      method: 'POST',
      url,
      payload: {
        incompleteReasons: [
          { number: 3, reason: '选手中途退赛，已完成部分按实得分计' },
          { number: 4, reason: '选手因伤未完成全部赛程' },
        ],
      },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().incompleteReasons).toEqual([
      { number: 3, reason: '选手中途退赛，已完成部分按实得分计' },
      { number: 4, reason: '选手因伤未完成全部赛程' },
    ]);
    const audit = app.db.select().from(auditLog).where(eq(auditLog.action, 'event.release')).all().at(-1)!;
    expect(JSON.stringify(audit.after)).toContain('选手中途退赛');

    const results = (await call(app, null, { method: 'GET', url: `/api/public/competitions/${s.competitionId}/results` })).json();
    const rows = results.events[0].rows;
    expect(rows.find((r: { number: number }) => r.number === 3).incompleteReason).toBe('选手中途退赛，已完成部分按实得分计');
    expect(rows.find((r: { number: number }) => r.number === 4).incompleteReason).toBe('选手因伤未完成全部赛程');
    expect(rows.find((r: { number: number }) => r.number === 1).incompleteReason).toBeNull();
  });
});
