import { describe, expect, it } from 'vitest';
import { combineEvaluation, reviewerConflict, validateScores } from '../../../server/domain/studios/index.ts';
import { evaluationOptionsSchema, indicatorSheetPreset, indicatorSheetSchema } from '../../../server/contracts/studios.ts';
import type { EvaluationBody, EvaluationScore, IndicatorSheet } from '../../../server/contracts/studios.ts';

/** One reviewer's sheet: points per item in sheet order. */
function sheetOf(sheet: IndicatorSheet, reviewerId: number, body: EvaluationBody, applicantId: number, points: number[]): EvaluationScore[] {
  expect(points).toHaveLength(sheet.items.length);
  return sheet.items.map((item, i) => ({ reviewerId, body, applicantId, itemId: item.id, points: points[i]! }));
}

const preset = indicatorSheetPreset;
/** A one-item sheet, for examples about totals only. */
const single: IndicatorSheet = indicatorSheetSchema.parse({ name: 't', items: [{ id: 'all', name: '总分', max: 100 }] });
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('the preset indicator sheet', () => {
  it('covers projects, results, patents, economic benefit, apprentices, trainings and management, 100 points', () => {
    expect(preset.items.map((i) => i.name)).toEqual(['创新项目', '创新成果', '专利', '经济效益', '带徒传技', '培训交流', '运行管理']);
    expect(sum(preset.items.map((i) => i.max))).toBe(100);
  });
});

describe('combineEvaluation', () => {
  // Union reviewers 11, 12, 13 and HR reviewers 21, 22; union 60 %, HR 40 %, threshold 80.
  const a1 = [
    ...sheetOf(preset, 11, 'union', 1, [18, 13, 12, 14, 13, 9, 9]), // 88
    ...sheetOf(preset, 12, 'union', 1, [17, 12, 12, 13, 12, 8, 9]), // 83
    ...sheetOf(preset, 13, 'union', 1, [18, 14, 13, 13, 14, 9, 9]), // 90
    ...sheetOf(preset, 21, 'hr_bureau', 1, [16, 12, 11, 12, 13, 8, 8]), // 80
    ...sheetOf(preset, 22, 'hr_bureau', 1, [17, 13, 12, 13, 12, 9, 9]), // 85
  ];
  const a2 = [
    ...sheetOf(preset, 11, 'union', 2, [16, 12, 12, 12, 12, 8, 8]), // 80
    ...sheetOf(preset, 12, 'union', 2, [16, 12, 11, 12, 12, 8, 8]), // 79
    ...sheetOf(preset, 13, 'union', 2, [16, 12, 12, 12, 12, 8, 8]), // 80
    ...sheetOf(preset, 21, 'hr_bureau', 2, [15, 11, 11, 12, 12, 8, 7]), // 76
    ...sheetOf(preset, 22, 'hr_bureau', 2, [15, 12, 11, 12, 12, 8, 7]), // 77
  ];
  const a3 = [
    ...sheetOf(preset, 11, 'union', 3, [18, 13, 12, 13, 13, 9, 9]), // 87
    ...sheetOf(preset, 12, 'union', 3, [17, 13, 12, 13, 13, 9, 9]), // 86
    ...sheetOf(preset, 13, 'union', 3, [18, 14, 12, 13, 13, 9, 9]), // 88
    ...sheetOf(preset, 21, 'hr_bureau', 3, [17, 12, 12, 12, 12, 9, 8]), // 82
    ...sheetOf(preset, 22, 'hr_bureau', 3, [17, 12, 12, 13, 12, 9, 8]), // 83
  ];
  const options = { unionWeight: 60, hrWeight: 40, threshold: 80 };

  it('weights two bodies 60 / 40, checks the threshold and ranks with shared ranks (worked by hand)', () => {
    const rows = combineEvaluation(preset, [...a2, ...a3, ...a1], options);
    // 1: union (88 + 83 + 90) / 3 = 87.00, HR (80 + 85) / 2 = 82.50, 87 × 0.6 + 82.5 × 0.4 = 52.2 + 33 = 85.20
    // 3: union (87 + 86 + 88) / 3 = 87.00, HR (82 + 83) / 2 = 82.50 → 85.20, the same: shared rank 1
    // 2: union 239 / 3 = 79.666… → 79.67, HR 76.50, 47.802 + 30.6 = 78.402 → 78.40 < 80: not recognised
    expect(rows.map((r) => [r.applicantId, r.union.score, r.hrBureau.score, r.combined, r.recognised, r.rank, r.sharedRank])).toEqual([
      [1, 87, 82.5, 85.2, true, 1, true],
      [3, 87, 82.5, 85.2, true, 1, true],
      [2, 79.67, 76.5, 78.4, false, 3, false],
    ]);
    expect(rows[0]!.union).toEqual({ score: 87, sheets: 3, incompleteSheets: 0, fellBack: false });
  });

  it('takes weights as fractions too, and a threshold is met at equality', () => {
    const rows = combineEvaluation(preset, a1, { unionWeight: 0.6, hrWeight: 0.4, threshold: 85.2 });
    expect(rows[0]).toMatchObject({ combined: 85.2, recognised: true });
    expect(combineEvaluation(preset, a1, { ...options, threshold: 85.21 })[0]!.recognised).toBe(false);
  });

  it('rounds the combined score half-up at 2 decimals, as on paper', () => {
    // union (85 + 85 + 86) / 3 = 85.333… → 85.33; HR 85.34; 50 / 50 → 85.335 → 85.34 (float arithmetic would give 85.33)
    const scores: EvaluationScore[] = [
      { reviewerId: 1, body: 'union', applicantId: 1, itemId: 'all', points: 85 },
      { reviewerId: 2, body: 'union', applicantId: 1, itemId: 'all', points: 85 },
      { reviewerId: 3, body: 'union', applicantId: 1, itemId: 'all', points: 86 },
      { reviewerId: 4, body: 'hr_bureau', applicantId: 1, itemId: 'all', points: 85.34 },
    ];
    expect(combineEvaluation(single, scores, { unionWeight: 50, hrWeight: 50, threshold: 0 })[0]!.combined).toBe(85.34);
  });

  it('a trimmed mean drops each body’s highest and lowest totals, falling back to the mean when too few', () => {
    const union5 = [70, 85, 86, 87, 99].flatMap((total, i) => sheetOf(single, 30 + i, 'union', 1, [total]));
    const hr2 = [80, 90].flatMap((total, i) => sheetOf(single, 40 + i, 'hr_bureau', 1, [total]));
    const [row] = combineEvaluation(single, [...union5, ...hr2], {
      ...options,
      aggregation: { union: { kind: 'trimmed_mean' }, hr_bureau: { kind: 'trimmed_mean', drop: 1 } },
    });
    // union: drop 70 and 99, (85 + 86 + 87) / 3 = 86; HR: only 2 sheets, mean 85, flagged
    expect(row!.union).toMatchObject({ score: 86, fellBack: false });
    expect(row!.hrBureau).toMatchObject({ score: 85, fellBack: true });
    expect(row!.combined).toBe(85.6); // 51.6 + 34
  });

  it('leaves incomplete sheets out and does not rank an applicant a weighted body has not scored', () => {
    const partial = sheetOf(preset, 13, 'union', 1, [18, 14, 13, 13, 14, 9, 9]).slice(0, 6);
    const rows = combineEvaluation(
      preset,
      [...sheetOf(preset, 11, 'union', 1, [18, 13, 12, 14, 13, 9, 9]), ...partial, ...sheetOf(preset, 11, 'union', 2, [16, 12, 12, 12, 12, 8, 8])],
      options,
      [4],
    );
    const byId = new Map(rows.map((r) => [r.applicantId, r]));
    expect(byId.get(1)!.union).toEqual({ score: 88, sheets: 1, incompleteSheets: 1, fellBack: false });
    expect(byId.get(1)).toMatchObject({ combined: null, recognised: false, rank: null });
    expect(byId.get(4)).toMatchObject({ combined: null, rank: null, union: { score: null, sheets: 0 } });
    // a body weighted 0 is not needed
    const unionOnly = combineEvaluation(preset, sheetOf(preset, 11, 'union', 1, [18, 13, 12, 14, 13, 9, 9]), { unionWeight: 100, hrWeight: 0, threshold: 80 });
    expect(unionOnly[0]).toMatchObject({ combined: 88, recognised: true, rank: 1 });
  });

  it('refuses weights that do not add up to 1 or 100, and unvalidated scores', () => {
    expect(() => combineEvaluation(preset, a1, { unionWeight: 60, hrWeight: 30, threshold: 80 })).toThrow(RangeError);
    expect(evaluationOptionsSchema.safeParse({ unionWeight: 60, hrWeight: 30, threshold: 80 }).success).toBe(false);
    expect(evaluationOptionsSchema.parse({ unionWeight: 0.6, hrWeight: 0.4, threshold: 80 }).aggregation.union).toEqual({ kind: 'mean' });
    expect(() => combineEvaluation(preset, [{ ...a1[0]!, points: 21 }], options)).toThrow(/validate scores first/);
    expect(() => combineEvaluation(preset, [a1[0]!, a1[0]!], options)).toThrow(/twice/);
  });
});

describe('reviewer conflict (回避)', () => {
  it('a reviewer does not score a studio of their own employer', () => {
    expect(reviewerConflict({ employerId: 501 }, { hostEmployerId: 501 })).toBe(true);
    expect(reviewerConflict({ employerId: 502 }, { hostEmployerId: 501 })).toBe(false);
    expect(reviewerConflict({ employerId: null }, { hostEmployerId: 501 })).toBe(false);
  });

  it('validateScores refuses a conflicted reviewer, out-of-range points and reviewers outside a body', () => {
    const panel = {
      reviewers: [
        { id: 11, body: 'union' as const, employerId: 501 },
        { id: 21, body: 'hr_bureau' as const, employerId: null },
        { id: 31, body: null, employerId: 600 },
      ],
      applicants: [
        { id: 1, hostEmployerId: 501 },
        { id: 2, hostEmployerId: 502 },
      ],
    };
    const good = sheetOf(preset, 11, 'union', 2, [18, 13, 12, 14, 13, 9, 9]);
    expect(validateScores(preset, good, panel)).toEqual({ ok: true });

    const scores: EvaluationScore[] = [
      { reviewerId: 11, body: 'union', applicantId: 1, itemId: 'projects', points: 18 }, // own employer
      { reviewerId: 21, body: 'hr_bureau', applicantId: 2, itemId: 'projects', points: 21 }, // max 20
      { reviewerId: 21, body: 'hr_bureau', applicantId: 2, itemId: 'patents', points: -1 },
      { reviewerId: 31, body: 'union', applicantId: 2, itemId: 'projects', points: 10 }, // no body
      { reviewerId: 21, body: 'union', applicantId: 2, itemId: 'results', points: 10 }, // scores for the wrong body
      { reviewerId: 99, body: 'union', applicantId: 2, itemId: 'results', points: 10 },
      { reviewerId: 21, body: 'hr_bureau', applicantId: 3, itemId: 'nonsense', points: 1 },
      { reviewerId: 21, body: 'hr_bureau', applicantId: 2, itemId: 'trainings', points: 5 },
      { reviewerId: 21, body: 'hr_bureau', applicantId: 2, itemId: 'trainings', points: 6 },
    ];
    const result = validateScores(preset, scores, panel);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.index, p.field, p.code])).toEqual([
      [0, 'scores.0.reviewerId', 'reviewer_conflict'],
      [1, 'scores.1.points', 'out_of_range'],
      [2, 'scores.2.points', 'out_of_range'],
      [3, 'scores.3.reviewerId', 'reviewer_without_body'],
      [4, 'scores.4.body', 'body_mismatch'],
      [5, 'scores.5.reviewerId', 'unknown_reviewer'],
      [6, 'scores.6.applicantId', 'unknown_applicant'],
      [6, 'scores.6.itemId', 'unknown_item'],
      [8, 'scores.8.itemId', 'duplicate_score'],
    ]);
    expect(result.problems[0]!.message).toBe('评审人不得为本单位的工作室评分（回避）');
    expect(result.problems[1]!.message).toBe('「创新项目」得分须在0至20分之间');
  });
});
