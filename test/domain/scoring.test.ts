import { describe, expect, it } from 'vitest';
import { scoreEntry } from '../../server/domain/index.ts';
import type { MarkInput } from '../../server/domain/index.ts';
import { entry, marksOf, objectiveMark, objectivePart, scheme } from './helpers.ts';

const rubricPart = {
  id: 'task',
  name: '拉线制作及安装',
  role: 'practical' as const,
  weight: 70,
  max: 100,
  marking: 'rubric' as const,
  criteria: [
    { id: 'safety', name: '安全', max: 20 },
    { id: 'process', name: '工艺', max: 50 },
    { id: 'quality', name: '质量', max: 30 },
  ],
  aggregation: { kind: 'trimmed_mean' as const, drop: 1 },
  expectedMarks: 5,
  minMarks: 3,
};

const deductionPart = {
  id: 'insulator',
  name: '10千伏悬瓶更换',
  role: 'practical' as const,
  weight: 70,
  max: 100,
  marking: 'deduction' as const,
  criteria: [
    { id: 'safety', name: '安全违章', max: 100 },
    { id: 'procedure', name: '程序错误', max: 100 },
  ],
  aggregation: { kind: 'mean' as const },
  expectedMarks: 2,
};

const weighted = scheme({ totaling: 'weighted', parts: [objectivePart('theory', 'theory', 30), rubricPart] });

function judgeRubric(entryId: number, judgeId: number, safety: number, process: number, quality: number): MarkInput[] {
  return marksOf(entryId, judgeId, 'task', { safety, process, quality });
}

describe('scoreEntry: marking kinds', () => {
  it('objective: the judge mark is the value of the criterion named after the part', () => {
    const s = scoreEntry(weighted, entry(1), [objectiveMark(1, 'theory', 86.5)]);
    const theory = s.parts[0]!;
    expect(theory.judgeMarks).toEqual([{ judgeId: 1, mark: 86.5 }]);
    expect(theory.aggregate).toBe(86.5);
    expect(theory.complete).toBe(true);
    expect(theory.contribution).toBe(25.95);
  });

  it('rubric: the judge mark is the sum of the criterion values', () => {
    const s = scoreEntry(weighted, entry(1), judgeRubric(1, 7, 18, 44.5, 25.5));
    expect(s.parts[1]!.judgeMarks).toEqual([{ judgeId: 7, mark: 88 }]);
  });

  it('deduction: the judge mark is max − Σ deductions, never below 0', () => {
    const sch = scheme({ totaling: 'weighted', parts: [objectivePart('theory', 'theory', 30), deductionPart] });
    const s = scoreEntry(sch, entry(1), [
      ...marksOf(1, 1, 'insulator', { safety: 5, procedure: 2.5 }),
      ...marksOf(1, 2, 'insulator', { safety: 80, procedure: 40 }),
    ]);
    const part = s.parts[1]!;
    expect(part.judgeMarks).toEqual([
      { judgeId: 1, mark: 92.5 },
      { judgeId: 2, mark: 0 },
    ]);
    expect(part.aggregate).toBe(46.25);
  });

  it('cleans float noise from a judge’s sum (0.1 + 0.2 is 0.3)', () => {
    const sch = scheme({
      totaling: 'raw',
      parts: [{ ...rubricPart, criteria: [{ id: 'a', name: 'a', max: 50, step: 0.1 }, { id: 'b', name: 'b', max: 50, step: 0.1 }], expectedMarks: 1, minMarks: 1 }],
    });
    const s = scoreEntry(sch, entry(1), marksOf(1, 1, 'task', { a: 0.1, b: 0.2 }));
    expect(s.parts[0]!.judgeMarks[0]!.mark).toBe(0.3);
  });
});

describe('scoreEntry: completeness', () => {
  it('ignores a judge who has not marked every criterion of a part, and says so', () => {
    const marks = [
      ...judgeRubric(1, 1, 18, 44, 25),
      ...judgeRubric(1, 2, 19, 45, 26.5),
      ...marksOf(1, 3, 'task', { safety: 17.5, process: 42 }), // quality missing
    ];
    const part = scoreEntry(weighted, entry(1), marks).parts[1]!;
    expect(part.partialJudges).toEqual([3]);
    expect(part.judgeMarks.map((j) => j.judgeId)).toEqual([1, 2]);
    expect(part.marksIn).toBe(2);
  });

  it('below minMarks the part has no score yet; between minMarks and expectedMarks it is incomplete', () => {
    const two = [...judgeRubric(1, 1, 18, 44, 25), ...judgeRubric(1, 2, 19, 45, 26.5)];
    let s = scoreEntry(weighted, entry(1), [objectiveMark(1, 'theory', 90), ...two]);
    expect(s.parts[1]!.aggregate).toBeNull();
    expect(s.parts[1]!.score).toBeNull();
    expect(s.parts[1]!.contribution).toBe(0);
    expect(s.total).toBe(27);
    expect(s.complete).toBe(false);

    // 4 of 5 judges: enough to score (minMarks 3), not complete; 4 ≥ 2·1+1 so no fallback
    const four = [...two, ...judgeRubric(1, 3, 17.5, 42, 24), ...judgeRubric(1, 4, 18.5, 46, 27)];
    s = scoreEntry(weighted, entry(1), [objectiveMark(1, 'theory', 90), ...four]);
    const part = s.parts[1]!;
    expect(part.marksIn).toBe(4);
    expect(part.complete).toBe(false);
    expect(part.fellBack).toBe(false);
    expect(part.aggregate).toBe(88.75); // drop 83.5 and 91.5: (87 + 90.5) / 2
    expect(s.complete).toBe(false);
  });

  it('flags the aggregation fallback (too few marks for the trimmed rule)', () => {
    const sch = scheme({ totaling: 'raw', parts: [{ ...rubricPart, minMarks: 1 }] });
    const s = scoreEntry(sch, entry(1), [...judgeRubric(1, 1, 18, 44, 25), ...judgeRubric(1, 2, 19, 45, 26.5)]);
    expect(s.parts[0]!.fellBack).toBe(true);
    expect(s.parts[0]!.aggregate).toBe(88.75); // plain mean of 87 and 90.5
    expect(s.fellBack).toBe(true);
  });

  it('the later of two marks for the same criterion wins; foreign and unknown marks are ignored and counted', () => {
    const s = scoreEntry(weighted, entry(1), [
      objectiveMark(1, 'theory', 50),
      objectiveMark(1, 'theory', 60),
      objectiveMark(2, 'theory', 99), // another entry
      { entryId: 1, judgeId: 1, partId: 'nope', criterionId: 'x', value: 1 },
      { entryId: 1, judgeId: 1, partId: 'task', criterionId: 'nope', value: 1 },
      { entryId: 1, judgeId: 1, partId: 'theory', criterionId: 'theory', value: Number.NaN },
    ]);
    expect(s.parts[0]!.aggregate).toBe(60);
    expect(s.ignoredMarks).toBe(4);
  });
});

describe('scoreEntry: difficulty, multiplier, weighted and raw totals', () => {
  const diving = (multiplier: number) =>
    scheme({
      totaling: 'raw',
      tieBreaks: [],
      parts: [
        {
          id: 'd1',
          name: 'dive 1',
          role: 'other',
          weight: 0,
          max: 10,
          marking: 'objective',
          aggregation: { kind: 'trimmed_sum', drop: 1 },
          expectedMarks: 5,
          usesDifficulty: true,
          multiplier,
        },
      ],
    });
  const marks = [7.5, 8, 8, 8.5, 9].map((v, j) => objectiveMark(1, 'd1', v, j + 1));

  it('score = aggregate × difficulty × multiplier, rounded to 2 decimals', () => {
    const s = scoreEntry(diving(1), entry(1, { difficulty: { d1: 3.3 } }), marks);
    expect(s.parts[0]!.aggregate).toBe(24.5);
    expect(s.parts[0]!.difficulty).toBe(3.3);
    expect(s.parts[0]!.score).toBe(80.85);
    expect(s.total).toBe(80.85);
    const old = scoreEntry(diving(0.6), entry(1, { difficulty: { d1: 1.6 } }), marks);
    expect(old.parts[0]!.score).toBe(23.52); // 24.5 × 1.6 × 0.6
  });

  it('difficulty defaults to 1 and is ignored on parts that do not use it', () => {
    expect(scoreEntry(diving(1), entry(1), marks).parts[0]!.score).toBe(24.5);
    const noDifficulty = scheme({ totaling: 'raw', parts: [objectivePart('theory', 'theory', 0)] });
    const s = scoreEntry(noDifficulty, entry(1, { difficulty: { theory: 2 } }), [objectiveMark(1, 'theory', 40)]);
    expect(s.parts[0]!.difficulty).toBe(1);
    expect(s.total).toBe(40);
  });

  it('weighted: contribution = score / max × weight, rounded per part; raw: the score', () => {
    const twoParts = (totaling: 'weighted' | 'raw') =>
      scheme({
        totaling,
        parts: [objectivePart('theory', 'theory', 30), { ...objectivePart('practical', 'practical', 70), max: 50 }],
      });
    const marks = [objectiveMark(1, 'theory', 85.05), objectiveMark(1, 'practical', 41.23)];
    const w = scoreEntry(twoParts('weighted'), entry(1), marks);
    // 85.05 × 30 / 100 = 25.515 → 25.52;  41.23 × 70 / 50 = 57.722 → 57.72
    expect(w.parts.map((p) => p.contribution)).toEqual([25.52, 57.72]);
    expect(w.total).toBe(83.24);
    expect(w.theory).toBe(25.52);
    expect(w.practical).toBe(57.72);
    const r = scoreEntry(twoParts('raw'), entry(1), marks);
    expect(r.parts.map((p) => p.contribution)).toEqual([85.05, 41.23]);
    expect(r.total).toBe(126.28);
  });

  it('adds the carried total of earlier rounds', () => {
    const s = scoreEntry(diving(1), entry(1, { carried: 230.4 }), marks);
    expect(s.carried).toBe(230.4);
    expect(s.total).toBe(254.9);
  });

  it('does not depend on the order of the marks', () => {
    const a = scoreEntry(diving(1), entry(1), marks);
    const b = scoreEntry(diving(1), entry(1), [...marks].reverse());
    expect(b).toEqual(a);
  });
});
