import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, judges, marks, paperEntries, rounds } from '../../db/schema.ts';
import { loginAs, makeJudge, makeOrg } from '../helpers/factories.ts';
import { judgeLogin, makeScenario, newKey, type Scenario } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
let s: Scenario;
let scorerA: string;
let scorerB: string;
let scorerC: string;
let scorerIds: number[];
let chief: string;
let judge1: string;

/** A judge's paper sheet for task1 as a scorer types it in. */
const sheet = (judgeId: number, number: number, c1: number, c2: number, key = newKey()) => ({
  idempotencyKey: key,
  judgeId,
  number,
  marks: [
    { partId: 'task1', criterionId: 'c1', value: c1 },
    { partId: 'task1', criterionId: 'c2', value: c2 },
  ],
});

const enter = (cookie: string | null, payload: object) => call(app, cookie, { method: 'POST', url: '/api/paper-entries', payload });

/** Current marks of one judge for one contestant. */
const marksOf = (judgeId: number, entryIndex: number) =>
  app.db
    .select()
    .from(marks)
    .where(and(eq(marks.judgeId, judgeId), eq(marks.entryId, s.entryIds[entryIndex]!)))
    .all();

beforeAll(async () => {
  app = await buildTestApp();
  s = makeScenario(app);
  const codes = ['SCORERA1', 'SCORERB1', 'SCORERC1'];
  scorerIds = codes.map((code, i) => makeJudge(app, s.eventId, { name: `记分员${'甲乙丙'[i]}`, role: 'scorer', code }).id);
  scorerA = await judgeLogin(app, codes[0]!);
  scorerB = await judgeLogin(app, codes[1]!);
  scorerC = await judgeLogin(app, codes[2]!);
  chief = await judgeLogin(app, s.chiefCode);
  judge1 = await judgeLogin(app, s.judgeCodes[0]!);
});
afterAll(() => app.close());

describe('the scorer’s panel', () => {
  it('gives a scorer the scheme, the rounds and the judges whose sheets they enter (not other scorers)', async () => {
    const res = await call(app, scorerA, { method: 'GET', url: '/api/paper/panel' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.scorer.id).toBe(scorerIds[0]);
    expect(body.currentRoundId).toBe(s.roundId);
    // No panel is seated: the event's judges mark every part; the chief judge, seated nowhere, has no sheet.
    expect(body.judges.map((j: { id: number }) => j.id)).toEqual(s.judgeIds);
    expect(body.scheme.parts.map((p: { id: string }) => p.id)).toEqual(['theory', 'task1']);
  });

  it('is for scorers only', async () => {
    expect((await call(app, null, { method: 'GET', url: '/api/paper/panel' })).statusCode).toBe(401);
    expect((await call(app, judge1, { method: 'GET', url: '/api/paper/panel' })).statusCode).toBe(403);
    expect((await call(app, chief, { method: 'GET', url: '/api/paper/panel' })).statusCode).toBe(403);
  });
});

describe('double entry that agrees', () => {
  const key = newKey();

  it('keeps a first entry waiting: nothing counts yet', async () => {
    const res = await enter(scorerA, sheet(s.judgeIds[0]!, 1, 50, 35.5, key));
    expect(res.statusCode).toBe(200);
    expect(res.json().outcome).toBe('stored');
    expect(res.json().sheet).toMatchObject({ judgeId: s.judgeIds[0], number: 1, state: 'waiting' });
    expect(res.json().sheet.criteria).toEqual([
      { partId: 'task1', criterionId: 'c1', myValue: 50, state: 'waiting' },
      { partId: 'task1', criterionId: 'c2', myValue: 35.5, state: 'waiting' },
    ]);
    expect(marksOf(s.judgeIds[0]!, 0)).toHaveLength(0);
  });

  it('answers a retry with the same key with the first answer and stores nothing twice', async () => {
    const before = app.db.select().from(paperEntries).all().length;
    const res = await enter(scorerA, sheet(s.judgeIds[0]!, 1, 50, 35.5, key));
    expect(res.statusCode).toBe(200);
    expect(res.json().outcome).toBe('duplicate');
    expect(res.json().sheet.criteria.map((c: { myValue: number }) => c.myValue)).toEqual([50, 35.5]);
    expect(app.db.select().from(paperEntries).all()).toHaveLength(before);
  });

  it('refuses the key reused for another sheet', async () => {
    const res = await enter(scorerA, sheet(s.judgeIds[0]!, 1, 51, 35.5, key));
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('idempotency_key_reused');
    expect(res.json().errors[0].field).toBe('body.idempotencyKey');
  });

  it('refuses the same scorer entering the same sheet again', async () => {
    const res = await enter(scorerA, sheet(s.judgeIds[0]!, 1, 50, 35.5));
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('already_entered');
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(['body.marks.0.criterionId', 'body.marks.1.criterionId']);
  });

  it('stores the judge’s marks once a second scorer enters the same values, exactly once, and the ranking shows them', async () => {
    const before = await call(app, null, { method: 'GET', url: `/api/public/events/${s.eventId}/ranking` });
    const row1 = () => before.json().rows.find((r: { number: number }) => r.number === 1);
    expect(row1().parts.find((p: { partId: string }) => p.partId === 'task1').marksIn).toBe(0);

    const bKey = newKey();
    const res = await enter(scorerB, sheet(s.judgeIds[0]!, 1, 50, 35.5, bKey));
    expect(res.statusCode).toBe(200);
    expect(res.json().sheet.state).toBe('matched');
    expect(res.json().sheet.criteria.map((c: { state: string }) => c.state)).toEqual(['matched', 'matched']);

    const stored = marksOf(s.judgeIds[0]!, 0);
    expect(stored.map((m) => [m.criterionId, m.value, m.version]).sort()).toEqual([
      ['c1', 50, 1],
      ['c2', 35.5, 1],
    ]);
    expect(stored.every((m) => m.device === `paper:${scorerIds[0]}+${scorerIds[1]}`)).toBe(true);

    // Retried by either scorer: still one mark per criterion.
    expect((await enter(scorerB, sheet(s.judgeIds[0]!, 1, 50, 35.5, bKey))).json().outcome).toBe('duplicate');
    expect((await enter(scorerA, sheet(s.judgeIds[0]!, 1, 50, 35.5, key))).json().outcome).toBe('duplicate');
    expect(marksOf(s.judgeIds[0]!, 0)).toHaveLength(2);

    const after = await call(app, null, { method: 'GET', url: `/api/public/events/${s.eventId}/ranking` });
    const task1 = after.json().rows.find((r: { number: number }) => r.number === 1).parts.find((p: { partId: string }) => p.partId === 'task1');
    expect(task1.marksIn).toBe(1);
    const staff = await call(app, chief, { method: 'GET', url: `/api/events/${s.eventId}/ranking` });
    const detail = staff.json().staffRows.find((r: { number: number }) => r.number === 1).partDetails.find((p: { partId: string }) => p.partId === 'task1');
    expect(detail.judgeMarks).toEqual([{ judgeId: s.judgeIds[0], mark: 85.5 }]);
  });

  it('audits the entries, the match and the mark', () => {
    const actions = app.db.select().from(auditLog).all().map((a) => a.action);
    expect(actions.filter((a) => a === 'paper.enter')).toHaveLength(2);
    expect(actions.filter((a) => a === 'paper.match')).toHaveLength(2);
    const submitted = app.db.select().from(auditLog).where(eq(auditLog.action, 'mark.submit')).all();
    expect(submitted.some((a) => String((a.after as { device?: string }).device).startsWith('paper:'))).toBe(true);
  });

  it('refuses a third scorer once the sheet was entered twice', async () => {
    const res = await enter(scorerC, sheet(s.judgeIds[0]!, 1, 50, 35.5));
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('entered_twice');
  });
});

describe('double entry that disagrees', () => {
  it('stores nothing for the differing value, stores the agreeing one, and tells the second scorer only that it is disputed', async () => {
    expect((await enter(scorerA, sheet(s.judgeIds[1]!, 2, 40, 30))).statusCode).toBe(200);
    const res = await enter(scorerB, sheet(s.judgeIds[1]!, 2, 45, 30));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.sheet.state).toBe('disputed');
    expect(body.sheet.criteria).toEqual([
      { partId: 'task1', criterionId: 'c1', myValue: 45, state: 'disputed' },
      { partId: 'task1', criterionId: 'c2', myValue: 30, state: 'matched' },
    ]);
    // Blind: the first scorer's 40 appears nowhere in the answer.
    expect(JSON.stringify(body)).not.toMatch(/:40[,}]/);
    const stored = marksOf(s.judgeIds[1]!, 1);
    expect(stored.map((m) => [m.criterionId, m.value])).toEqual([['c2', 30]]);
    const disputes = app.db.select().from(auditLog).where(eq(auditLog.action, 'paper.dispute')).all();
    expect(disputes).toHaveLength(1);
  });

  it('shows each scorer only their own values in their list of sheets', async () => {
    const a = await call(app, scorerA, { method: 'GET', url: `/api/paper/sheets?judgeId=${s.judgeIds[1]}&number=2` });
    expect(a.statusCode).toBe(200);
    expect(a.json()).toHaveLength(1);
    expect(a.json()[0].criteria.map((c: { myValue: number }) => c.myValue)).toEqual([40, 30]);
    expect(JSON.stringify(a.json())).not.toMatch(/:45[,}]/);
    const all = await call(app, scorerA, { method: 'GET', url: '/api/paper/sheets' });
    expect(all.json().map((x: { number: number; state: string }) => [x.number, x.state])).toEqual([
      [1, 'matched'],
      [2, 'disputed'],
    ]);
    const none = await call(app, scorerC, { method: 'GET', url: '/api/paper/sheets' });
    expect(none.json()).toEqual([]);
    expect((await call(app, scorerA, { method: 'GET', url: '/api/paper/sheets?roundId=abc' })).statusCode).toBe(400);
    expect((await call(app, judge1, { method: 'GET', url: '/api/paper/sheets' })).statusCode).toBe(403);
  });

  it('lists the pair side by side for the chief judge', async () => {
    const res = await call(app, chief, { method: 'GET', url: `/api/events/${s.eventId}/paper-disagreements` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toHaveLength(1);
    expect(res.json()[0]).toMatchObject({
      roundId: s.roundId,
      number: 2,
      judgeId: s.judgeIds[1],
      judgeName: '裁判2',
      criterionId: 'c1',
      criterionName: '操作规范',
      max: 60,
      step: 0.5,
      settlement: null,
    });
    expect(res.json()[0].entries.map((e: { scorerId: number; value: number }) => [e.scorerId, e.value])).toEqual([
      [scorerIds[0], 40],
      [scorerIds[1], 45],
    ]);
  });

  it('hides disagreements from scorers, judges and staff outside the subtree; refuses a bad filter', async () => {
    const url = `/api/events/${s.eventId}/paper-disagreements`;
    expect((await call(app, null, { method: 'GET', url })).statusCode).toBe(401);
    expect((await call(app, scorerA, { method: 'GET', url })).statusCode).toBe(403);
    expect((await call(app, judge1, { method: 'GET', url })).statusCode).toBe(403);
    const outsider = await loginAs(app, 'admin', makeOrg(app, { name: '外县总工会' }).id);
    expect((await call(app, outsider, { method: 'GET', url })).statusCode).toBe(403);
    const organiser = await loginAs(app, 'organiser', s.orgId);
    expect((await call(app, organiser, { method: 'GET', url })).json()).toHaveLength(1);
    const bad = await call(app, chief, { method: 'GET', url: `${url}?status=everything` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toContain('status');
  });
});

describe('settling a disagreement', () => {
  const settle = (cookie: string | null, value: number, extra: object = {}) =>
    call(app, cookie, {
      method: 'POST',
      url: '/api/paper-disagreements/settle',
      payload: { roundId: s.roundId, number: 2, judgeId: s.judgeIds[1], criterionId: 'c1', value, note: '核对纸质评分表', ...extra },
    });

  it('is the chief judge’s: scorers, judges and anonymous callers are refused', async () => {
    expect((await settle(null, 42)).statusCode).toBe(401);
    expect((await settle(scorerA, 42)).statusCode).toBe(403);
    expect((await settle(judge1, 42)).statusCode).toBe(403);
    const organiser = await loginAs(app, 'organiser', s.orgId);
    expect((await settle(organiser, 42)).statusCode).toBe(403);
  });

  it('refuses a value off the criterion’s step, a missing note, and a pair that does not disagree', async () => {
    const off = await settle(chief, 42.3);
    expect(off.statusCode).toBe(400);
    expect(off.json().code).toBe('mark_off_step');
    expect(off.json().errors[0].field).toBe('body.value');
    const noNote = await settle(chief, 42, { note: '' });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.json().errors[0].field).toBe('body.note');
    const agreed = await settle(chief, 30, { criterionId: 'c2' });
    expect(agreed.statusCode).toBe(404);
    expect(agreed.json().code).toBe('no_disagreement');
    expect(marksOf(s.judgeIds[1]!, 1).filter((m) => m.criterionId === 'c1')).toHaveLength(0);
  });

  it('stores the chosen value as the judge’s mark, keeps the ruling and takes the pair off the open list', async () => {
    const res = await settle(chief, 42);
    expect(res.statusCode).toBe(200);
    expect(res.json().settlement).toMatchObject({ value: 42, note: '核对纸质评分表', settledBy: s.chiefId });
    const c1 = marksOf(s.judgeIds[1]!, 1).filter((m) => m.criterionId === 'c1');
    expect(c1.map((m) => [m.value, m.version, m.device])).toEqual([[42, 1, `paper-settled:${s.chiefId}`]]);
    expect(res.json().settlement.markId).toBe(c1[0]!.id);
    const open = await call(app, chief, { method: 'GET', url: `/api/events/${s.eventId}/paper-disagreements` });
    expect(open.json()).toEqual([]);
    const settled = await call(app, chief, { method: 'GET', url: `/api/events/${s.eventId}/paper-disagreements?status=settled` });
    expect(settled.json()).toHaveLength(1);
    const sheets = await call(app, scorerB, { method: 'GET', url: `/api/paper/sheets?number=2` });
    expect(sheets.json()[0].criteria.map((c: { state: string }) => c.state)).toEqual(['settled', 'matched']);
    expect(sheets.json()[0].state).toBe('matched');
    expect(app.db.select().from(auditLog).where(eq(auditLog.action, 'paper.settle')).all()).toHaveLength(1);
  });

  it('keeps a scorer who entered sheets on the panel: removing them is refused', async () => {
    const organiser = await loginAs(app, 'organiser', s.orgId);
    const res = await call(app, organiser, { method: 'DELETE', url: `/api/judges/${scorerIds[0]}` });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('marks_exist');
  });

  it('refuses settling twice', async () => {
    const res = await settle(chief, 45);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('already_settled');
  });
});

describe('paper entries are checked like marks', () => {
  it('refuses values out of range or off the step, naming each field, and stores nothing of the sheet', async () => {
    const res = await enter(scorerA, sheet(s.judgeIds[2]!, 3, 61, 30.2));
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('mark_out_of_range');
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(['body.marks.0.value', 'body.marks.1.value']);
    expect(app.db.select().from(paperEntries).where(eq(paperEntries.judgeId, s.judgeIds[2]!)).all()).toHaveLength(0);
  });

  it('refuses an unknown contestant, judge, part or criterion and a schema-invalid body', async () => {
    const unknownNumber = await enter(scorerA, sheet(s.judgeIds[2]!, 99, 10, 10));
    expect([unknownNumber.statusCode, unknownNumber.json().errors[0].field]).toEqual([400, 'body.number']);
    const supervisor = makeJudge(app, s.eventId, { role: 'supervisor' });
    const notMarking = await enter(scorerA, sheet(supervisor.id, 3, 10, 10));
    expect([notMarking.statusCode, notMarking.json().code, notMarking.json().errors[0].field]).toEqual([400, 'not_a_marking_judge', 'body.judgeId']);
    const unknownJudge = await enter(scorerA, sheet(999_999, 3, 10, 10));
    expect(unknownJudge.json().code).toBe('unknown_judge');
    const badCriterion = await enter(scorerA, { ...sheet(s.judgeIds[2]!, 3, 10, 10), marks: [{ partId: 'task1', criterionId: 'zz', value: 1 }] });
    expect([badCriterion.statusCode, badCriterion.json().errors[0].field]).toEqual([400, 'body.marks.0.criterionId']);
    const invalid = await enter(scorerA, { judgeId: 'x', number: 3, marks: [] });
    expect(invalid.statusCode).toBe(400);
    const fields = invalid.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.idempotencyKey', 'body.judgeId', 'body.marks']));
  });

  it('refuses a recused judge’s sheet and a contestant who is not checked in', async () => {
    app.db.update(judges).set({ employerId: s.employerIds[1] }).where(eq(judges.id, s.judgeIds[3]!)).run();
    // Entrant 3 works for employerIds[3 % 2].
    const recused = await enter(scorerA, sheet(s.judgeIds[3]!, 3, 10, 10));
    expect([recused.statusCode, recused.json().code]).toEqual([403, 'recused']);
    app.db.update(judges).set({ employerId: null }).where(eq(judges.id, s.judgeIds[3]!)).run();
  });

  it('refuses a sheet for a criterion the judge already marked on a tablet', async () => {
    const res = await call(app, judge1, {
      method: 'POST',
      url: '/api/marks',
      payload: { marks: [{ idempotencyKey: newKey(), number: 4, partId: 'task1', criterionId: 'c1', value: 20 }] },
    });
    expect(res.statusCode).toBe(200);
    const paper = await enter(scorerA, sheet(s.judgeIds[0]!, 4, 20, 20));
    expect(paper.statusCode).toBe(409);
    expect(paper.json().code).toBe('already_marked');
    expect(paper.json().errors[0].field).toBe('body.marks.0.criterionId');
  });

  it('refuses entries once marking is closed', async () => {
    app.db.update(rounds).set({ status: 'closed' }).where(eq(rounds.id, s.roundId)).run();
    const res = await enter(scorerA, sheet(s.judgeIds[2]!, 5, 10, 10));
    expect([res.statusCode, res.json().code]).toEqual([409, 'marking_closed']);
    app.db.update(rounds).set({ status: 'open' }).where(eq(rounds.id, s.roundId)).run();
  });

  it('is for scorers: judges, the chief and staff may not enter paper sheets, and a scorer may not mark', async () => {
    expect((await enter(null, sheet(s.judgeIds[2]!, 5, 10, 10))).statusCode).toBe(401);
    expect((await enter(judge1, sheet(s.judgeIds[2]!, 5, 10, 10))).statusCode).toBe(403);
    expect((await enter(chief, sheet(s.judgeIds[2]!, 5, 10, 10))).statusCode).toBe(403);
    const organiser = await loginAs(app, 'organiser', s.orgId);
    expect((await enter(organiser, sheet(s.judgeIds[2]!, 5, 10, 10))).statusCode).toBe(403);
    const own = await call(app, scorerA, {
      method: 'POST',
      url: '/api/marks',
      payload: { marks: [{ idempotencyKey: newKey(), number: 5, partId: 'task1', criterionId: 'c1', value: 10 }] },
    });
    expect([own.statusCode, own.json().code]).toEqual([403, 'not_a_marking_judge']);
  });
});
