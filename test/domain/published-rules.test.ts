/**
 * Worked examples of judged sports expressed as schemes (issue 13), each computed by hand in the
 * comments from the published rule named beside it, then by the engine.
 */
import { describe, expect, it } from 'vitest';
import { computeRanking, scoreEntry } from '../../server/domain/index.ts';
import type { MarkInput } from '../../server/domain/index.ts';
import { scheme } from './helpers.ts';

/** One judge's mark per judge for one element: judges 1…n in order. */
function panel(partId: string, criterionId: string, values: number[], entryId = 1): MarkInput[] {
  return values.map((value, i) => ({ entryId, judgeId: i + 1, partId, criterionId, value }));
}

const GRADES = [-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5];

describe('figure skating: base value + GOE grades through a Scale of Values, a factored component, a fall', () => {
  // Sources:
  // - ISU Communication 2168, "Single & Pair Skating: Scale of Values … season 2018/19", section I.
  //   Rows used here (grades −5 … −1, base, +1 … +5):
  //     1Lz        −0.30 −0.24 −0.18 −0.12 −0.06  0.60  +0.06 +0.12 +0.18 +0.24 +0.30
  //     1Lz< or e  −0.23 −0.18 −0.14 −0.09 −0.05  0.45  +0.05 +0.09 +0.14 +0.18 +0.23
  //     1Lo<       −0.19 −0.15 −0.11 −0.08 −0.04  0.38  +0.04 +0.08 +0.11 +0.15 +0.19
  //   The 0.45 row is 10 % of the base value per grade, rounded to two decimals (0.045 → 0.05,
  //   0.135 → 0.14): a table, not a percentage, is what the judges' grades must be looked up in.
  // - ISU Special Regulations & Technical Rules (Single & Pair Skating), Rule 353 "Computation of
  //   results": each judge's GOE is taken in points from the SOV; the highest and the lowest are
  //   deleted and the rest averaged (trimmed mean), rounded to two decimals; the element scores base
  //   value + that GOE. A program component is the trimmed mean of the judges' marks (0.25 … 10 in
  //   0.25 steps), rounded, multiplied by the segment's factor and rounded again. Deductions (falls:
  //   −1.00 each) come off the segment score.
  // The factor 1.5 below is illustrative (the factor is set per segment and season).
  const skating = scheme({
    totaling: 'raw',
    gradeTables: [
      {
        id: 'sov',
        name: 'ISU SOV 2018/19 (excerpt)',
        grades: GRADES,
        rows: [
          { baseValue: 0.6, points: [-0.3, -0.24, -0.18, -0.12, -0.06, 0, 0.06, 0.12, 0.18, 0.24, 0.3] },
          { baseValue: 0.45, points: [-0.23, -0.18, -0.14, -0.09, -0.05, 0, 0.05, 0.09, 0.14, 0.18, 0.23] },
          { baseValue: 0.38, points: [-0.19, -0.15, -0.11, -0.08, -0.04, 0, 0.04, 0.08, 0.11, 0.15, 0.19] },
        ],
      },
    ],
    tieBreaks: [],
    parts: [
      {
        id: 'tes',
        name: '技术分 (elements)',
        role: 'practical',
        weight: 0,
        max: 100,
        marking: 'rubric',
        aggregateBy: 'element',
        usesBaseValues: true,
        aggregation: { kind: 'trimmed_mean', drop: 1 },
        expectedMarks: 9,
        criteria: [
          { id: 'e1', name: 'element 1', min: -5, max: 5, step: 1, gradeTable: 'sov' },
          { id: 'e2', name: 'element 2', min: -5, max: 5, step: 1, gradeTable: 'sov' },
        ],
      },
      {
        id: 'pcs',
        name: '节目内容分 (component)',
        role: 'practical',
        weight: 0,
        max: 15,
        marking: 'rubric',
        aggregateBy: 'element',
        aggregation: { kind: 'trimmed_mean', drop: 1 },
        expectedMarks: 9,
        criteria: [{ id: 'composition', name: 'composition', min: 0.25, max: 10, step: 0.25, factor: 1.5 }],
      },
      { id: 'ded', name: '扣分 (falls)', role: 'other', weight: 0, max: 10, marking: 'objective', kind: 'penalty', aggregation: { kind: 'mean' } },
    ],
  });
  const entryInput = (voids?: string[]) => ({
    entryId: 1,
    status: 'checked_in' as const,
    // Declared elements: 1Lz< (0.45), then 1Lz (0.60); one fall.
    baseValues: { tes: { e1: 0.45, e2: 0.6 } },
    objective: { ded: 1 },
    ...(voids ? { voids: { tes: voids } } : {}),
  });
  const marks = [
    // e1 (1Lz<, row 0.45) grades 2 1 3 2 0 2 1 2 4 → points .09 .05 .14 .09 0 .09 .05 .09 .18;
    // drop .18 and 0 → .09+.05+.14+.09+.09+.05+.09 = .60, /7 = .0857… → 0.09; element 0.45 + 0.09 = 0.54.
    // (Ten per cent per grade instead of the table: grades 2 1 3 2 2 1 2 → 13 × 0.045 / 7 = 0.0836 → 0.08.)
    ...panel('tes', 'e1', [2, 1, 3, 2, 0, 2, 1, 2, 4]),
    // e2 (1Lz, row 0.60) grades 1 1 0 2 1 1 −1 1 3 → .06 .06 0 .12 .06 .06 −.06 .06 .18;
    // drop .18 and −.06 → .06+.06+0+.12+.06+.06+.06 = .42, /7 = .06; element 0.60 + 0.06 = 0.66.
    ...panel('tes', 'e2', [1, 1, 0, 2, 1, 1, -1, 1, 3]),
    // composition 6.25 6.50 6.75 6.50 6.25 7.00 6.50 6.75 6.00: drop 7.00 and 6.00 → 45.50 / 7 = 6.50; × 1.5 = 9.75.
    ...panel('pcs', 'composition', [6.25, 6.5, 6.75, 6.5, 6.25, 7, 6.5, 6.75, 6]),
  ];

  it('scores 0.54 + 0.66 = 1.20 for the elements, 9.75 for the component, −1.00 for the fall: 9.95', () => {
    const score = scoreEntry(skating, entryInput(), marks);
    const [tes, pcs, ded] = score.parts;
    expect(tes!.elements!.map((e) => [e.baseValue, e.judged, e.score])).toEqual([
      [0.45, 0.09, 0.54],
      [0.6, 0.06, 0.66],
    ]);
    expect(tes!.score).toBe(1.2);
    expect(pcs!.score).toBe(9.75);
    expect(ded!.contribution).toBe(-1);
    expect(score.total).toBe(9.95);
    expect(score.complete).toBe(true);
  });

  it('marks stay the grades the judges entered: the conversion is the engine’s', () => {
    expect(marks.filter((m) => m.partId === 'tes').every((m) => Number.isInteger(m.value) && m.value >= -5 && m.value <= 5)).toBe(true);
  });

  it('an element the chief judge declares void scores 0 and is not waited for: 0.54 + 9.75 − 1.00 = 9.29', () => {
    const onlyE1 = marks.filter((m) => m.criterionId !== 'e2');
    const score = scoreEntry(skating, entryInput(['e2']), onlyE1);
    expect(score.parts[0]!.elements![1]).toMatchObject({ criterionId: 'e2', void: true, score: 0, complete: true });
    expect(score.total).toBe(9.29);
    expect(score.complete).toBe(true);
  });
});

describe('gymnastics: D + E − neutral deductions', () => {
  // Source: FIG Code of Points, Women's Artistic Gymnastics 2022–2024, Section 1 (the final score
  // is the D-score plus the E-score; the E-score is 10.00 minus the average of the E-panel's
  // deductions after the highest and the lowest of five are deleted) and the neutral deductions
  // taken off the final score by the chair (e.g. out of bounds, time).
  // D 5.40 (D-panel, entered by staff). E-panel deductions 1.20 1.30 1.40 1.50 1.70: drop 1.70 and
  // 1.20 → (1.30 + 1.40 + 1.50) / 3 = 1.40 → E = 10.00 − 1.40 = 8.60. Neutral deductions 0.30.
  // Final 5.40 + 8.60 − 0.30 = 13.70 (FIG prints 13.700: three decimals, exact here in two).
  const gym = scheme({
    totaling: 'raw',
    tieBreaks: [],
    parts: [
      { id: 'd', name: 'D 难度分', role: 'practical', weight: 0, max: 20, marking: 'objective', aggregation: { kind: 'mean' } },
      {
        id: 'e',
        name: 'E 完成分',
        role: 'practical',
        weight: 0,
        max: 10,
        marking: 'deduction',
        aggregation: { kind: 'trimmed_mean', drop: 1 },
        expectedMarks: 5,
        minMarks: 5,
        criteria: [{ id: 'deductions', name: 'execution deductions', max: 10, step: 0.1 }],
      },
      { id: 'nd', name: '中性扣分', role: 'other', weight: 0, max: 10, marking: 'objective', kind: 'penalty', aggregation: { kind: 'mean' } },
    ],
  });

  it('5.40 + 8.60 − 0.30 = 13.70', () => {
    const score = scoreEntry(gym, { entryId: 1, status: 'checked_in', objective: { d: 5.4, nd: 0.3 } }, panel('e', 'deductions', [1.2, 1.3, 1.4, 1.5, 1.7]));
    expect(score.parts.map((p) => p.contribution)).toEqual([5.4, 8.6, -0.3]);
    expect(score.total).toBe(13.7);
    expect(score.complete).toBe(true);
  });

  it('without neutral deductions entered the routine is complete at 14.00 (most routines have none)', () => {
    const score = scoreEntry(gym, { entryId: 1, status: 'checked_in', objective: { d: 5.4 } }, panel('e', 'deductions', [1.2, 1.3, 1.4, 1.5, 1.7]));
    expect(score.total).toBe(14);
    expect(score.complete).toBe(true);
  });
});

describe('WorldSkills judgement marking: three experts score 0–3, an aspect is its max mark × mean / 3', () => {
  // Source: WorldSkills Competition Rules and the WorldSkills Assessment Guide (judgement marking:
  // a team of three Experts each score an aspect 0–3; the aspect's mark is its maximum mark × the
  // average score / 3). Here, the factor of each aspect is its maximum mark / 3.
  //   a1 max mark 1.50 (factor 0.5): scores 2 3 2 → 2.333 → 2.33 × 0.5 = 1.165 → 1.17
  //   a2 max mark 3.00 (factor 1):   scores 3 2 2 → 2.33
  //   a3 max mark 0.75 (factor 0.25): scores 1 1 2 → 1.333 → 1.33 × 0.25 = 0.3325 → 0.33
  //   sub-criterion 1.17 + 2.33 + 0.33 = 3.83 of 5.25.
  // Truncating instead (截尾): 2.33 × 0.5 = 1.165 → 1.16; 2.33; 0.3325 → 0.33: 3.82.
  const ws = (mode: 'half_up' | 'truncate', at: 'element' | 'part' | 'end' = 'element') =>
    scheme({
      totaling: 'raw',
      rounding: { at, mode },
      tieBreaks: [],
      parts: [
        {
          id: 'j',
          name: '评价分 (judgement)',
          role: 'practical',
          weight: 0,
          max: 5.25,
          marking: 'rubric',
          aggregateBy: 'element',
          aggregation: { kind: 'mean' },
          expectedMarks: 3,
          criteria: [
            { id: 'a1', name: 'aspect 1', max: 3, step: 1, factor: 0.5 },
            { id: 'a2', name: 'aspect 2', max: 3, step: 1 },
            { id: 'a3', name: 'aspect 3', max: 3, step: 1, factor: 0.25 },
          ],
        },
      ],
    });
  const marks = [...panel('j', 'a1', [2, 3, 2]), ...panel('j', 'a2', [3, 2, 2]), ...panel('j', 'a3', [1, 1, 2])];

  it('half-up per aspect: 1.17 + 2.33 + 0.33 = 3.83', () => {
    const score = scoreEntry(ws('half_up'), { entryId: 1, status: 'checked_in' }, marks);
    expect(score.parts[0]!.elements!.map((e) => e.score)).toEqual([1.17, 2.33, 0.33]);
    expect(score.total).toBe(3.83);
  });

  it('truncating per aspect: 1.16 + 2.33 + 0.33 = 3.82', () => {
    const score = scoreEntry(ws('truncate'), { entryId: 1, status: 'checked_in' }, marks);
    expect(score.parts[0]!.elements!.map((e) => e.score)).toEqual([1.16, 2.33, 0.33]);
    expect(score.total).toBe(3.82);
  });

  it('rounded only at the end: 1.1667 + 2.3333 + 0.3333 = 3.8333 → 3.83', () => {
    expect(scoreEntry(ws('half_up', 'end'), { entryId: 1, status: 'checked_in' }, marks).total).toBe(3.83);
    expect(scoreEntry(ws('truncate', 'end'), { entryId: 1, status: 'checked_in' }, marks).total).toBe(3.83);
  });
});

describe('a skills competition: tie-break by a named part, chosen per round', () => {
  // Provincial technical rule (docs: /work/shared/domain.md, "Tie-break"): the higher practical
  // score first, then the higher theory score. A preliminary breaks ties on the practical task, a
  // final on theory: each round's own scheme names its part.
  const round = (tieBreak: 'part:practical' | 'part:theory') =>
    scheme({
      totaling: 'weighted',
      tieBreaks: [tieBreak],
      parts: [
        { id: 'theory', name: '理论', role: 'theory', weight: 30, max: 100, marking: 'objective', aggregation: { kind: 'mean' } },
        { id: 'practical', name: '实操', role: 'practical', weight: 70, max: 100, marking: 'objective', aggregation: { kind: 'mean' } },
      ],
    });
  // No. 1: 90 × 0.3 + 80 × 0.7 = 27 + 56 = 83.00; No. 2: 76.67 × 0.3 + 85.71 × 0.7 = 23.00 + 60.00 = 83.00.
  const entries = [
    { entryId: 1, status: 'checked_in' as const, objective: { theory: 90, practical: 80 } },
    { entryId: 2, status: 'checked_in' as const, objective: { theory: 76.67, practical: 85.71 } },
  ];

  it('equal totals of 83.00: the preliminary puts No. 2 first (practical 60.00 > 56.00), the final No. 1 (theory 27.00 > 23.00)', () => {
    const prelim = computeRanking(round('part:practical'), entries, []);
    expect(prelim.map((r) => [r.entryId, r.total, r.rank, r.tieBrokenBy])).toEqual([
      [2, 83, 1, null],
      [1, 83, 2, 'part:practical'],
    ]);
    const final = computeRanking(round('part:theory'), entries, []);
    expect(final.map((r) => [r.entryId, r.rank, r.tieBrokenBy])).toEqual([
      [1, 1, null],
      [2, 2, 'part:theory'],
    ]);
  });
});
