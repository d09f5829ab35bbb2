import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { VOTE_CHOICES, VOTE_RULES, placeByScore, scoreReview, tallyVote } from '../../../server/domain/review/index.ts';
import type { ReviewAggregation, ReviewScore, ReviewStep, Vote } from '../../../server/domain/review/index.ts';

/** The same items in another order. */
const shuffled = <T,>(items: readonly T[]): fc.Arbitrary<T[]> => fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });

/** Weights of `n` parts adding up to 100 (as percentages) or to 1 (as tenths). */
const weightsArb = (n: number): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: 0, max: 10 }), { minLength: n, maxLength: n }).map((raw) => {
    const total = raw.reduce((a, b) => a + b, 0);
    if (total === 0) return raw.map((_, i) => (i === 0 ? 100 : 0));
    // percentages: the last part takes what rounding leaves, so they add up to 100 exactly
    const shares = raw.map((r) => Math.floor((r * 100) / total));
    shares[n - 1]! += 100 - shares.reduce((a, b) => a + b, 0);
    return shares;
  });

const aggregationArb = fc.constantFrom<ReviewAggregation>({ kind: 'mean' }, { kind: 'trimmed_mean' }, { kind: 'trimmed_mean', drop: 2 });

interface Review {
  steps: ReviewStep[];
  scores: ReviewScore[];
}

/**
 * Random reviews: 1–3 steps, 1–3 bodies per step, 0–4 reviewers per body, 1–5 candidates,
 * marks on a 0.5 grid, some sheets incomplete.
 */
const reviewArb: fc.Arbitrary<Review> = fc
  .integer({ min: 1, max: 3 })
  .chain((stepCount) =>
    fc.record({
      stepWeights: weightsArb(stepCount),
      steps: fc.array(
        fc.record({
          maxima: fc.array(fc.constantFrom(5, 10, 20, 40), { minLength: 1, maxLength: 3 }),
          bodies: fc.integer({ min: 1, max: 3 }).chain((n) => fc.record({ weights: weightsArb(n), aggregations: fc.array(aggregationArb, { minLength: n, maxLength: n }), reviewers: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }) })),
        }),
        { minLength: stepCount, maxLength: stepCount },
      ),
      candidates: fc.integer({ min: 1, max: 5 }),
    }),
  )
  .chain(({ stepWeights, steps: drawn, candidates }) => {
    let nextReviewer = 1;
    const cells: (ReviewScore & { max: number })[] = [];
    const steps: ReviewStep[] = drawn.map((d, s) => {
      const key = `s${s}`;
      const sheet = { items: d.maxima.map((max, i) => ({ id: `i${i}`, name: `item ${i}`, max })) };
      const bodies = d.bodies.weights.map((weight, b) => ({ key: `b${b}`, name: `body ${b}`, weight, aggregation: d.bodies.aggregations[b] }));
      bodies.forEach((body, b) => {
        for (let r = 0; r < d.bodies.reviewers[b]!; r++, nextReviewer++)
          for (let c = 1; c <= candidates; c++)
            for (const item of sheet.items) cells.push({ reviewerId: nextReviewer, candidateId: c, step: key, body: body.key, itemId: item.id, points: 0, max: item.max });
      });
      return { key, name: `step ${s}`, weight: stepWeights[s]!, sheet, bodies };
    });
    return fc
      .tuple(...cells.map(({ max, ...cell }) => fc.option(fc.integer({ min: 0, max: max * 2 }).map((half) => ({ ...cell, points: half / 2 })), { freq: 10, nil: null })))
      .map((maybe) => ({ steps, scores: maybe.filter((s): s is ReviewScore => s !== null) }));
  });

describe('review engine properties', () => {
  it('the result does not depend on the order of the score rows', () => {
    fc.assert(
      fc.property(
        reviewArb.chain((r) => fc.tuple(fc.constant(r), shuffled(r.scores))),
        ([review, reordered]) => {
          expect(scoreReview(review.steps, reordered)).toEqual(scoreReview(review.steps, review.scores));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('every weighted score lies between its weighted parts and is published with two decimals', () => {
    const between = (value: number | null, parts: { score: number | null; weight: number }[]) => {
      if (value === null) return;
      const counted = parts.filter((p) => p.weight > 0).map((p) => p.score!);
      expect(value).toBeGreaterThanOrEqual(Math.min(...counted));
      expect(value).toBeLessThanOrEqual(Math.max(...counted));
      expect(Math.round(value * 100) / 100).toBe(value);
    };
    fc.assert(
      fc.property(reviewArb, (review) => {
        for (const row of scoreReview(review.steps, review.scores)) {
          for (const step of review.steps) {
            const result = row.steps[step.key]!;
            between(result.score, step.bodies.map((b) => ({ score: result.bodies[b.key]!.score, weight: b.weight })));
          }
          between(row.final, review.steps.map((s) => ({ score: row.steps[s.key]!.score, weight: s.weight })));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('quota properties', () => {
  // Few distinct scores, so that ties (at the line too) are common.
  const fieldArb = fc.array(fc.option(fc.constantFrom(70, 80, 85, 90, 95), { freq: 8, nil: null }), { maxLength: 12 });
  const rulesArb = fc.record({ threshold: fc.constantFrom(0, 80, 90), quota: fc.option(fc.integer({ min: 0, max: 8 }), { nil: null }) });

  it('places add up; ties are never split; a better rank is never passed over for a worse one', () => {
    fc.assert(
      fc.property(fieldArb, rulesArb, (scores, rules) => {
        const items = scores.map((score, i) => ({ id: i + 1, score }));
        const { rows, summary } = placeByScore(items, (c) => c.score, (c) => c.id, rules);
        expect(summary.selected).toBe(rows.filter((r) => r.selected).length);
        expect(summary.tiedAtLine).toBe(rows.filter((r) => r.tiedAtLine).length);
        for (const row of rows) if (row.selected || row.tiedAtLine) expect(row.passes).toBe(true);
        if (rules.quota === null) {
          expect(rows.every((r) => r.selected === r.passes)).toBe(true);
        } else {
          expect(summary.selected + summary.placesToDecide + summary.placesUnfilled).toBe(rules.quota);
          // fewer tied than places would mean the tie fitted; more places than passing candidates leaves some unfilled
          if (summary.tiedAtLine > 0) expect(summary.tiedAtLine).toBeGreaterThan(summary.placesToDecide);
          if (summary.placesUnfilled > 0) expect(summary.passed).toBe(summary.selected);
        }
        const byRank = new Map<number, boolean[]>();
        for (const row of rows) if (row.rank !== null) byRank.set(row.rank, [...(byRank.get(row.rank) ?? []), row.selected]);
        for (const flags of byRank.values()) expect(new Set(flags).size).toBe(1);
        const lastSelected = rows.findLastIndex((r) => r.selected);
        expect(rows.slice(0, lastSelected + 1).every((r) => r.selected)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('vote properties', () => {
  const committeeArb = fc
    .integer({ min: 1, max: 15 })
    .chain((n) => fc.tuple(fc.constant(n), fc.array(fc.option(fc.constantFrom(...VOTE_CHOICES), { nil: null }), { minLength: n, maxLength: n })));
  const votesOf = (choices: (Vote['choice'] | null)[]): Vote[] => choices.flatMap((choice, i) => (choice === null ? [] : [{ memberId: i + 1, choice }]));

  it('one more vote for never turns a passed motion into a failed one; the figures add up', () => {
    fc.assert(
      fc.property(committeeArb, fc.constantFrom(...VOTE_RULES), fc.nat(), ([n, choices], rule, pick) => {
        const members = Array.from({ length: n }, (_, i) => i + 1);
        const result = tallyVote(members, votesOf(choices), rule);
        if (!result.ok) throw new Error('valid ballots refused');
        const t = result.tally;
        expect(t.for + t.against + t.abstain).toBe(t.cast);
        expect(t.cast + t.absent).toBe(n);
        expect(t.passed).toBe(t.for >= t.forNeeded);
        const changed = [...choices];
        changed[pick % n] = 'for';
        const after = tallyVote(members, votesOf(changed), rule);
        if (!after.ok) throw new Error('valid ballots refused');
        if (t.passed) expect(after.tally.passed).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
