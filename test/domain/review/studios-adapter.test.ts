import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { combineEvaluation, validateScores } from '../../../server/domain/studios/index.ts';
import { combineReview } from '../../../server/domain/review/index.ts';
import { indicatorSheetSchema } from '../../../server/contracts/studios.ts';
import type { EvaluationAggregation, EvaluationBody, EvaluationScore, IndicatorSheet, Reviewer } from '../../../server/contracts/studios.ts';
import * as before from './fixtures/studios-evaluation-before.ts';

// The studios' evaluation moved onto the review engine without changing a result: on random
// rounds the adapter gives exactly what the frozen pre-engine implementation gave (scores to
// the cent, flags, ranks, order, problems and messages), and what the engine gives directly.

/** The same items in another order. */
const shuffled = <T,>(items: readonly T[]): fc.Arbitrary<T[]> => fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });

interface Round {
  sheet: IndicatorSheet;
  scores: EvaluationScore[];
  unionWeight: number;
  hrWeight: number;
  threshold: number;
  aggregation: { union: EvaluationAggregation; hr_bureau: EvaluationAggregation };
  applicantIds: number[];
}

const aggregationArb = fc.constantFrom<EvaluationAggregation>({ kind: 'mean' }, { kind: 'trimmed_mean', drop: 1 }, { kind: 'trimmed_mean', drop: 2 });

const weightsArb = fc.oneof(
  fc.integer({ min: 0, max: 100 }).map((u) => [u, 100 - u] as const),
  fc.integer({ min: 0, max: 10 }).map((k) => [k / 10, (10 - k) / 10] as const),
  fc.integer({ min: 0, max: 100 }).map((k) => [k / 100, (100 - k) / 100] as const),
);

/**
 * A sheet of 1–4 items, 1–5 applicants, 0–6 reviewers per body, marks on a 0.5 or 0.01 grid
 * (the 0.01 grid reaches the half-cent ties rounding must break upwards), some sheets
 * incomplete, and sometimes extra applicants nobody scored.
 */
const roundArb: fc.Arbitrary<Round> = fc
  .record({
    maxima: fc.array(fc.constantFrom(5, 10, 15, 20, 25, 40, 100), { minLength: 1, maxLength: 4 }),
    applicants: fc.integer({ min: 1, max: 5 }),
    unionReviewers: fc.integer({ min: 0, max: 6 }),
    hrReviewers: fc.integer({ min: 0, max: 6 }),
    weights: weightsArb,
    aggregation: fc.record({ union: aggregationArb, hr_bureau: aggregationArb }),
    grid: fc.constantFrom(2, 100),
    threshold: fc.integer({ min: 0, max: 2000 }).map((t) => t / 20),
    extraApplicants: fc.array(fc.integer({ min: 1, max: 8 }), { maxLength: 3 }),
  })
  .chain(({ maxima, applicants, unionReviewers, hrReviewers, weights, aggregation, grid, threshold, extraApplicants }) => {
    const sheet = indicatorSheetSchema.parse({ name: 'p', items: maxima.map((max, i) => ({ id: `i${i}`, name: `item ${i}`, max })) });
    const cells: { reviewerId: number; body: EvaluationBody; applicantId: number; itemId: string; max: number }[] = [];
    for (let a = 1; a <= applicants; a++)
      for (let r = 1; r <= unionReviewers + hrReviewers; r++)
        for (const item of sheet.items) cells.push({ reviewerId: r, body: r <= unionReviewers ? 'union' : 'hr_bureau', applicantId: a, itemId: item.id, max: item.max });
    const scoresArb = fc.tuple(
      ...cells.map((c) =>
        fc.option(
          fc.integer({ min: 0, max: c.max * grid }).map((steps) => ({ reviewerId: c.reviewerId, body: c.body, applicantId: c.applicantId, itemId: c.itemId, points: steps / grid })),
          { freq: 12, nil: null },
        ),
      ),
    );
    return scoresArb.map((maybe) => ({
      sheet,
      scores: maybe.filter((s): s is EvaluationScore => s !== null),
      unionWeight: weights[0],
      hrWeight: weights[1],
      threshold,
      aggregation,
      applicantIds: extraApplicants,
    }));
  });

const optionsOf = (r: Round) => ({ unionWeight: r.unionWeight, hrWeight: r.hrWeight, threshold: r.threshold, aggregation: r.aggregation });

describe('the studios’ evaluation on the review engine', () => {
  it('gives exactly the results of the implementation before the engine', () => {
    fc.assert(
      fc.property(
        roundArb.chain((r) => fc.tuple(fc.constant(r), shuffled(r.scores))),
        ([round, reordered]) => {
          const expected = before.combineEvaluation(round.sheet, round.scores, optionsOf(round), round.applicantIds);
          expect(combineEvaluation(round.sheet, round.scores, optionsOf(round), round.applicantIds)).toEqual(expected);
          expect(combineEvaluation(round.sheet, reordered, optionsOf(round), round.applicantIds)).toEqual(expected);
          // thresholds exactly at the scores reached, where "at or above" is decided
          for (const threshold of new Set(expected.flatMap((r) => (r.combined === null ? [] : [r.combined])))) {
            const options = { ...optionsOf(round), threshold };
            expect(combineEvaluation(round.sheet, round.scores, options, round.applicantIds)).toEqual(before.combineEvaluation(round.sheet, round.scores, options, round.applicantIds));
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('agrees with the engine called directly with one step and the two bodies', () => {
    fc.assert(
      fc.property(roundArb, (round) => {
        const rows = combineEvaluation(round.sheet, round.scores, optionsOf(round), round.applicantIds);
        const engine = combineReview(
          {
            threshold: round.threshold,
            steps: [
              {
                key: 'review',
                name: round.sheet.name,
                weight: 100,
                sheet: round.sheet,
                bodies: [
                  { key: 'union', name: '工会', weight: round.unionWeight, aggregation: round.aggregation.union },
                  { key: 'hr_bureau', name: '人社部门', weight: round.hrWeight, aggregation: round.aggregation.hr_bureau },
                ],
              },
            ],
          },
          round.scores.map((s) => ({ reviewerId: s.reviewerId, candidateId: s.applicantId, itemId: s.itemId, points: s.points, body: s.body })),
          { candidateIds: round.applicantIds },
        );
        expect(engine.rows.map((r) => r.candidateId)).toEqual(rows.map((r) => r.applicantId));
        engine.rows.forEach((r, i) => {
          const row = rows[i]!;
          expect(r.steps.review!.bodies).toEqual({ union: row.union, hr_bureau: row.hrBureau });
          // a step weighted 100 of 100: rounding point (c) gives the step score back unchanged
          expect(r.final).toBe(r.steps.review!.score);
          expect([r.final, r.passes, r.rank, r.sharedRank, r.selected]).toEqual([row.combined, row.recognised, row.rank, row.sharedRank, row.recognised]);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('validates score rows exactly as before: the same problems, codes, fields and messages', () => {
    const sheet = indicatorSheetSchema.parse({ name: 'v', items: [{ id: 'a', name: '甲', max: 10 }, { id: 'b', name: '乙', max: 20 }] });
    const reviewerArb = fc.record({ body: fc.constantFrom<EvaluationBody | null>('union', 'hr_bureau', null), employerId: fc.constantFrom(null, 501, 502, 503) });
    const rowArb = fc.record({
      reviewerId: fc.integer({ min: 1, max: 6 }),
      body: fc.constantFrom<EvaluationBody>('union', 'hr_bureau'),
      applicantId: fc.integer({ min: 1, max: 4 }),
      itemId: fc.constantFrom('a', 'b', 'zz'),
      points: fc.constantFrom(-1, 0, 4.5, 10, 15, 20, 21, Number.NaN, Number.POSITIVE_INFINITY),
    });
    fc.assert(
      fc.property(fc.array(reviewerArb, { minLength: 5, maxLength: 5 }), fc.array(rowArb, { maxLength: 12 }), (panelReviewers, rows) => {
        const panel = {
          reviewers: panelReviewers.map((r, i): Reviewer => ({ id: i + 1, ...r })),
          applicants: [501, 502, 503].map((hostEmployerId, i) => ({ id: i + 1, hostEmployerId })),
        };
        expect(validateScores(sheet, rows, panel)).toEqual(before.validateScores(sheet, rows, panel));
      }),
      { numRuns: 500 },
    );
  });
});
