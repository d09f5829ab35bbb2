import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { prizeRuleSchema } from '../../../server/contracts/awards.ts';
import type { PrizeRule } from '../../../server/contracts/awards.ts';
import { allocatePrizes, prizePlaces } from '../../../server/domain/awards/index.ts';
import type { PrizeCandidate } from '../../../server/domain/awards/index.ts';
import { rankTotals } from './helpers.ts';

// Random events: up to 60 entrants with totals on a coarse grid (so ties are common), some
// absent or disqualified, some provisional; random count or share rules with any tie rule.

const statusArb = fc.constantFrom<PrizeCandidate['status']>('checked_in', 'checked_in', 'checked_in', 'checked_in', 'absent', 'disqualified');

const rowsArb: fc.Arbitrary<PrizeCandidate[]> = fc
  .array(fc.record({ total: fc.integer({ min: 0, max: 12 }), status: statusArb, provisional: fc.boolean() }), { maxLength: 60 })
  .map((specs) =>
    rankTotals(
      specs.map((s) => s.total),
      Object.fromEntries(specs.map((s, i) => [i + 1, { status: s.status, provisional: s.provisional }])),
    ),
  );

const tiesArb = fc.constantFrom('include' as const, 'exclude' as const, 'expand' as const);

const countRuleArb: fc.Arbitrary<PrizeRule> = fc
  .record({ counts: fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 4 }), ties: tiesArb })
  .map(({ counts, ties }) => prizeRuleSchema.parse({ basis: 'count', ties, tiers: counts.map((count, i) => ({ label: `${i + 1}等奖`, count })) }));

const shareRuleArb: fc.Arbitrary<PrizeRule> = fc
  .record({
    percents: fc.array(fc.integer({ min: 1, max: 25 }), { minLength: 1, maxLength: 4 }),
    ties: tiesArb,
    rounding: fc.constantFrom('cumulative' as const, 'per_tier' as const),
  })
  .map(({ percents, ties, rounding }) =>
    prizeRuleSchema.parse({ basis: 'share', ties, rounding, tiers: percents.map((percent, i) => ({ label: `${i + 1}等奖`, percent })) }),
  );

const ruleArb = fc.oneof(countRuleArb, shareRuleArb);

const isRanked = (r: PrizeCandidate) => r.rank !== null && r.status !== 'absent' && r.status !== 'disqualified';

describe('prize allocation properties', () => {
  it('never gives a prize to an unranked, absent or disqualified row', () => {
    fc.assert(
      fc.property(rowsArb, ruleArb, (rows, rule) => {
        const byId = new Map(rows.map((r) => [r.entryId, r]));
        for (const award of allocatePrizes(rows, rule).awards) expect(isRanked(byId.get(award.entryId)!)).toBe(true);
      }),
    );
  });

  it('never gives a better rank a lower prize (no prize being the lowest), and equal ranks the same', () => {
    fc.assert(
      fc.property(rowsArb, ruleArb, (rows, rule) => {
        const tierOf = new Map(allocatePrizes(rows, rule).awards.map((a) => [a.entryId, a.tier]));
        const ranked = rows.filter(isRanked);
        const level = (r: PrizeCandidate) => tierOf.get(r.entryId) ?? Number.POSITIVE_INFINITY;
        for (const a of ranked)
          for (const b of ranked) {
            if (a.rank! < b.rank!) expect(level(a)).toBeLessThanOrEqual(level(b));
            if (a.rank === b.rank) expect(level(a)).toBe(level(b));
          }
      }),
    );
  });

  it('with expand, awards each tier its places while entrants remain, and at least the configured counts in all when there are enough entrants', () => {
    fc.assert(
      fc.property(rowsArb, ruleArb, (rows, rule) => {
        const expand: PrizeRule = { ...rule, ties: 'expand' };
        const result = allocatePrizes(rows, expand);
        const ranked = result.rankedEntrants;
        // Places are what the rule gives before ties; later tiers may run out of entrants.
        let left = ranked;
        result.tiers.forEach((t) => {
          expect(t.awarded).toBeGreaterThanOrEqual(Math.min(t.places, left));
          left -= t.awarded;
        });
        expect(result.awardedTotal).toBeGreaterThanOrEqual(result.plannedTotal);
        // A tie can use up the entrants before a later tier (two sharing 1st of 2 with 1 / 1),
        // so the guarantee on configured counts is on the total.
        if (rule.basis === 'count') {
          const configured = rule.tiers.reduce((s, t) => s + t.count, 0);
          if (ranked >= configured) expect(result.awardedTotal).toBeGreaterThanOrEqual(configured);
        }
      }),
    );
  });

  it('changes the total only at the last boundary: include ≥ planned, exclude ≤ planned', () => {
    fc.assert(
      fc.property(rowsArb, ruleArb, (rows, rule) => {
        expect(allocatePrizes(rows, { ...rule, ties: 'include' }).awardedTotal).toBeGreaterThanOrEqual(prizePlaces(rows.filter(isRanked).length, rule).reduce((s, p) => s + p, 0));
        const exclude = allocatePrizes(rows, { ...rule, ties: 'exclude' });
        expect(exclude.awardedTotal).toBeLessThanOrEqual(exclude.plannedTotal);
      }),
    );
  });

  it('does not depend on the order of the input rows', () => {
    fc.assert(
      fc.property(
        rowsArb.chain((rows) => fc.tuple(fc.constant(rows), fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length }))),
        ruleArb,
        ([rows, shuffled], rule) => {
          expect(allocatePrizes(shuffled, rule)).toEqual(allocatePrizes(rows, rule));
        },
      ),
    );
  });

  it('plans no more places than ranked entrants, at least one first prize on a share rule', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), ruleArb, (n, rule) => {
        const places = prizePlaces(n, rule);
        expect(places.reduce((s, p) => s + p, 0)).toBeLessThanOrEqual(n);
        if (rule.basis === 'share' && n > 0) expect(places[0]).toBeGreaterThanOrEqual(1);
      }),
    );
  });
});
