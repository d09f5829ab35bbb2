import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditLog, events, roundEntries } from '../../db/schema.ts';
import type { SchemeInput } from '../../server/contracts/scheme.ts';
import { schemeSchema } from '../../server/contracts/scheme.ts';
import { loginAs, makeCompetition, makeEntry, makeEvent, makeJudge, makeOrg, testScheme } from '../helpers/factories.ts';
import { buildTestApp, call, rootOrg, sessionCookie, type TestApp } from '../helpers/test-app.ts';

/**
 * Base values and void elements through the API (issue 13): the grid, entering base values
 * (organisers and the chief judge; validated, audited, a reason once marked), void elements (the
 * chief judge only), the engine scoring with them, and schemes with the new options through
 * PATCH /api/events/:id and a round's own scheme.
 */

/** A small skating-like scheme: two graded elements with base values (a grade table), a factored component, a penalty. */
const skating: SchemeInput = {
  totaling: 'raw',
  tieBreaks: ['part:tes'],
  gradeTables: [
    {
      id: 'sov',
      name: 'SOV',
      grades: [-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5],
      rows: [
        { baseValue: 0.6, points: [-0.3, -0.24, -0.18, -0.12, -0.06, 0, 0.06, 0.12, 0.18, 0.24, 0.3] },
        { baseValue: 0.45, points: [-0.23, -0.18, -0.14, -0.09, -0.05, 0, 0.05, 0.09, 0.14, 0.18, 0.23] },
      ],
    },
  ],
  parts: [
    {
      id: 'tes',
      name: '技术动作',
      role: 'practical',
      weight: 0,
      max: 100,
      marking: 'rubric',
      aggregateBy: 'element',
      usesBaseValues: true,
      aggregation: { kind: 'mean' },
      expectedMarks: 1,
      criteria: [
        { id: 'e1', name: '第1个动作', min: -5, max: 5, step: 1, gradeTable: 'sov' },
        { id: 'e2', name: '第2个动作', min: -5, max: 5, step: 1 },
      ],
    },
    {
      id: 'pcs',
      name: '节目内容',
      role: 'practical',
      weight: 0,
      max: 15,
      marking: 'rubric',
      aggregateBy: 'element',
      aggregation: { kind: 'mean' },
      expectedMarks: 1,
      criteria: [{ id: 'composition', name: '编排', max: 10, step: 0.25, factor: 1.5 }],
    },
    { id: 'ded', name: '扣分', role: 'other', weight: 0, max: 10, marking: 'objective', kind: 'penalty' },
  ],
};

let app: TestApp;
let organiser: string;
let viewer: string;
let outsider: string;
let chief: string;
let judge: string;
let event: ReturnType<typeof makeEvent>;
const entryOf = new Map<number, number>();
const base = () => `/api/events/${event.id}`;
const stored = (n: number) => app.db.select().from(roundEntries).where(and(eq(roundEntries.roundId, event.round.id), eq(roundEntries.entryId, entryOf.get(n)!))).get()!;
const audits = (action: string) => app.db.select().from(auditLog).where(eq(auditLog.action, action)).all();
let keySeq = 0;
const mark = (number: number, criterionId: string, value: number, partId = 'tes') => ({
  marks: [{ idempotencyKey: `el-${++keySeq}-abcdef`, eventId: event.id, number, partId, criterionId, value }],
});

async function judgeLogin(code: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/judge-login', payload: { code } });
  expect(res.statusCode, res.body).toBe(200);
  return sessionCookie(res);
}

beforeAll(async () => {
  app = await buildTestApp();
  rootOrg(app);
  const county = makeOrg(app, { name: '肥西县总工会' });
  organiser = await loginAs(app, 'organiser', county.id);
  viewer = await loginAs(app, 'viewer', county.id);
  outsider = await loginAs(app, 'organiser', makeOrg(app, { name: '庐江县总工会' }).id);
  event = makeEvent(app, { competitionId: makeCompetition(app, { orgId: county.id, status: 'running' }).id, scheme: schemeSchema.parse(skating) });
  for (const n of [1, 2, 3]) entryOf.set(n, makeEntry(app, event, { drawnNumber: n, status: 'checked_in' }).id);
  makeJudge(app, event.id, { role: 'chief', code: 'ELCHIEF1' });
  makeJudge(app, event.id, { role: 'judge', code: 'ELJUDGE1' });
  chief = await judgeLogin('ELCHIEF1');
  judge = await judgeLogin('ELJUDGE1');
});
afterAll(() => app.close());

describe('the element grid', () => {
  it('lists drawn numbers × the elements of the element parts, with the grade table’s base values', async () => {
    const res = await call(app, viewer, { method: 'GET', url: `${base()}/elements` });
    expect(res.statusCode, res.body).toBe(200);
    const grid = res.json();
    expect(grid.parts.map((p: { id: string }) => p.id)).toEqual(['tes', 'pcs']);
    expect(grid.parts[0]).toMatchObject({ usesBaseValues: true, voidable: true, criteria: [{ id: 'e1', allowedBaseValues: [0.6, 0.45] }, { id: 'e2', allowedBaseValues: null }] });
    expect(grid.rows.map((r: { number: number }) => r.number)).toEqual([1, 2, 3]);
    expect(grid.rows[0].cells[0]).toMatchObject({ partId: 'tes', criterionId: 'e1', baseValue: null, voidReason: null, marked: false, score: null });
    // The chief judge and supervisors read it too; a judge who marks does not; staff of another county neither.
    expect((await call(app, chief, { method: 'GET', url: `${base()}/elements` })).statusCode).toBe(200);
    expect((await call(app, judge, { method: 'GET', url: `${base()}/elements` })).statusCode).toBe(403);
    expect((await call(app, outsider, { method: 'GET', url: `${base()}/elements` })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'GET', url: `${base()}/elements` })).statusCode).toBe(401);
  });
});

describe('entering base values', () => {
  it('saves many cells at once, audits them once, and the engine scores base + judged value', async () => {
    const invalidate = vi.spyOn(app.rankings, 'invalidate');
    const values = [1, 2, 3].flatMap((number) => [
      { number, partId: 'tes', criterionId: 'e1', baseValue: 0.45 },
      { number, partId: 'tes', criterionId: 'e2', baseValue: 3.3 },
    ]);
    const res = await call(app, organiser, { method: 'PUT', url: `${base()}/base-values`, payload: { values } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().changed).toBe(6);
    expect(stored(2).baseValues).toEqual({ tes: { e1: 0.45, e2: 3.3 } });
    expect(invalidate).toHaveBeenCalledWith(event.id);
    invalidate.mockRestore();
    expect(audits('round.base_values')).toHaveLength(1);
    expect((audits('round.base_values')[0]!.after as { changes: unknown[] }).changes).toHaveLength(6);
    // The same cells again change nothing.
    expect((await call(app, organiser, { method: 'PUT', url: `${base()}/base-values`, payload: { values } })).json().changed).toBe(0);

    // A judge grades element 1 of No. 1 +2: points 0.09 from the 0.45 row; element 2 −3 (no table): −3.
    expect((await call(app, judge, { method: 'POST', url: '/api/marks', payload: mark(1, 'e1', 2) })).statusCode).toBe(200);
    expect((await call(app, judge, { method: 'POST', url: '/api/marks', payload: mark(1, 'e2', -3) })).statusCode).toBe(200);
    const grid = (await call(app, chief, { method: 'GET', url: `${base()}/elements` })).json();
    expect(grid.rows[0].cells.slice(0, 2)).toMatchObject([
      { criterionId: 'e1', baseValue: 0.45, judged: 0.09, score: 0.54, marked: true, marksIn: 1, expected: 1 },
      { criterionId: 'e2', baseValue: 3.3, judged: -3, score: 0.3, marked: true },
    ]);
    const ranking = (await call(app, organiser, { method: 'GET', url: `${base()}/ranking` })).json();
    const row = ranking.staffRows.find((r: { number: number }) => r.number === 1);
    expect(row.partDetails[0]).toMatchObject({ partId: 'tes', score: 0.84, complete: true });
  });

  it('the chief judge enters them too; viewers, marking judges and other counties may not', async () => {
    const payload = { values: [{ number: 3, partId: 'tes', criterionId: 'e2', baseValue: 4.2 }] };
    const byChief = await call(app, chief, { method: 'PUT', url: `${base()}/base-values`, payload });
    expect(byChief.statusCode, byChief.body).toBe(200);
    expect(stored(3).baseValues.tes!.e2).toBe(4.2);
    for (const who of [viewer, judge, outsider]) expect((await call(app, who, { method: 'PUT', url: `${base()}/base-values`, payload })).statusCode).toBe(403);
  });

  it('names every bad cell and saves none of them', async () => {
    const res = await call(app, organiser, {
      method: 'PUT',
      url: `${base()}/base-values`,
      payload: {
        values: [
          { number: 2, partId: 'tes', criterionId: 'e2', baseValue: 9 }, // fine on its own
          { number: 9, partId: 'tes', criterionId: 'e2', baseValue: 1 }, // no such number
          { number: 2, partId: 'pcs', criterionId: 'composition', baseValue: 1 }, // part without base values
          { number: 2, partId: 'tes', criterionId: 'e9', baseValue: 1 }, // no such element
          { number: 2, partId: 'tes', criterionId: 'e2', baseValue: 1.234 }, // three decimals (and given twice)
          { number: 3, partId: 'tes', criterionId: 'e1', baseValue: 0.5 }, // not a row of the grade table
          { number: 1, partId: 'nope', criterionId: 'e1', baseValue: 1 },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'body.values.1.number',
      'body.values.2.partId',
      'body.values.3.criterionId',
      'body.values.4.criterionId',
      'body.values.5.baseValue',
      'body.values.6.partId',
    ]);
    expect(res.json().errors[4].message).toContain('0.6, 0.45');
    expect(stored(2).baseValues.tes!.e2).toBe(3.3);
    // Out of range and not a number: the contract names the field.
    const range = await call(app, organiser, { method: 'PUT', url: `${base()}/base-values`, payload: { values: [{ number: 2, partId: 'tes', criterionId: 'e2', baseValue: -1 }] } });
    expect(range.statusCode).toBe(400);
    expect(range.json().errors[0].field).toBe('body.values.0.baseValue');
    const decimals = await call(app, organiser, { method: 'PUT', url: `${base()}/base-values`, payload: { values: [{ number: 2, partId: 'tes', criterionId: 'e2', baseValue: 1.234 }] } });
    expect(decimals.json().errors).toEqual([{ field: 'body.values.0.baseValue', message: 'a base value has at most two decimals' }]);
  });

  it('a base value the judges already marked against changes only with a reason, kept in the audit', async () => {
    const payload = { values: [{ number: 1, partId: 'tes', criterionId: 'e1', baseValue: 0.6 }] };
    const refused = await call(app, chief, { method: 'PUT', url: `${base()}/base-values`, payload });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'reason_required', errors: [{ field: 'body.reason' }] });
    expect(stored(1).baseValues.tes!.e1).toBe(0.45);
    const res = await call(app, chief, { method: 'PUT', url: `${base()}/base-values`, payload: { ...payload, reason: '技术组复核：未判周数不足' } });
    expect(res.statusCode, res.body).toBe(200);
    // +2 from the 0.60 row is 0.12: 0.60 + 0.12.
    expect(res.json().rows[0].cells[0]).toMatchObject({ baseValue: 0.6, judged: 0.12, score: 0.72 });
    expect(audits('round.base_values').at(-1)!.after).toMatchObject({ reason: '技术组复核：未判周数不足', changes: [{ number: 1, before: 0.45, after: 0.6 }] });
    // Clearing a cell no one marked needs none.
    expect((await call(app, organiser, { method: 'PUT', url: `${base()}/base-values`, payload: { values: [{ number: 3, partId: 'tes', criterionId: 'e2', baseValue: null }] } })).statusCode).toBe(200);
    expect(stored(3).baseValues).toEqual({ tes: { e1: 0.45 } });
  });
});

describe('grades below zero', () => {
  it('are taken down to the criterion’s minimum and refused below it, naming the field', async () => {
    expect((await call(app, judge, { method: 'POST', url: '/api/marks', payload: mark(2, 'e2', -5) })).statusCode).toBe(200);
    const below = await call(app, judge, { method: 'POST', url: '/api/marks', payload: mark(3, 'e2', -6) });
    expect(below.statusCode).toBe(400);
    expect(below.json()).toMatchObject({ code: 'mark_out_of_range', errors: [{ field: 'body.marks.0.value' }] });
    // A criterion without a minimum stays at 0 and above.
    const neg = await call(app, judge, { method: 'POST', url: '/api/marks', payload: mark(3, 'composition', -0.25, 'pcs') });
    expect(neg.statusCode).toBe(400);
    expect(neg.json().errors[0].field).toBe('body.marks.0.value');
  });
});

describe('void elements', () => {
  it('the chief judge declares one void: it scores 0, nothing is waited for, it is audited and shown', async () => {
    // No. 2 has element 2 marked (−5) but not element 1: provisional until the chief voids element 1.
    const before = (await call(app, organiser, { method: 'GET', url: `${base()}/ranking` })).json();
    expect(before.staffRows.find((r: { number: number }) => r.number === 2).partDetails[0].complete).toBe(false);
    const progressRow = async () => (await call(app, chief, { method: 'GET', url: `${base()}/progress` })).json().rows.find((r: { number: number }) => r.number === 2);
    const progressBefore = await progressRow();
    const tabletRow = async () => (await call(app, judge, { method: 'GET', url: `/api/judge/entries?eventId=${event.id}` })).json().find((r: { number: number }) => r.number === 2);
    const tabletBefore = await tabletRow();
    expect(tabletBefore.voided).toEqual([]);
    const res = await call(app, chief, { method: 'POST', url: `${base()}/voids`, payload: { number: 2, partId: 'tes', criterionId: 'e1', void: true, reason: '超出规定动作数' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().changed).toBe(true);
    expect(res.json().rows[1].cells[0]).toMatchObject({ criterionId: 'e1', voidReason: '超出规定动作数', score: 0 });
    expect(stored(2).voids).toEqual({ tes: { e1: '超出规定动作数' } });
    expect(audits('element.void')).toHaveLength(1);
    expect(audits('element.void')[0]!.after).toMatchObject({ number: 2, partId: 'tes', criterionId: 'e1', reason: '超出规定动作数' });
    const after = (await call(app, organiser, { method: 'GET', url: `${base()}/ranking` })).json();
    const tes = after.staffRows.find((r: { number: number }) => r.number === 2).partDetails[0];
    // Element 2: 3.30 − 5 = −1.70; element 1 void: 0.
    expect(tes).toMatchObject({ complete: true, score: -1.7 });
    expect(tes.elements[0]).toMatchObject({ criterionId: 'e1', void: true, score: 0, expected: 0 });
    // The chief's progress grid no longer waits for it either: one criterion fewer per judge on the panel.
    const progressAfter = await progressRow();
    const judgesOnPanel = progressBefore.cells.filter((c: { expected: number }) => c.expected > 0).length;
    expect(progressAfter.expected).toBe(progressBefore.expected - judgesOnPanel);
    // The judge's tablet shows it void and counts one criterion fewer to mark for No. 2 only.
    const tabletAfter = await tabletRow();
    expect(tabletAfter.voided).toEqual(['tes:e1']);
    expect(tabletAfter.criteria).toBe(tabletBefore.criteria - 1);
    // Declaring it again changes nothing; withdrawing needs a reason too and is audited.
    expect((await call(app, chief, { method: 'POST', url: `${base()}/voids`, payload: { number: 2, partId: 'tes', criterionId: 'e1', void: true, reason: '再次' } })).json().changed).toBe(false);
    const undo = await call(app, chief, { method: 'POST', url: `${base()}/voids`, payload: { number: 2, partId: 'tes', criterionId: 'e1', void: false, reason: '仲裁组复核后撤销' } });
    expect(undo.json().changed).toBe(true);
    expect(stored(2).voids).toEqual({});
    expect(audits('element.void_withdrawn')).toHaveLength(1);
  });

  it('is the chief judge’s alone, and refuses what cannot be void, naming the field', async () => {
    const payload = { number: 1, partId: 'tes', criterionId: 'e2', void: true, reason: '动作未完成' };
    for (const who of [organiser, viewer, judge]) expect((await call(app, who, { method: 'POST', url: `${base()}/voids`, payload })).statusCode).toBe(403);
    const cases: [Record<string, unknown>, string][] = [
      [{ ...payload, partId: 'ded', criterionId: 'ded' }, 'body.partId'],
      [{ ...payload, criterionId: 'e7' }, 'body.criterionId'],
      [{ ...payload, number: 42 }, 'body.number'],
      [{ ...payload, reason: '' }, 'body.reason'],
      [{ ...payload, void: 'yes' }, 'body.void'],
    ];
    for (const [body, field] of cases) {
      const res = await call(app, chief, { method: 'POST', url: `${base()}/voids`, payload: body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().errors[0].field).toBe(field);
    }
  });

  it('nothing changes once results are released', async () => {
    app.db.update(events).set({ releasedAt: new Date() }).where(eq(events.id, event.id)).run();
    try {
      const v = await call(app, chief, { method: 'POST', url: `${base()}/voids`, payload: { number: 1, partId: 'tes', criterionId: 'e2', void: true, reason: '动作未完成' } });
      expect(v.statusCode).toBe(409);
      expect(v.json().code).toBe('results_released');
      const b = await call(app, organiser, { method: 'PUT', url: `${base()}/base-values`, payload: { values: [{ number: 1, partId: 'tes', criterionId: 'e2', baseValue: 2 }] } });
      expect(b.statusCode).toBe(409);
    } finally {
      app.db.update(events).set({ releasedAt: null }).where(eq(events.id, event.id)).run();
      app.rankings.invalidate(event.id);
    }
  });
});

describe('schemes with the new options', () => {
  it('PATCH /api/events/:id accepts one and refuses an inconsistent one, naming each field', async () => {
    const fresh = makeEvent(app, { competitionId: event.competitionId });
    const ok = await call(app, organiser, { method: 'PATCH', url: `/api/events/${fresh.id}`, payload: { scheme: skating } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().scheme.parts[0]).toMatchObject({ aggregateBy: 'element', usesBaseValues: true });
    expect(ok.json().scheme.gradeTables[0].id).toBe('sov');

    const bad = structuredClone(skating) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    bad.parts[0].criteria[0].gradeTable = 'nope';
    bad.parts[0].criteria[1].min = -5.5; // not on the step of 1
    bad.parts[1].aggregation = { kind: 'trimmed_mean', drop: 8 };
    bad.parts[2].weight = 5;
    bad.tieBreaks = ['part:theory'];
    bad.rounding = { at: 'somewhere', mode: 'half_up' };
    const res = await call(app, organiser, { method: 'PATCH', url: `/api/events/${fresh.id}`, payload: { scheme: bad } });
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.scheme.parts.1.aggregation.drop', 'body.scheme.rounding.at']));
    // The cross-field checks run once the shapes are right.
    delete bad.rounding;
    bad.parts[1].aggregation = { kind: 'trimmed_mean', drop: 7 };
    const res2 = await call(app, organiser, { method: 'PATCH', url: `/api/events/${fresh.id}`, payload: { scheme: bad } });
    expect(res2.statusCode).toBe(400);
    expect(res2.json().errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['body.scheme.parts.0.criteria.0.gradeTable', 'body.scheme.parts.0.criteria.1.min', 'body.scheme.parts.2.weight', 'body.scheme.tieBreaks.0']),
    );
    // Base values need an element part.
    const judged = structuredClone(testScheme) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    judged.parts[1].usesBaseValues = true;
    const res3 = await call(app, organiser, { method: 'PATCH', url: `/api/events/${fresh.id}`, payload: { scheme: judged } });
    expect(res3.json().errors.map((e: { field: string }) => e.field)).toContain('body.scheme.parts.1.usesBaseValues');
  });

  it('the scheme workbook keeps the new options: export → import is no change, and a fresh event gets them all', async () => {
    const xlsx = await call(app, organiser, { method: 'GET', url: `${base()}/scheme.xlsx` });
    expect(xlsx.statusCode).toBe(200);
    const upload = (eventId: number, dryRun: boolean) =>
      call(app, organiser, {
        method: 'POST',
        url: `/api/events/${eventId}/scheme.xlsx?dryRun=${dryRun}`,
        headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
        payload: xlsx.rawPayload,
      });
    const same = await upload(event.id, true);
    expect(same.statusCode, same.body).toBe(200);
    expect(same.json()).toMatchObject({ changed: false, problems: [] });
    const fresh = makeEvent(app, { competitionId: event.competitionId });
    const stored = await upload(fresh.id, false);
    expect(stored.json()).toMatchObject({ stored: true, problems: [] });
    const scheme = (await call(app, organiser, { method: 'GET', url: `/api/events/${fresh.id}` })).json().scheme;
    expect(scheme).toEqual(schemeSchema.parse(skating));
  });

  it('a round’s own scheme chooses its tie-break by part: the final breaks ties on theory', async () => {
    const ev = makeEvent(app, { competitionId: event.competitionId });
    for (const n of [1, 2]) makeEntry(app, ev, { drawnNumber: n, status: 'checked_in' });
    const roundScheme = { ...testScheme, tieBreaks: ['part:theory'] };
    const res = await call(app, organiser, { method: 'PATCH', url: `/api/rounds/${ev.round.id}`, payload: { scheme: roundScheme } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().scheme.tieBreaks).toEqual(['part:theory']);
    const refused = await call(app, organiser, { method: 'PATCH', url: `/api/rounds/${ev.round.id}`, payload: { scheme: { ...testScheme, tieBreaks: ['part:final'] } } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].field).toBe('body.scheme.tieBreaks.0');
  });
});
