import { and, count, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, entries, events, objectiveDoubleEntries, objectiveValues, people, roundEntries } from '../../db/schema.ts';
import { CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE } from '../../server/contracts/import.ts';
import type { ObjectiveGrid, ObjectiveImportReport, WriteObjectiveResponse } from '../../server/contracts/objective.ts';
import { loginAs, makeEvent, makeJudge, makeOrg } from '../helpers/factories.ts';
import { judgeLogin, makeScenario, newKey, type Scenario } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;

type Cell = { number: number; field: string; value: number | null; reason?: string; idempotencyKey?: string };
type PublicRow = { number: number; total: number; provisional: boolean; parts: { partId: string; score: number | null; marksIn: number }[] };

const write = (cookie: string | null, eventId: number, cells: Cell[], extra: Record<string, unknown> = {}) =>
  call(app, cookie, {
    method: 'POST',
    url: `/api/events/${eventId}/objective-values`,
    payload: { ...extra, cells: cells.map((c) => ({ idempotencyKey: c.idempotencyKey ?? newKey(), ...c })) },
  });

async function grid(cookie: string, eventId: number): Promise<ObjectiveGrid> {
  const res = await call(app, cookie, { method: 'GET', url: `/api/events/${eventId}/objective-grid` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const cellOf = (g: ObjectiveGrid, number: number, field: string) => {
  const i = g.columns.findIndex((c) => c.field === field);
  return g.rows.find((r) => r.number === number)!.cells[i]!;
};

async function publicRow(eventId: number, number: number): Promise<PublicRow> {
  const res = await app.inject({ method: 'GET', url: `/api/public/events/${eventId}/ranking` });
  expect(res.statusCode).toBe(200);
  return (res.json().rows as PublicRow[]).find((r) => r.number === number)!;
}
const theoryOf = async (eventId: number, number: number) => (await publicRow(eventId, number)).parts.find((p) => p.partId === 'theory')!;

const versionCount = (eventRound: number) =>
  app.db.select({ n: count() }).from(objectiveValues).where(eq(objectiveValues.roundId, eventRound)).get()!.n;

/** An app of its own per block: a scenario's contestants have the same ID numbers in every app. */
function ownApp() {
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());
}

describe('the grid and direct entry', () => {
  ownApp();
  let s: Scenario;
  let chief: string;
  let organiser: string;
  beforeAll(async () => {
    s = makeScenario(app);
    chief = await judgeLogin(app, s.chiefCode);
    organiser = await loginAs(app, 'organiser', s.orgId);
  });

  it('shows every drawn number with the objective parts (all missing) and the optional completion time; names to organisers only', async () => {
    const forChief = await grid(chief, s.eventId);
    expect(forChief.columns.map((c) => [c.field, c.kind, c.required])).toEqual([
      ['theory', 'part', true],
      ['completionTime', 'completion_time', false],
    ]);
    expect(forChief.rows.map((r) => r.number)).toEqual([1, 2, 3, 4, 5, 6]);
    // The completion time only breaks ties: optional, so neither expected nor missing.
    expect(forChief.counts).toMatchObject({ rows: 6, expected: 6, filled: 0, missing: 6 });
    expect(forChief.rows[0]!.cells.map((c) => c.missing)).toEqual([true, false]);
    expect(forChief.rows.every((r) => r.name === undefined)).toBe(true);
    expect(forChief).toMatchObject({ mode: 'direct', canImport: true, canSettle: true, showsNames: false });
    const forOrganiser = await grid(organiser, s.eventId);
    expect(forOrganiser.rows[0]!.name).toBe('选手1');
    expect(forOrganiser).toMatchObject({ mode: 'direct', canSettle: false, showsNames: true });
  });

  it('stores a batch of cells, and the ranking takes the theory score and time from them', async () => {
    const res = await write(chief, s.eventId, [
      { number: 1, field: 'theory', value: 82 },
      { number: 2, field: 'theory', value: 90.5 },
      { number: 1, field: 'completionTime', value: 754 },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as WriteObjectiveResponse;
    expect(body.results.map((r) => r.outcome)).toEqual(['stored', 'stored', 'stored']);
    expect(body.results[0]!.cell).toMatchObject({ value: 82, version: 1, source: 'grid', enteredBy: '裁判长', missing: false });

    const g = await grid(chief, s.eventId);
    expect(cellOf(g, 1, 'theory').value).toBe(82);
    expect(cellOf(g, 3, 'theory')).toMatchObject({ value: null, missing: true });
    expect(g.counts).toMatchObject({ filled: 3, missing: 4 });
    // 82 of 100 at 30 % is 24.6 points.
    expect(g.rows[0]!.objectiveTotal).toBe(24.6);
    expect(g.rows[0]!.missing).toBe(0);
    expect(g.rows[1]!.missing).toBe(0); // a theory score and no time: nothing missing

    expect(await theoryOf(s.eventId, 1)).toEqual({ partId: 'theory', score: 82, marksIn: 1, expected: 1 });
    expect((await publicRow(s.eventId, 1)).total).toBe(24.6);
    const member = app.db.select().from(roundEntries).where(and(eq(roundEntries.roundId, s.roundId), eq(roundEntries.entryId, s.entryIds[0]!))).get()!;
    expect(member.completionSeconds).toBe(754);
  });

  it('stores nothing twice when a request is retried with the same keys', async () => {
    const cells = [
      { number: 3, field: 'theory', value: 77, idempotencyKey: 'retry-key-0001' },
      { number: 4, field: 'theory', value: 64, idempotencyKey: 'retry-key-0002' },
    ];
    const first = await write(chief, s.eventId, cells);
    expect(first.statusCode).toBe(200);
    const before = versionCount(s.roundId);
    const again = await write(chief, s.eventId, cells);
    expect(again.statusCode).toBe(200);
    expect((again.json() as WriteObjectiveResponse).results.map((r) => r.outcome)).toEqual(['duplicate', 'duplicate']);
    expect(versionCount(s.roundId)).toBe(before);
    // The same key for another value is a different cell: refused.
    const reused = await write(chief, s.eventId, [{ number: 3, field: 'theory', value: 78, idempotencyKey: 'retry-key-0001' }]);
    expect(reused.statusCode).toBe(409);
    expect(reused.json().code).toBe('idempotency_key_reused');
  });

  it('answers "unchanged" for a value the cell already holds, storing no version', async () => {
    const before = versionCount(s.roundId);
    const res = await write(chief, s.eventId, [{ number: 1, field: 'theory', value: 82 }]);
    expect(res.json().results[0].outcome).toBe('unchanged');
    expect(versionCount(s.roundId)).toBe(before);
  });

  it('needs a reason to change a value, and keeps every version with who, when, how and why', async () => {
    const refused = await write(chief, s.eventId, [{ number: 1, field: 'theory', value: 85 }]);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe('reason_required');
    expect(refused.json().errors[0].field).toBe('body.cells.0.reason');

    const changed = await write(organiser, s.eventId, [{ number: 1, field: 'theory', value: 85 }], { reason: '阅卷复核加分' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().results[0].cell).toMatchObject({ value: 85, version: 2 });

    const history = await call(app, chief, { method: 'GET', url: `/api/events/${s.eventId}/objective-values/history?number=1&field=theory` });
    expect(history.statusCode).toBe(200);
    const versions = history.json().versions as { version: number; value: number; source: string; reason: string | null; enteredBy: { kind: string; name: string } }[];
    expect(versions.map((v) => [v.version, v.value, v.source, v.reason, v.enteredBy.kind])).toEqual([
      [1, 82, 'grid', null, 'judge'],
      [2, 85, 'grid', '阅卷复核加分', 'account'],
    ]);
    expect(versions[0]!.enteredBy.name).toBe('裁判长');

    const audit = app.db.select().from(auditLog).where(eq(auditLog.action, 'objective.set')).all();
    const last = audit.at(-1)!;
    expect(last.actorKind).toBe('account');
    expect(last.before).toEqual({ version: 1, value: 82 });
    expect(last.after).toMatchObject({ number: 1, field: 'theory', version: 2, value: 85, reason: '阅卷复核加分' });
    expect(await theoryOf(s.eventId, 1)).toMatchObject({ score: 85 });
  });

  it('clears a cell with a reason: the theory score is missing again', async () => {
    const res = await write(chief, s.eventId, [{ number: 4, field: 'theory', value: null, reason: '误录到4号' }]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().results[0].cell).toMatchObject({ value: null, missing: true, version: 2 });
    expect(await theoryOf(s.eventId, 4)).toEqual({ partId: 'theory', score: null, marksIn: 0, expected: 1 });
  });

  it('refuses the whole batch when one cell is wrong, naming each cell', async () => {
    const before = versionCount(s.roundId);
    const res = await write(chief, s.eventId, [
      { number: 5, field: 'theory', value: 70 },
      { number: 6, field: 'theory', value: 101 },
      { number: 99, field: 'theory', value: 50 },
      { number: 5, field: 'task1', value: 50 },
      { number: 6, field: 'completionTime', value: 12.345 },
    ]);
    expect(res.statusCode).toBe(400);
    const fields = (res.json().errors as { field: string; message: string }[]).map((e) => [e.field, e.message.split(':')[0]]);
    expect(fields).toEqual([
      ['body.cells.1.value', 'out_of_range'],
      ['body.cells.2.number', 'unknown_number'],
      ['body.cells.3.field', 'unknown_field'],
      ['body.cells.4.value', 'off_step'],
    ]);
    expect(versionCount(s.roundId)).toBe(before);
    const bad = await call(app, chief, { method: 'POST', url: `/api/events/${s.eventId}/objective-values`, payload: { cells: [{ number: 1, field: 'theory', value: 5 }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toContain('idempotencyKey');
  });

  it('versions a completion time recorded through the round-entry form too', async () => {
    const res = await call(app, organiser, { method: 'PATCH', url: `/api/rounds/${s.roundId}/entries/${s.entryIds[1]}`, payload: { completionSeconds: 802.5 } });
    expect(res.statusCode, res.body).toBe(200);
    const history = await call(app, chief, { method: 'GET', url: `/api/events/${s.eventId}/objective-values/history?number=2&field=completionTime` });
    expect(history.json().versions.map((v: { value: number; source: string }) => [v.value, v.source])).toEqual([[802.5, 'round_entry']]);
    expect(cellOf(await grid(chief, s.eventId), 2, 'completionTime').value).toBe(802.5);
  });

  it('refuses a contestant who is absent or not in the round', async () => {
    app.db.update(entries).set({ status: 'absent' }).where(eq(entries.id, s.entryIds[5]!)).run();
    app.rankings.invalidate(s.eventId);
    const absent = await write(chief, s.eventId, [{ number: 6, field: 'theory', value: 60 }]);
    expect(absent.statusCode).toBe(409);
    expect(absent.json().code).toBe('entry_not_competing');
    const g = await grid(chief, s.eventId);
    expect(cellOf(g, 6, 'theory').missing).toBe(false);
    app.db.update(entries).set({ status: 'checked_in' }).where(eq(entries.id, s.entryIds[5]!)).run();
    app.rankings.invalidate(s.eventId);

    const person = app.db.select().from(people).where(eq(people.id, app.db.select().from(entries).where(eq(entries.id, s.entryIds[0]!)).get()!.personId)).get()!;
    const other = app.db.insert(people).values({ ...person, id: undefined, idNumber: '34012319850101999X', name: '替补' }).returning().get();
    app.db.insert(entries).values({ eventId: s.eventId, personId: other.id, status: 'checked_in', drawnNumber: 50 }).run();
    const outside = await write(chief, s.eventId, [{ number: 50, field: 'theory', value: 60 }]);
    expect(outside.statusCode).toBe(409);
    expect(outside.json().code).toBe('entry_not_in_round');
  });
});

describe('who may enter objective values', () => {
  ownApp();
  let s: Scenario;
  beforeAll(() => {
    s = makeScenario(app);
  });

  it('refuses judges who mark, supervisors and staff who only read; lets them read the grid without names', async () => {
    const judge = await judgeLogin(app, s.judgeCodes[0]!);
    const refused = await write(judge, s.eventId, [{ number: 1, field: 'theory', value: 80 }]);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('objective_entry_not_allowed');
    expect((await call(app, judge, { method: 'GET', url: `/api/events/${s.eventId}/objective-grid` })).statusCode).toBe(403);

    makeJudge(app, s.eventId, { name: '监督员', role: 'supervisor', code: 'SUPERV01' });
    const supervisor = await judgeLogin(app, 'SUPERV01');
    expect((await write(supervisor, s.eventId, [{ number: 1, field: 'theory', value: 80 }])).statusCode).toBe(403);
    const watched = await grid(supervisor, s.eventId);
    expect(watched.mode).toBe('none');

    const viewer = await loginAs(app, 'viewer', s.orgId);
    expect((await write(viewer, s.eventId, [{ number: 1, field: 'theory', value: 80 }])).statusCode).toBe(403);
    const read = await grid(viewer, s.eventId);
    expect(read.rows[0]!.name).toBeUndefined();
    expect(read.mode).toBe('none');
  });

  it('refuses organisers outside the competition’s organisation, judges of another event, and anonymous callers', async () => {
    const elsewhere = makeOrg(app, { name: '庐江县总工会' });
    const outsider = await loginAs(app, 'organiser', elsewhere.id);
    expect((await write(outsider, s.eventId, [{ number: 1, field: 'theory', value: 80 }])).statusCode).toBe(403);
    const other = makeEvent(app, { competitionId: s.competitionId });
    makeJudge(app, other.id, { name: '另一裁判长', role: 'chief', code: 'OTHERCH1' });
    const otherChief = await judgeLogin(app, 'OTHERCH1');
    expect((await write(otherChief, s.eventId, [{ number: 1, field: 'theory', value: 80 }])).statusCode).toBe(403);
    expect((await write(null, s.eventId, [{ number: 1, field: 'theory', value: 80 }])).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: `/api/events/${s.eventId}/objective-grid` })).statusCode).toBe(401);
  });

  it('keeps a theory score of 82 at 82 whatever the judges post for the theory part', async () => {
    const chief = await judgeLogin(app, s.chiefCode);
    expect((await write(chief, s.eventId, [{ number: 2, field: 'theory', value: 82 }])).statusCode).toBe(200);
    // Judges posting the objective part: refused (or, where the marks endpoint still takes it, ignored).
    for (const code of s.judgeCodes.slice(0, 3)) {
      const judge = await judgeLogin(app, code);
      const res = await call(app, judge, {
        method: 'POST',
        url: '/api/marks',
        payload: { marks: [{ idempotencyKey: newKey(), number: 2, partId: 'theory', criterionId: 'theory', value: 0 }] },
      });
      expect([200, 403]).toContain(res.statusCode);
    }
    await call(app, chief, {
      method: 'POST',
      url: '/api/marks',
      payload: { marks: [{ idempotencyKey: newKey(), number: 2, partId: 'theory', criterionId: 'theory', value: 41 }] },
    });
    expect(await theoryOf(s.eventId, 2)).toEqual({ partId: 'theory', score: 82, marksIn: 1, expected: 1 });
    expect((await publicRow(s.eventId, 2)).total).toBe(24.6);
    // Reloaded from the database (a restart), still 82.
    app.rankings.invalidate(s.eventId);
    expect(await theoryOf(s.eventId, 2)).toMatchObject({ score: 82 });
  });

  it('lets scorers write directly while double entry is off', async () => {
    makeJudge(app, s.eventId, { name: '记分员', role: 'scorer', code: 'SCORDIR1' });
    const scorer = await judgeLogin(app, 'SCORDIR1');
    const res = await write(scorer, s.eventId, [{ number: 3, field: 'theory', value: 71 }]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().results[0].outcome).toBe('stored');
  });
});

describe('double entry by two scorers, blind', () => {
  ownApp();
  let s: Scenario;
  let chief: string;
  let a: string;
  let b: string;
  let c: string;
  beforeAll(async () => {
    s = makeScenario(app);
    chief = await judgeLogin(app, s.chiefCode);
    ['DBLSCOA1', 'DBLSCOB1', 'DBLSCOC1'].forEach((code, i) => makeJudge(app, s.eventId, { name: `记分员${'甲乙丙'[i]}`, role: 'scorer', code }));
    a = await judgeLogin(app, 'DBLSCOA1');
    b = await judgeLogin(app, 'DBLSCOB1');
    c = await judgeLogin(app, 'DBLSCOC1');
  });

  it('is switched on by the chief judge, not by a scorer', async () => {
    expect((await call(app, a, { method: 'PUT', url: `/api/events/${s.eventId}/objective-settings`, payload: { doubleEntry: true } })).statusCode).toBe(403);
    const res = await call(app, chief, { method: 'PUT', url: `/api/events/${s.eventId}/objective-settings`, payload: { doubleEntry: true } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ eventId: s.eventId, doubleEntry: true });
    expect((await grid(a, s.eventId)).mode).toBe('double');
    expect((await grid(chief, s.eventId)).mode).toBe('direct');
  });

  it('stores the value when both scorers agree, each seeing only their own entry before', async () => {
    const first = await write(a, s.eventId, [{ number: 1, field: 'theory', value: 75, idempotencyKey: 'double-a-1' }]);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().results[0]).toMatchObject({ outcome: 'waiting', cell: { value: 75, double: { state: 'waiting' } } });
    expect(await theoryOf(s.eventId, 1)).toMatchObject({ score: null });
    // Blind: the second scorer sees nothing of the first entry.
    expect(cellOf(await grid(b, s.eventId), 1, 'theory')).toMatchObject({ value: null, double: { state: 'not_entered', entries: 0 }, missing: true });
    expect((await call(app, b, { method: 'GET', url: `/api/events/${s.eventId}/objective-values/history?number=1&field=theory` })).json().doubleEntries).toEqual([]);
    // A retry of the first entry stores nothing.
    const retry = await write(a, s.eventId, [{ number: 1, field: 'theory', value: 75, idempotencyKey: 'double-a-1' }]);
    expect(retry.json().results[0].outcome).toBe('duplicate');

    const second = await write(b, s.eventId, [{ number: 1, field: 'theory', value: 75 }]);
    expect(second.json().results[0]).toMatchObject({ outcome: 'matched', cell: { value: 75, double: { state: 'matched' } } });
    expect(cellOf(await grid(chief, s.eventId), 1, 'theory')).toMatchObject({ value: 75, source: 'double_entry', double: { state: 'matched', entries: 2 } });
    expect(await theoryOf(s.eventId, 1)).toMatchObject({ score: 75 });
    // Totals would tell a blind scorer what the entries add up to: they see none.
    expect((await grid(chief, s.eventId)).rows[0]!.objectiveTotal).toBe(22.5);
    expect((await grid(a, s.eventId)).rows[0]).toMatchObject({ objectiveTotal: 0, total: 0 });
  });

  it('refuses a scorer entering the same cell twice, a third entry, and a cell that already has a value', async () => {
    const again = await write(a, s.eventId, [{ number: 1, field: 'theory', value: 75 }]);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('already_has_value');
    expect((await write(a, s.eventId, [{ number: 2, field: 'theory', value: 60 }])).statusCode).toBe(200);
    const twice = await write(a, s.eventId, [{ number: 2, field: 'theory', value: 60 }]);
    expect(twice.json().code).toBe('already_entered');
    expect((await write(b, s.eventId, [{ number: 2, field: 'theory', value: 61 }])).json().results[0].outcome).toBe('disputed');
    const third = await write(c, s.eventId, [{ number: 2, field: 'theory', value: 60 }]);
    expect(third.statusCode).toBe(409);
    expect(third.json().code).toBe('entered_twice');
  });

  it('lets the chief judge enter a value directly, which closes the cell for the scorers', async () => {
    expect((await write(a, s.eventId, [{ number: 3, field: 'theory', value: 66 }])).json().results[0].outcome).toBe('waiting');
    const direct = await write(chief, s.eventId, [{ number: 3, field: 'theory', value: 67 }]);
    expect(direct.json().results[0]).toMatchObject({ outcome: 'stored', cell: { value: 67, source: 'grid' } });
    expect(cellOf(await grid(a, s.eventId), 3, 'theory').double?.state).toBe('has_value');
    const late = await write(b, s.eventId, [{ number: 3, field: 'theory', value: 66 }]);
    expect(late.json().code).toBe('already_has_value');
    expect(await theoryOf(s.eventId, 3)).toMatchObject({ score: 67 });
  });

  it('leaves differing entries for the chief judge to settle, and stores the settled value with the note', async () => {
    expect(await theoryOf(s.eventId, 2)).toMatchObject({ score: null });
    const chiefGrid = await grid(chief, s.eventId);
    expect(cellOf(chiefGrid, 2, 'theory')).toMatchObject({ value: null, double: { state: 'disputed', entries: 2 } });
    expect(chiefGrid.counts.openDisputes).toBe(1);
    // Each scorer sees only that their entries disagree.
    expect(cellOf(await grid(b, s.eventId), 2, 'theory')).toMatchObject({ value: 61, double: { state: 'disputed' } });
    expect((await call(app, a, { method: 'GET', url: `/api/events/${s.eventId}/objective-disputes` })).statusCode).toBe(403);

    const disputes = await call(app, chief, { method: 'GET', url: `/api/events/${s.eventId}/objective-disputes` });
    expect(disputes.json()).toHaveLength(1);
    expect(disputes.json()[0]).toMatchObject({ number: 2, field: 'theory', settlement: null });
    expect(disputes.json()[0].entries.map((e: { value: number }) => e.value)).toEqual([60, 61]);

    // The chief cannot side-step the dispute by typing over it.
    const direct = await write(chief, s.eventId, [{ number: 2, field: 'theory', value: 61 }]);
    expect(direct.statusCode).toBe(409);
    expect(direct.json().code).toBe('dispute_open');
    const organiser = await loginAs(app, 'organiser', s.orgId);
    const byOrganiser = await call(app, organiser, {
      method: 'POST',
      url: `/api/events/${s.eventId}/objective-disputes/settle`,
      payload: { roundId: s.roundId, number: 2, field: 'theory', value: 61, note: '核对答题卡' },
    });
    expect(byOrganiser.statusCode).toBe(403);

    const settled = await call(app, chief, {
      method: 'POST',
      url: `/api/events/${s.eventId}/objective-disputes/settle`,
      payload: { roundId: s.roundId, number: 2, field: 'theory', value: 61, note: '核对答题卡，61分' },
    });
    expect(settled.statusCode, settled.body).toBe(200);
    expect(settled.json().settlement).toMatchObject({ value: 61, note: '核对答题卡，61分', settledBy: '裁判长' });
    expect(await theoryOf(s.eventId, 2)).toMatchObject({ score: 61 });
    const again = await call(app, chief, {
      method: 'POST',
      url: `/api/events/${s.eventId}/objective-disputes/settle`,
      payload: { roundId: s.roundId, number: 2, field: 'theory', value: 60, note: '再议' },
    });
    expect(again.json().code).toBe('already_settled');
    expect((await grid(chief, s.eventId)).counts.openDisputes).toBe(0);
    expect(app.db.select({ n: count() }).from(objectiveDoubleEntries).where(eq(objectiveDoubleEntries.roundId, s.roundId)).get()!.n).toBe(5);
  });
});

// ---------------------------------------------------------------------------------------------

function csv(rows: string[][]): Buffer {
  return Buffer.from('\uFEFF' + rows.map((r) => r.join(',')).join('\r\n') + '\r\n', 'utf8');
}

async function xlsx(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('理论成绩');
  ws.addRow(['2026年肥西县职工技能大赛理论考试成绩']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const upload = (cookie: string | null, eventId: number, body: Buffer, type: string, query = '') =>
  call(app, cookie, { method: 'POST', url: `/api/events/${eventId}/objective-values/import${query}`, headers: { 'content-type': type }, payload: body });

describe('importing the exam system’s results', () => {
  ownApp();
  let s: Scenario;
  let organiser: string;
  let chief: string;
  const idOf = (i: number) => app.db.select().from(people).where(eq(people.id, app.db.select().from(entries).where(eq(entries.id, s.entryIds[i]!)).get()!.personId)).get()!.idNumber;
  beforeAll(async () => {
    s = makeScenario(app);
    organiser = await loginAs(app, 'organiser', s.orgId);
    chief = await judgeLogin(app, s.chiefCode);
    app.db.update(entries).set({ status: 'absent' }).where(eq(entries.id, s.entryIds[5]!)).run();
    app.rankings.invalidate(s.eventId);
  });

  it('reports row by row on a dry run and stores nothing', async () => {
    const file = csv([
      ['序号', '检录号', '姓名', '理论成绩', '用时'],
      ['1', '1', '选手1', '82', '12:34'],
      ['2', '2', '选手2', '90.5', '700'],
      ['3', '99', '某某', '70', ''],
      ['4', '3', '选手3', '120', ''],
      ['5', '2', '选手2', '91', ''],
      ['6', '4', '选手4', '八十', ''],
      ['7', '6', '选手6', '75', ''],
      ['8', '5', '选手5', '缺考', ''],
    ]);
    const res = await upload(organiser, s.eventId, file, CSV_CONTENT_TYPE, '?dryRun=true');
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json() as ObjectiveImportReport;
    expect(report).toMatchObject({ dryRun: true, stored: false, matchBy: 'number', total: 8, valid: 3, newValues: 4, changedValues: 0 });
    expect(report.columns).toEqual([
      { field: 'theory', header: '理论成绩' },
      { field: 'completionTime', header: '用时' },
    ]);
    expect(report.errors.map((e) => [e.row, e.code])).toEqual([
      [4, 'unknown_number'],
      [5, 'out_of_range'],
      [6, 'duplicate_row'],
      [7, 'not_a_number'],
      [8, 'entry_not_competing'],
    ]);
    expect(report.rows[0]).toEqual({
      row: 2,
      number: 1,
      ok: true,
      cells: [
        { field: 'theory', value: 82, previous: null, change: 'new' },
        { field: 'completionTime', value: 754, previous: null, change: 'new' },
      ],
    });
    expect(versionCount(s.roundId)).toBe(0);

    // Committed as it is: refused whole, with the report.
    const commit = await upload(organiser, s.eventId, file, CSV_CONTENT_TYPE);
    expect(commit.statusCode).toBe(400);
    expect(commit.json().code).toBe('import_invalid');
    expect(commit.json().report.errors).toHaveLength(5);
    expect(versionCount(s.roundId)).toBe(0);
  });

  it('imports by ID number from .xlsx all at once, then needs a reason to change values already entered', async () => {
    const rows: (string | number)[][] = [
      ['准考证号', '姓名', '身份证号', '成绩'],
      ['A001', '选手1', idOf(0), 82],
      ['A002', '选手2', idOf(1), 88],
      ['A003', '选手3', idOf(2), 79.5],
    ];
    const dry = await upload(organiser, s.eventId, await xlsx(rows), XLSX_CONTENT_TYPE, '?dryRun=true');
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ matchBy: 'idNumber', headerRow: 2, valid: 3, newValues: 3, errors: [] });
    // Organisers see which number each row matched.
    expect(dry.json().rows.map((r: { number: number }) => r.number)).toEqual([1, 2, 3]);

    const commit = await upload(organiser, s.eventId, await xlsx(rows), XLSX_CONTENT_TYPE);
    expect(commit.statusCode, commit.body).toBe(200);
    expect(commit.json()).toMatchObject({ stored: true, newValues: 3 });
    expect(await theoryOf(s.eventId, 3)).toMatchObject({ score: 79.5 });
    const stored = app.db.select().from(objectiveValues).where(eq(objectiveValues.roundId, s.roundId)).all();
    expect(stored.map((v) => v.source)).toEqual(['import', 'import', 'import']);

    // The same file again changes nothing.
    const again = await upload(organiser, s.eventId, await xlsx(rows), XLSX_CONTENT_TYPE);
    expect(again.json()).toMatchObject({ stored: true, newValues: 0, unchangedValues: 3 });
    expect(versionCount(s.roundId)).toBe(3);

    // A corrected file: 88 → 86 for number 2 needs a reason.
    rows[2]![3] = 86;
    const noReason = await upload(organiser, s.eventId, await xlsx(rows), XLSX_CONTENT_TYPE);
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().code).toBe('reason_required');
    const withReason = await upload(organiser, s.eventId, await xlsx(rows), XLSX_CONTENT_TYPE, `?reason=${encodeURIComponent('考试系统复核更正')}`);
    expect(withReason.statusCode, withReason.body).toBe(200);
    expect(withReason.json()).toMatchObject({ changedValues: 1, unchangedValues: 2 });
    expect(await theoryOf(s.eventId, 2)).toMatchObject({ score: 86 });
  });

  it('hides which number an ID number drew from the chief judge, and names an ID number that is not an entrant', async () => {
    const res = await upload(
      chief,
      s.eventId,
      csv([
        ['身份证号', '成绩'],
        [idOf(3), '66'],
        ['34012319850101999X', '70'],
        ['3401231985', '70'],
      ]),
      CSV_CONTENT_TYPE,
      '?dryRun=true',
    );
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json() as ObjectiveImportReport;
    expect(report.rows.map((r) => r.number)).toEqual([null, null, null]);
    expect(report.rows[0]!.ok).toBe(true);
    expect(report.errors.map((e) => [e.row, e.code])).toEqual([
      [3, 'id_not_entrant'],
      [4, 'id_format'],
    ]);
  });

  it('refuses a judge who marks, a file of another type and a sheet without the columns', async () => {
    const judge = await judgeLogin(app, s.judgeCodes[0]!);
    const refused = await upload(judge, s.eventId, csv([['检录号', '成绩'], ['1', '80']]), CSV_CONTENT_TYPE);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('objective_entry_not_allowed');
    expect((await upload(null, s.eventId, csv([['检录号', '成绩']]), CSV_CONTENT_TYPE)).statusCode).toBe(401);
    const pdf = await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/objective-values/import`, headers: { 'content-type': 'application/pdf' }, payload: Buffer.from('%PDF') });
    expect(pdf.statusCode).toBe(415);
    const noColumns = await upload(organiser, s.eventId, csv([['姓名', '成绩'], ['选手1', '80']]), CSV_CONTENT_TYPE, '?dryRun=true');
    expect(noColumns.statusCode).toBe(400);
    expect(noColumns.json().code).toBe('missing_columns');
  });
});

describe('after marking is locked and results released', () => {
  ownApp();
  let s: Scenario;
  let chief: string;
  let organiser: string;
  beforeAll(async () => {
    s = makeScenario(app);
    chief = await judgeLogin(app, s.chiefCode);
    organiser = await loginAs(app, 'organiser', s.orgId);
    expect((await write(chief, s.eventId, [{ number: 1, field: 'theory', value: 70 }])).statusCode).toBe(200);
  });

  it('refuses changes while the round is locked', async () => {
    expect((await call(app, chief, { method: 'POST', url: `/api/rounds/${s.roundId}/close` })).statusCode).toBe(200);
    const res = await write(chief, s.eventId, [{ number: 1, field: 'theory', value: 72, reason: '复核' }]);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('marking_closed');
  });

  it('changes a released value only through an upheld appeal, as a version citing it', async () => {
    // Released now, in its publicity period: appeals are taken (the competition's default rule).
    const now = app.clock.now();
    app.db
      .update(events)
      .set({ releasedAt: now, publicityEndsAt: new Date(now.getTime() + 5 * 86_400_000) })
      .where(eq(events.id, s.eventId))
      .run();
    app.rankings.invalidate(s.eventId);
    const direct = await write(organiser, s.eventId, [{ number: 1, field: 'theory', value: 72, reason: '复核' }], { roundId: s.roundId });
    expect(direct.statusCode).toBe(409);
    expect(direct.json().code).toBe('results_released');
    expect((await grid(organiser, s.eventId)).mode).toBe('none');

    const lodged = await call(app, organiser, {
      method: 'POST',
      url: `/api/events/${s.eventId}/appeals`,
      payload: { number: 1, lodgedBy: '肥西供电代表队领队', reason: '理论试卷第12题判分有误，应加2分' },
    });
    expect(lodged.statusCode, lodged.body).toBe(201);
    const decided = await call(app, organiser, {
      method: 'POST',
      url: `/api/appeals/${lodged.json().id}/decision`,
      payload: { decision: 'upheld', note: '复核试卷属实', objectiveCorrections: [{ number: 1, field: 'theory', value: 72 }] },
    });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(await theoryOf(s.eventId, 1)).toMatchObject({ score: 72 });
    const history = await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}/objective-values/history?number=1&field=theory` });
    expect(history.json().versions.at(-1)).toMatchObject({ version: 2, value: 72, source: 'appeal', reason: `appeal #${lodged.json().id}: 复核试卷属实` });
  });
});
