import { describe, expect, it } from 'vitest';
import {
  checkReviewSteps,
  combineReview,
  mustStandAside,
  recusalReasons,
  scoreReview,
  sheetGroups,
  validateReviewScores,
} from '../../../server/domain/review/index.ts';
import type { ReviewReviewer, ReviewScore, ReviewStep } from '../../../server/domain/review/index.ts';

// A craftsman selection: a material review scored by the union (60 %) and the HR bureau (40 %),
// and a defence (答辩) scored by the experts alone; review 70 %, defence 30 %.
const reviewSheet = {
  items: [
    { id: 'skill', name: '技能水平', max: 40, group: '技能' },
    { id: 'innovation', name: '创新成果', max: 30, group: '贡献' },
    { id: 'teaching', name: '带徒传技', max: 30, group: '贡献' },
  ],
};
const defenceSheet = {
  items: [
    { id: 'presentation', name: '陈述', max: 60 },
    { id: 'answers', name: '答问', max: 40 },
  ],
};
const steps: ReviewStep[] = [
  {
    key: 'review',
    name: '材料评审',
    weight: 70,
    sheet: reviewSheet,
    bodies: [
      { key: 'union', name: '工会', weight: 60 },
      { key: 'hr_bureau', name: '人社部门', weight: 40 },
    ],
  },
  { key: 'defence', name: '现场答辩', weight: 30, sheet: defenceSheet, bodies: [{ key: 'expert', name: '专家', weight: 100 }] },
];
const reviewers: ReviewReviewer[] = [
  { id: 11, body: 'union', employerId: 600 },
  { id: 12, body: 'union', employerId: null },
  { id: 13, body: 'union', employerId: 601 },
  { id: 21, body: 'hr_bureau', employerId: null },
  { id: 22, body: 'hr_bureau', employerId: 602, relations: [3] },
  { id: 31, body: 'expert', employerId: null },
  { id: 32, body: 'expert', employerId: null },
  { id: 41, body: null, employerId: null },
];
const candidates = [
  { id: 1, employerId: 501 },
  { id: 2, employerId: 600 },
  { id: 3, employerId: 602 },
];

/** One reviewer's sheet for one candidate: points per item in sheet order. */
function sheetOf(step: ReviewStep, reviewerId: number, candidateId: number, points: number[]): ReviewScore[] {
  expect(points).toHaveLength(step.sheet.items.length);
  return step.sheet.items.map((item, i) => ({ reviewerId, candidateId, step: step.key, itemId: item.id, points: points[i]! }));
}
const [review, defence] = steps as [ReviewStep, ReviewStep];

const candidate1 = [
  ...sheetOf(review, 11, 1, [35, 25, 25]), // 85
  ...sheetOf(review, 12, 1, [36, 27, 27]), // 90
  ...sheetOf(review, 13, 1, [32, 23, 23]), // 78
  ...sheetOf(review, 21, 1, [35, 27, 26]), // 88
  ...sheetOf(review, 22, 1, [37, 27, 27]), // 91
  ...sheetOf(defence, 31, 1, [55, 35]), // 90
  ...sheetOf(defence, 32, 1, [56, 38]), // 94
];

describe('scoreReview: bodies, steps and the three rounding points (worked by hand)', () => {
  it('three union reviewers, two HR reviewers, two experts at the defence', () => {
    const [row] = scoreReview(steps, candidate1, { reviewers });
    // (a) union (85 + 90 + 78) / 3 = 253 / 3 = 84.333… → 84.33; HR (88 + 91) / 2 = 89.50
    expect(row!.steps.review!.bodies.union).toEqual({ score: 84.33, sheets: 3, incompleteSheets: 0, fellBack: false });
    expect(row!.steps.review!.bodies.hr_bureau!.score).toBe(89.5);
    // (b) 84.33 × 0.6 + 89.50 × 0.4 = 50.598 + 35.8 = 86.398 → 86.40
    expect(row!.steps.review!.score).toBe(86.4);
    // the defence: experts (90 + 94) / 2 = 92.00, the experts' body is the whole step → 92.00
    expect(row!.steps.defence).toEqual({ score: 92, bodies: { expert: { score: 92, sheets: 2, incompleteSheets: 0, fellBack: false } } });
    // (c) 86.40 × 0.7 + 92.00 × 0.3 = 60.48 + 27.6 = 88.08
    expect(row!.final).toBe(88.08);
  });

  it('takes the body from the row when it records one, else from the panel', () => {
    const withBodies = candidate1.map((s) => ({ ...s, body: reviewers.find((r) => r.id === s.reviewerId)!.body! }));
    expect(scoreReview(steps, withBodies)).toEqual(scoreReview(steps, candidate1, { reviewers }));
    expect(() => scoreReview(steps, candidate1)).toThrow(/no body/);
  });

  it('rounds each point half-up as on paper, not as floats do', () => {
    // union 85, 85, 86 → 85.333… → 85.33 (a); HR 85.34; 50 / 50 → 85.335 → 85.34 (b), where
    // float arithmetic gives 85.33499999… and would round down.
    const oneItem: ReviewStep[] = [
      {
        key: 'review',
        name: '评审',
        weight: 1,
        sheet: { items: [{ id: 'all', name: '总分', max: 100 }] },
        bodies: [
          { key: 'union', name: '工会', weight: 50 },
          { key: 'hr_bureau', name: '人社部门', weight: 50 },
        ],
      },
    ];
    const rows = [85, 85, 86].map((points, i) => ({ reviewerId: i + 1, candidateId: 1, itemId: 'all', points, body: 'union' }));
    rows.push({ reviewerId: 4, candidateId: 1, itemId: 'all', points: 85.34, body: 'hr_bureau' });
    expect(scoreReview(oneItem, rows)[0]!.final).toBe(85.34);
  });

  it('a trimmed mean drops the highest and lowest totals, falling back to the mean (flagged) with too few sheets', () => {
    const trimmed: ReviewStep[] = steps.map((s) => ({ ...s, bodies: s.bodies.map((b) => ({ ...b, aggregation: { kind: 'trimmed_mean' as const } })) }));
    const union5 = [70, 85, 86, 87, 99].flatMap((total, i) => sheetOf(review, 50 + i, 1, [total - 60, 30, 30]));
    const rows = [...union5, ...candidate1.filter((s) => s.reviewerId !== 11 && s.reviewerId !== 12 && s.reviewerId !== 13)];
    const panel = [...reviewers, ...[50, 51, 52, 53, 54].map((id) => ({ id, body: 'union', employerId: null }))];
    const [row] = scoreReview(trimmed, rows, { reviewers: panel });
    // union: drop 70 and 99, (85 + 86 + 87) / 3 = 86.00; HR and experts: 2 sheets each, the mean, flagged
    expect(row!.steps.review!.bodies.union).toEqual({ score: 86, sheets: 5, incompleteSheets: 0, fellBack: false });
    expect(row!.steps.review!.bodies.hr_bureau).toMatchObject({ score: 89.5, fellBack: true });
    expect(row!.steps.defence!.bodies.expert).toMatchObject({ score: 92, fellBack: true });
    // 86 × 0.6 + 89.5 × 0.4 = 51.6 + 35.8 = 87.40; 87.4 × 0.7 + 92 × 0.3 = 61.18 + 27.6 = 88.78
    expect(row!.final).toBe(88.78);
    // drop 2 keeps only the middle one of five (86); drop 3 needs 7 sheets: the mean of all five,
    // (70 + 85 + 86 + 87 + 99) / 5 = 427 / 5 = 85.40, flagged
    const dropping = (drop: number) => trimmed.map((s) => ({ ...s, bodies: s.bodies.map((b) => ({ ...b, aggregation: { kind: 'trimmed_mean' as const, drop } })) }));
    expect(scoreReview(dropping(2), rows, { reviewers: panel })[0]!.steps.review!.bodies.union).toMatchObject({ score: 86, fellBack: false });
    expect(scoreReview(dropping(3), rows, { reviewers: panel })[0]!.steps.review!.bodies.union).toMatchObject({ score: 85.4, fellBack: true });
  });

  it('leaves incomplete sheets out; a step or final score waits for every weighted part', () => {
    const halfDefence = candidate1.filter((s) => !(s.reviewerId === 32 && s.itemId === 'answers'));
    const [row, unscored] = scoreReview(steps, halfDefence, { reviewers, candidateIds: [2] });
    // expert 32's sheet lacks an item: only expert 31's 90 counts; 86.40 × 0.7 + 90 × 0.3 = 60.48 + 27 = 87.48
    expect(row!.steps.defence!.bodies.expert).toEqual({ score: 90, sheets: 1, incompleteSheets: 1, fellBack: false });
    expect(row!.final).toBe(87.48);
    expect(unscored).toMatchObject({ candidateId: 2, final: null, steps: { review: { score: null }, defence: { score: null } } });

    const noDefence = candidate1.filter((s) => s.step !== 'defence');
    expect(scoreReview(steps, noDefence, { reviewers })[0]).toMatchObject({ final: null, steps: { review: { score: 86.4 }, defence: { score: null } } });
    // a step weighted 0 is shown but not needed: the review alone, 86.40 × 100 / 100
    const reviewOnly = [{ ...review, weight: 100 }, { ...defence, weight: 0 }];
    expect(scoreReview(reviewOnly, noDefence, { reviewers })[0]!.final).toBe(86.4);
    // so is a body weighted 0: HR at 0 %, the union's 84.33 is the step
    const unionOnly = [{ ...review, weight: 1, bodies: [{ ...review.bodies[0]!, weight: 1 }, { ...review.bodies[1]!, weight: 0 }] }];
    const unionRows = noDefence.filter((s) => s.reviewerId < 20);
    expect(scoreReview(unionOnly, unionRows, { reviewers })[0]).toMatchObject({ final: 84.33, steps: { review: { bodies: { hr_bureau: { score: null } } } } });
  });

  it('lists candidates in id order, whatever the order of the rows', () => {
    const two = [...sheetOf(review, 12, 3, [30, 20, 20]), ...candidate1];
    expect(scoreReview(steps, two, { reviewers }).map((r) => r.candidateId)).toEqual([1, 3]);
    expect(scoreReview(steps, [...two].reverse(), { reviewers })).toEqual(scoreReview(steps, two, { reviewers }));
  });

  it('refuses rows nobody validated and configurations that do not add up', () => {
    expect(() => scoreReview(steps, [{ ...candidate1[0]!, points: 41 }], { reviewers })).toThrow(/validate scores first/);
    expect(() => scoreReview(steps, [{ ...candidate1[0]!, step: 'visit' }], { reviewers })).toThrow(/unknown step/);
    expect(() => scoreReview(steps, [{ ...candidate1[0]!, itemId: 'x' }], { reviewers })).toThrow(/unknown indicator item/);
    expect(() => scoreReview(steps, [candidate1[0]!, candidate1[0]!], { reviewers })).toThrow(/twice/);
    // an expert's row on the material review, where no experts sit
    expect(() => scoreReview(steps, [{ ...candidate1[0]!, reviewerId: 31 }], { reviewers })).toThrow(/no body of step review/);
    expect(() => scoreReview([{ ...review, weight: 60 }, defence], candidate1, { reviewers })).toThrow(RangeError);
  });
});

describe('checkReviewSteps', () => {
  it('accepts fractions or percentages, and reports every problem with a path', () => {
    expect(checkReviewSteps(steps)).toEqual([]);
    expect(checkReviewSteps([{ ...review, weight: 0.7 }, { ...defence, weight: 0.3 }])).toEqual([]);
    const bad: ReviewStep[] = [
      {
        ...review,
        weight: 50,
        sheet: { items: [reviewSheet.items[0]!, { ...reviewSheet.items[0]!, max: 0 }] },
        bodies: [
          { key: 'union', name: '工会', weight: 60 },
          { key: 'union', name: '工会', weight: -40, aggregation: { kind: 'trimmed_mean', drop: 1.5 } },
        ],
      },
      { ...defence, key: 'review', weight: 30, sheet: { items: [] }, bodies: [] },
    ];
    expect(checkReviewSteps(bad).map((p) => [p.path, p.code])).toEqual([
      ['steps.0.sheet.items.1.id', 'duplicate_item'],
      ['steps.0.sheet.items.1.max', 'bad_item_max'],
      ['steps.0.bodies.1.key', 'duplicate_body'],
      ['steps.0.bodies.1.weight', 'bad_weight'],
      ['steps.0.bodies.1.aggregation.drop', 'bad_aggregation'],
      ['steps.1.key', 'duplicate_step'],
      ['steps.1.sheet.items', 'empty_sheet'],
      ['steps.1.bodies', 'no_bodies'],
      ['steps', 'weights_do_not_add_up'],
    ]);
    expect(checkReviewSteps([{ ...review, weight: 1, bodies: [{ key: 'union', name: '工会', weight: 60 }, { key: 'hr_bureau', name: '人社部门', weight: 30 }] }])).toEqual([
      { path: 'steps.0.bodies', code: 'weights_do_not_add_up', message: '「材料评审」各评审组的权重之和须为1或100' },
    ]);
    expect(checkReviewSteps([]).map((p) => p.code)).toEqual(['no_steps']);
  });

  it('groups a sheet’s items under their headings with the headings’ maxima', () => {
    expect(sheetGroups(reviewSheet)).toEqual([
      { group: '技能', itemIds: ['skill'], max: 40 },
      { group: '贡献', itemIds: ['innovation', 'teaching'], max: 60 },
    ]);
    expect(sheetGroups(defenceSheet)).toEqual([{ group: null, itemIds: ['presentation', 'answers'], max: 100 }]);
  });
});

describe('recusal (回避)', () => {
  it('by the same employer, and by a relation the reviewer declared', () => {
    const [r11, r12, , , r22] = reviewers;
    expect(recusalReasons(r11!, candidates[1]!)).toEqual(['same_employer']); // both at 600
    expect(recusalReasons(r12!, { id: 9, employerId: null })).toEqual([]); // nothing known: no conflict
    expect(recusalReasons(r22!, candidates[2]!)).toEqual(['same_employer', 'declared_relation']); // 602, and declared 3
    expect(recusalReasons({ employerId: null, relations: [3] }, candidates[2]!)).toEqual(['declared_relation']);
    expect(mustStandAside(r22!, candidates[0]!)).toBe(false);
    expect(mustStandAside({ employerId: 600 }, candidates[1]!)).toBe(true);
  });
});

describe('validateReviewScores', () => {
  const panel = { reviewers, candidates };

  it('accepts a clean panel’s rows', () => {
    expect(validateReviewScores(steps, candidate1, panel)).toEqual({ ok: true });
    // the same item in two steps is not a duplicate
    const sameItem: ReviewStep[] = [review, { ...defence, sheet: reviewSheet }];
    expect(validateReviewScores(sameItem, [{ ...candidate1[0]!, reviewerId: 31, step: 'defence' }, ...candidate1.slice(0, 1)], panel)).toEqual({ ok: true });
  });

  it('reports every problem with its field, a stable code and a Chinese message', () => {
    const base = { reviewerId: 12, candidateId: 1, step: 'review', itemId: 'skill', points: 30 };
    const scores: ReviewScore[] = [
      { ...base, reviewerId: 11, candidateId: 2 }, // 0: same employer 600
      { ...base, reviewerId: 22, candidateId: 3 }, // 1: same employer 602 and a declared relation
      { ...base, reviewerId: 21, candidateId: 3 }, // 2: fine (HR reviewer without employer)
      { ...base, reviewerId: 99 }, // 3
      { ...base, reviewerId: 41 }, // 4: in no body
      { ...base, body: 'hr_bureau' }, // 5: a union reviewer scoring for HR
      { ...base, step: 'visit' }, // 6: no such step (so the item cannot be judged)
      { ...base, step: 'defence', itemId: 'answers' }, // 7: the union does not score the defence
      { ...base, candidateId: 7, itemId: 'nonsense' }, // 8
      { ...base, candidateId: 3, points: 40.5 }, // 9
      { ...base, itemId: 'teaching', points: Number.NaN }, // 10
      { ...base, itemId: 'innovation' }, // 11
      { ...base, itemId: 'innovation', points: 20 }, // 12: the same item again
      { reviewerId: 31, candidateId: 1, itemId: 'presentation', points: 50 }, // 13: no step given = the review, no experts there
    ];
    const result = validateReviewScores(steps, scores, panel);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.index, p.field, p.code])).toEqual([
      [0, 'scores.0.reviewerId', 'reviewer_conflict'],
      [1, 'scores.1.reviewerId', 'reviewer_conflict'],
      [1, 'scores.1.reviewerId', 'reviewer_relation'],
      [3, 'scores.3.reviewerId', 'unknown_reviewer'],
      [4, 'scores.4.reviewerId', 'reviewer_without_body'],
      [5, 'scores.5.body', 'body_mismatch'],
      [6, 'scores.6.step', 'unknown_step'],
      [7, 'scores.7.step', 'body_not_in_step'],
      [8, 'scores.8.candidateId', 'unknown_candidate'],
      [8, 'scores.8.itemId', 'unknown_item'],
      [9, 'scores.9.points', 'out_of_range'],
      [10, 'scores.10.points', 'out_of_range'],
      [12, 'scores.12.itemId', 'duplicate_score'],
      [13, 'scores.13.step', 'body_not_in_step'],
      [13, 'scores.13.itemId', 'unknown_item'],
    ]);
    const message = (i: number) => result.problems[i]!.message;
    expect(message(0)).toBe('评审人不得为本单位的候选人评分（回避）');
    expect(message(2)).toBe('评审人已申报与该候选人存在利害关系，须回避');
    expect(message(4)).toBe('评审人未编入工会、人社部门或专家评审组');
    expect(message(5)).toBe('评审人属于工会评审组');
    expect(message(7)).toBe('工会评审组不参加「现场答辩」评分');
    expect(message(10)).toBe('「技能水平」得分须在0至40分之间');
  });
});

describe('combineReview', () => {
  it('scores, ranks and cuts in one call', () => {
    const others = [
      // candidate 3: union 12 and 13 (11 is free too), HR 21 (22 stands aside), experts 31 and 32
      ...sheetOf(review, 12, 3, [36, 27, 27]), // 90
      ...sheetOf(review, 13, 3, [36, 27, 27]), // 90
      ...sheetOf(review, 21, 3, [35, 27, 26]), // 88
      ...sheetOf(defence, 31, 3, [50, 30]), // 80
      ...sheetOf(defence, 32, 3, [50, 30]), // 80
    ];
    const outcome = combineReview({ steps, threshold: 85, quota: 1 }, [...candidate1, ...others], { reviewers, candidateIds: [2] });
    // 3: review 90 × 0.6 + 88 × 0.4 = 54 + 35.2 = 89.20; final 89.2 × 0.7 + 80 × 0.3 = 62.44 + 24 = 86.44
    expect(outcome.rows.map((r) => [r.candidateId, r.final, r.rank, r.passes, r.selected, r.tiedAtLine])).toEqual([
      [1, 88.08, 1, true, true, false],
      [3, 86.44, 2, true, false, false],
      [2, null, null, false, false, false],
    ]);
    expect(outcome.summary).toEqual({ quota: 1, passed: 2, selected: 1, tiedAtLine: 0, placesToDecide: 0, placesUnfilled: 0 });
  });
});
