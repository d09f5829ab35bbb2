import { describe, expect, it } from 'vitest';
import {
  averageRanks,
  binomial,
  compareTrainee,
  diffOfDiffsTest,
  EXACT_LIMIT,
  judgeQuality,
  MONTE_CARLO_PERMUTATIONS,
  spearman,
  standardiseTotals,
} from '../../server/domain/judging/index.ts';
import type { MarkInput } from '../../server/domain/index.ts';
import { marksOf, scheme } from './helpers.ts';

// Worked examples, computed by hand (the arithmetic is written out beside each).

describe('standardised scores: a worked example', () => {
  // Four complete entries with totals 60, 70, 80, 90.
  // μ = 75; population σ = √(((−15)² + (−5)² + 5² + 15²) / 4) = √125 = 11.18034;
  // 500 + 100 × (60 − 75) / 11.18034 = 500 − 134.164 = 365.836, and so on.
  // The formula is the WorldSkills-style standardisation asked for (mean 500, SD 100), see
  // server/domain/judging/standardise.ts for the choices and the source on the WorldSkills scale.
  it('puts 60, 70, 80, 90 at 365.84, 455.28, 544.72, 634.16', () => {
    const std = standardiseTotals([60, 70, 80, 90].map((total, i) => ({ entryId: i + 1, total, counts: true })));
    expect(std.mean).toBe(75);
    expect(std.sd).toBeCloseTo(Math.sqrt(125), 12);
    expect([1, 2, 3, 4].map((id) => Math.round(std.scores.get(id)! * 100) / 100)).toEqual([365.84, 455.28, 544.72, 634.16]);
    expect(std.spread).toBe('normal');
  });

  it('places a lone entrant, or entrants all on the same total, at 500; an entry that does not count gets nothing', () => {
    const single = standardiseTotals([{ entryId: 1, total: 88, counts: true }, { entryId: 2, total: 40, counts: false }]);
    expect([...single.scores]).toEqual([[1, 500]]);
    expect(single.spread).toBe('single');
    const flat = standardiseTotals([1, 2, 3].map((entryId) => ({ entryId, total: 72.5, counts: true })));
    expect([...flat.scores.values()]).toEqual([500, 500, 500]);
    expect(flat.spread).toBe('none');
    expect(flat.sd).toBe(0);
    expect(standardiseTotals([]).spread).toBe('empty');
  });
});

describe('rank statistics', () => {
  it('averages the ranks of ties', () => {
    expect(averageRanks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
    expect(averageRanks([5, 5, 5])).toEqual([2, 2, 2]);
  });

  it('computes Spearman with ties as Pearson of average ranks', () => {
    // x ranks 4 5 2 1 3, y ranks 4 5 2.5 1 2.5: Σdxdy = 9.5, Σdx² = 10, Σdy² = 9.5 → 9.5 / √95 = 0.97468.
    expect(spearman([8, 10, 5, 3, 6], [6, 7, 5, 4, 5])).toBeCloseTo(0.974679, 6);
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(spearman([1], [1])).toBeNull();
  });
});

describe('the home-group check: a hand-computed example', () => {
  // Method: Zitzewitz (2006); Emerson, Seltzer & Lin (2009). A judge's mark minus the others'
  // mean for five entrants: own group +2, +3; others 0, −1, +1. D = 2.5 − 0 = 2.5.
  // C(5, 2) = 10 relabellings; their D (S = sum of the two "own" values, D = S/2 − (5 − S)/3):
  // {2,3} 2.5 · {2,0} 0 · {2,−1} −0.83 · {2,1} 0.83 · {3,0} 0.83 · {3,−1} 0 · {3,1} 1.67 ·
  // {0,−1} −2.5 · {0,1} −0.83 · {−1,1} −1.67. |D| ≥ 2.5 twice → p = 2/10 = 0.2 (two-sided, exact).
  it('gives D = 2.5 and an exact p of 0.2', () => {
    const r = diffOfDiffsTest([2, 3, 0, -1, 1], [true, true, false, false, false], 1)!;
    expect(r.difference).toBeCloseTo(2.5, 12);
    expect(r.ownMean).toBe(2.5);
    expect(r.otherMean).toBe(0);
    expect(r.method).toBe('exact');
    expect(r.permutations).toBe(10);
    expect(r.pValue).toBeCloseTo(0.2, 12);
  });

  it('switches to a seeded Monte Carlo sample beyond the exact limit, reproducibly', () => {
    // 40 entrants, 20 own: C(40, 20) ≈ 1.4e11 relabellings, far beyond the limit.
    const values = Array.from({ length: 40 }, (_, i) => (i % 7) - 3 + (i < 20 ? 3 : 0));
    const own = values.map((_, i) => i < 20);
    expect(binomial(40, 20)).toBeGreaterThan(EXACT_LIMIT);
    const a = diffOfDiffsTest(values, own, 42)!;
    expect(a.method).toBe('monte_carlo');
    expect(a.permutations).toBe(MONTE_CARLO_PERMUTATIONS);
    expect(a.pValue).toBeLessThan(0.01); // a 3-point lift for every own entrant is no accident
    expect(a.pValue).toBeGreaterThanOrEqual(1 / (MONTE_CARLO_PERMUTATIONS + 1));
    expect(diffOfDiffsTest(values, own, 42)).toEqual(a);
  });

  it('has nothing to compare without entrants on both sides', () => {
    expect(diffOfDiffsTest([1, 2], [true, true], 1)).toBeNull();
  });
});

describe('judge quality: a hand-computed panel', () => {
  // One part out of 100 marked as one criterion; trimmed mean dropping 1 of 3. Judges 2 and 3
  // agree; judge 1 sits +2, +3, 0, −1, +1 above them on entrants 1..5 (the example above).
  const sch = scheme({
    parts: [
      { id: 'p', name: '实操', role: 'practical', weight: 100, max: 100, marking: 'rubric', criteria: [{ id: 'c', name: 'c', max: 100, step: 0.5 }], expectedMarks: 3 },
    ],
  });
  const others = [6, 7, 5, 4, 5];
  const judge1 = [8, 10, 5, 3, 6];
  const marks: MarkInput[] = others.flatMap((v, i) => [
    ...marksOf(i + 1, 1, 'p', { c: judge1[i]! }),
    ...marksOf(i + 1, 2, 'p', { c: v }),
    ...marksOf(i + 1, 3, 'p', { c: v }),
  ]);
  const [q] = judgeQuality({
    rounds: [{ key: 'r1', scheme: sch, marks }],
    judgeIds: [1],
    judgeHome: new Map([[1, 'A']]),
    entryHome: new Map([[1, 'A'], [2, 'A'], [3, 'B'], [4, 'B'], [5, 'B']]),
    seed: 13,
  });

  it('measures deviation from the median: +1.00 on average, 1.40 absolute', () => {
    // Medians 6, 7, 5, 4, 5 → deviations 2, 3, 0, −1, 1.
    expect(q!.meanDeviation).toBe(1);
    expect(q!.meanAbsDeviation).toBe(1.4);
  });

  it('counts drops with ties shared: 4.67 of 5, against 0.667 by chance', () => {
    // Highest on 1, 2, 5 and lowest on 4: 1 each; entrant 3, all three on 5: two drops among three marks, 2/3.
    expect(q!.dropped).toEqual({ eligible: 5, count: 4.67, share: 0.933, expectedShare: 0.667 });
  });

  it('measures consistency against the other judges’ mean', () => {
    expect(q!.consistency).toEqual({ rho: 0.975, units: 1 });
  });

  it('runs the home-group check on the judge’s region', () => {
    expect(q!.home.reason).toBeNull();
    expect(q!.home.test).toMatchObject({ ownCount: 2, otherCount: 3, ownMean: 2.5, otherMean: 0, difference: 2.5, pValue: 0.2, method: 'exact', permutations: 10 });
  });
});

describe('trainee comparison: a hand-computed example', () => {
  // Part out of 100 (a 60 + b 40), counting judges 1–3, trimmed mean dropping 1 of 3 (the middle mark).
  // Entry 1: 80, 85, 90 → 85; trainee 48 + 30 = 78 → −7.   a: 50 52 55 → 52 (|48−52| = 4); b: 30 33 35 → 33 (3).
  // Entry 2: 70, 75, 60 → 70; trainee 42 + 30 = 72 → +2.   a: 40 45 35 → 40 (2);           b: 30 30 25 → 30 (0).
  // Entry 3: 90, 95, 92 → 92; trainee 58 + 37 = 95 → +3.   a: 55 58 56 → 56 (2);           b: 35 37 36 → 36 (1).
  // Part: mean |d| = 12/3 = 4, mean d = −2/3 = −0.67; ranks 2 1 3 against 2 1 3 → ρ = 1.
  // Criteria: a (4 + 2 + 2)/3 = 2.67, b (3 + 0 + 1)/3 = 1.33.
  const sch = scheme({
    parts: [
      {
        id: 'p',
        name: '实操',
        role: 'practical',
        weight: 100,
        max: 100,
        marking: 'rubric',
        criteria: [
          { id: 'a', name: 'a', max: 60, step: 1 },
          { id: 'b', name: 'b', max: 40, step: 1 },
        ],
        aggregation: { kind: 'trimmed_mean', drop: 1 },
        expectedMarks: 3,
      },
    ],
  });
  const panel = [
    [[50, 30], [52, 33], [55, 35]],
    [[40, 30], [45, 30], [35, 25]],
    [[55, 35], [58, 37], [56, 36]],
  ];
  const trainee = [[48, 30], [42, 30], [58, 37]];
  const marks: MarkInput[] = panel.flatMap((judges, e) => [
    ...judges.flatMap(([a, b], j) => marksOf(e + 1, j + 1, 'p', { a: a!, b: b! })),
    ...marksOf(e + 1, 9, 'p', { a: trainee[e]![0]!, b: trainee[e]![1]! }),
  ]);

  it('gives the mean absolute difference per part and criterion, and the rank correlation', () => {
    expect(compareTrainee(sch, marks, 9, new Set([9]))).toEqual([
      {
        partId: 'p',
        entries: 3,
        meanAbsDiff: 4,
        meanDiff: -0.67,
        spearman: 1,
        criteria: [
          { criterionId: 'a', entries: 3, meanAbsDiff: 2.67 },
          { criterionId: 'b', entries: 3, meanAbsDiff: 1.33 },
        ],
      },
    ]);
  });
});
