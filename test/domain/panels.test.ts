import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { panelExpectations, panelKey, panelKeysOf, scoreEntry, type PanelJudge } from '../../server/domain/index.ts';
import { entry, marksOf, objectivePart, scheme } from './helpers.ts';

const task = {
  id: 'task',
  name: '拉线制作及安装',
  role: 'practical' as const,
  weight: 70,
  max: 100,
  marking: 'rubric' as const,
  criteria: [
    { id: 'process', name: '工艺', max: 60 },
    { id: 'quality', name: '质量', max: 40 },
  ],
  aggregation: { kind: 'trimmed_mean' as const, drop: 1 },
  minMarks: 3,
  expectedMarks: 5,
};
const weighted = scheme({ totaling: 'weighted', parts: [objectivePart('theory', 'theory', 30), task] });

/** An employer organisation (recusal compares organisations by id). */
const org = (id: number) => ({ organisationId: id, name: `单位${id}` });
const judge = (id: number, employerId: number | null = null): PanelJudge => ({ id, employer: employerId == null ? { organisationId: null, name: null } : org(employerId) });
const byId = (list: PanelJudge[]) => new Map(list.map((j) => [j.id, j]));

describe('panelExpectations: the panel minus judges recused from the entry', () => {
  const seated = [judge(1), judge(2, 77), judge(3), judge(4, 77), judge(5)];

  it('uses the seats: size = seats, expected = seats not working for the entrant’s employer', () => {
    const seats = new Map([['task', [1, 2, 3, 4, 5]]]);
    expect(panelExpectations(weighted, seats, [], byId(seated), org(77))).toEqual({ task: { size: 5, expected: 3 } });
    expect(panelExpectations(weighted, seats, [], byId(seated), org(12))).toEqual({ task: { size: 5, expected: 5 } });
    // Objective parts have no panel: they keep the scheme's expectedMarks.
    expect(Object.keys(panelExpectations(weighted, seats, [], byId(seated), org(77)))).toEqual(['task']);
  });

  it('without seats: the scheme’s expectedMarks, at most the event’s judges not recused; nothing when the event has no judges', () => {
    const eventJudges = [judge(1), judge(2, 77), judge(3), judge(4), judge(5), judge(6)];
    expect(panelExpectations(weighted, new Map(), eventJudges, byId(eventJudges), org(77))).toEqual({ task: { size: 5, expected: 5 } });
    const four = eventJudges.slice(0, 4);
    expect(panelExpectations(weighted, new Map(), four, byId(four), org(77))).toEqual({ task: { size: 5, expected: 3 } });
    expect(panelExpectations(weighted, new Map(), [], new Map(), org(77))).toEqual({});
  });

  it('compares employers written as text by name: a judge from a small private firm stands aside from its worker', () => {
    const firm = (name: string) => ({ organisationId: null, name });
    const panel = [judge(1), { id: 2, employer: firm('合肥顺达(机电)有限公司') }, judge(3)];
    const seats = new Map([['task', [1, 2, 3]]]);
    expect(panelExpectations(weighted, seats, [], byId(panel), firm('合肥 顺达（机电）有限公司'))).toEqual({ task: { size: 3, expected: 2 } });
    expect(panelExpectations(weighted, seats, [], byId(panel), firm('合肥顺达电气有限公司'))).toEqual({ task: { size: 3, expected: 3 } });
  });

  it('has one panel per criterion where the scheme says panel: criterion', () => {
    const perCriterion = scheme({ totaling: 'raw', parts: [{ ...task, panel: 'criterion' }] });
    expect(panelKeysOf(perCriterion.parts[0]!).map((k) => k.key)).toEqual(['task:process', 'task:quality']);
    const seats = new Map([
      [panelKey('task', 'process'), [1, 2]],
      [panelKey('task', 'quality'), [3, 4, 5]],
    ]);
    expect(panelExpectations(perCriterion, seats, [], byId(seated), org(77))).toEqual({
      'task:process': { size: 2, expected: 1 },
      'task:quality': { size: 3, expected: 2 },
    });
  });
});

describe('scoreEntry with panels', () => {
  const judges = (entryId: number, values: [number, number][]) => values.flatMap(([p, q], i) => marksOf(entryId, i + 1, 'task', { process: p, quality: q }));

  it('is complete once the expected marks are in, with the trimmed mean’s documented fallback below 2·drop + 1', () => {
    const panels = { task: { size: 3, expected: 2 } };
    const s = scoreEntry(weighted, entry(1, { panels }), judges(1, [[50, 30], [54, 30]]));
    const part = s.parts[1]!;
    // minMarks (3) is more than the panel can give this entry: the expected two marks score it.
    expect(part).toMatchObject({ marksIn: 2, expected: 2, complete: true, fellBack: true, aggregate: 82 });
    // Without the panel the scheme expects 5 and needs 3: nothing yet.
    const plain = scoreEntry(weighted, entry(1), judges(1, [[50, 30], [54, 30]]));
    expect(plain.parts[1]).toMatchObject({ marksIn: 2, expected: 5, complete: false, aggregate: null });
  });

  it('never calls a part complete while nobody may mark it (every judge recused)', () => {
    const s = scoreEntry(weighted, entry(1, { panels: { task: { size: 3, expected: 0 } } }), []);
    expect(s.parts[1]).toMatchObject({ expected: 0, complete: false, aggregate: null });
    expect(s.complete).toBe(false);
  });

  it('aggregates each criterion over its own panel and adds the results (rubric) or takes them off the max (deduction)', () => {
    const rubric = scheme({ totaling: 'raw', parts: [{ ...task, panel: 'criterion', aggregation: { kind: 'mean' as const }, minMarks: 1, expectedMarks: 2 }] });
    const marks = [
      ...marksOf(1, 1, 'task', { process: 50 }),
      ...marksOf(1, 2, 'task', { process: 51 }),
      ...marksOf(1, 3, 'task', { quality: 33 }),
      ...marksOf(1, 4, 'task', { quality: 34 }),
    ];
    const s = scoreEntry(rubric, entry(1), marks);
    // process (50 + 51) / 2 = 50.5, quality 33.5: 84.
    expect(s.parts[0]).toMatchObject({ aggregate: 84, marksIn: 4, expected: 4, complete: true, judgeMarks: [] });
    const deduction = scheme({ totaling: 'raw', parts: [{ ...task, marking: 'deduction', panel: 'criterion', aggregation: { kind: 'mean' as const }, minMarks: 1, expectedMarks: 1 }] });
    const d = scoreEntry(deduction, entry(1), [...marksOf(1, 1, 'task', { process: 5.5 }), ...marksOf(1, 2, 'task', { quality: 2 })]);
    expect(d.parts[0]).toMatchObject({ aggregate: 92.5, complete: true });
    // A criterion without marks leaves the part unscored.
    expect(scoreEntry(rubric, entry(1), marks.slice(0, 2)).parts[0]).toMatchObject({ aggregate: null, complete: false });
  });

  it('property: a full panel minus recused judges completes exactly when every present judge has marked', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 7 }), (size, recused, marked) => {
        fc.pre(recused <= size && marked <= size - recused);
        const expected = size - recused;
        const marks = judges(
          1,
          Array.from({ length: marked }, () => [40, 30] as [number, number]),
        );
        const s = scoreEntry(weighted, entry(1, { panels: { task: { size, expected } } }), marks);
        expect(s.parts[1]!.complete).toBe(expected > 0 && marked === expected);
        // Scored once min(minMarks, expected) marks are in.
        expect(s.parts[1]!.aggregate !== null).toBe(marked > 0 && marked >= Math.min(3, Math.max(1, expected)));
      }),
    );
  });
});
