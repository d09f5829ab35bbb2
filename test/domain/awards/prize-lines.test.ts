import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prizeRuleSchema } from '../../../server/contracts/awards.ts';
import type { PrizeRule, PrizeRuleInput, PrizeTieRule } from '../../../server/contracts/awards.ts';
import { allocatePrizes, prizePlaces } from '../../../server/domain/awards/index.ts';
import type { PrizeCandidate } from '../../../server/domain/awards/index.ts';

const rule = (input: PrizeRuleInput): PrizeRule => prizeRuleSchema.parse(input);

/** Candidates from totals, best first, with standard competition ranks; entry ids 1, 2, 3 … in the order given. */
function ranked(totals: readonly number[]): PrizeCandidate[] {
  const sorted = totals.map((total, i) => ({ entryId: i + 1, total })).sort((a, b) => b.total - a.total || a.entryId - b.entryId);
  return sorted.map((r) => ({ ...r, rank: sorted.findIndex((o) => o.total === r.total) + 1 }));
}
const tierOf = (awards: { entryId: number; tier: number }[], id: number) => awards.find((a) => a.entryId === id)?.tier ?? null;

describe('a minimum score for each prize tier (分数线)', () => {
  it('worked example: WorldSkills medals by place, the Medallion for Excellence only from 700 standardised points (WSI Competition Rules)', () => {
    // Standardised scores (WorldSkills' 700 scale). Gold, silver and bronze go by place; the
    // medallion for excellence to the next five, but only to those with 700 or more.
    const medals = rule({
      basis: 'count',
      tiers: [
        { label: '金牌', count: 1 },
        { label: '银牌', count: 1 },
        { label: '铜牌', count: 1 },
        { label: '优胜奖', count: 5, minScore: 700 },
      ],
      ties: 'include',
    });
    const rows = ranked([735, 721, 712, 704, 701, 699, 688, 650]);
    const out = allocatePrizes(rows, medals);
    expect(out.awards.map((a) => [a.entryId, a.label])).toEqual([
      [1, '金牌'],
      [2, '银牌'],
      [3, '铜牌'],
      [4, '优胜奖'],
      [5, '优胜奖'],
    ]);
    // 699, 688 and 650 had medallion places but are below the line: no prize, and the preview says so.
    expect(out.lineChanges.map((c) => [c.id, c.placeTier, c.tier, c.missed])).toEqual([
      [6, 4, null, [{ tier: 4, minScore: 700 }]],
      [7, 4, null, [{ tier: 4, minScore: 700 }]],
      [8, 4, null, [{ tier: 4, minScore: 700 }]],
    ]);
    expect(out.tiers[3]).toMatchObject({ places: 5, awarded: 2 });
  });

  it('no first prize below its line: the entrant falls to the next tier whose line they meet, and the places are not passed down', () => {
    const r = rule({
      basis: 'count',
      tiers: [
        { label: '一等奖', count: 1, minScore: 90 },
        { label: '二等奖', count: 2, minScore: 80 },
        { label: '三等奖', count: 3, minScore: 60 },
      ],
    });
    // 88 would be first by place but is below 90: second prize. Second prize has two places
    // (88 and 85), so 82 is pushed to third; 59 is below the third-prize line.
    const out = allocatePrizes(ranked([88, 85, 82, 70, 65, 59]), r);
    expect([1, 2, 3, 4, 5, 6].map((id) => tierOf(out.awards, id))).toEqual([2, 2, 3, 3, 3, null]);
    expect(out.tiers.map((t) => t.awarded)).toEqual([0, 2, 3]);
    const why = Object.fromEntries(out.lineChanges.map((c) => [c.id, c.missed.map((m) => m.tier)]));
    expect(why).toEqual({ 1: [1], 3: [], 6: [3] }); // 3: pushed down by 1, who fell into second prize (3 meets its line)
  });

  it('refuses a lower tier asking more than a higher one, naming the field', () => {
    const bad = prizeRuleSchema.safeParse({ basis: 'count', tiers: [{ label: '一等奖', count: 1, minScore: 80 }, { label: '二等奖', count: 2, minScore: 85 }] });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path).toEqual(['tiers', 1, 'minScore']);
  });

  // Totals in halves from 50 to 100 (many ties), rules by count or share with random lines.
  const totals = fc.array(fc.integer({ min: 100, max: 200 }).map((h) => h / 2), { minLength: 0, maxLength: 40 });
  const ties = fc.constantFrom<PrizeTieRule>('include', 'exclude', 'expand');
  const lines = fc.array(fc.option(fc.integer({ min: 100, max: 200 }).map((h) => h / 2), { nil: undefined }), { minLength: 1, maxLength: 4 });
  const ruleArb = fc.tuple(lines, ties, fc.boolean(), fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 4, maxLength: 4 })).map(([mins, tie, byCount, counts]) => {
    // Lines never rise down the tiers (the contract refuses that).
    const sorted = mins.map((m) => m ?? null);
    let cap = Infinity;
    const tiers = sorted.map((m, k) => {
      const minScore = m === null ? undefined : Math.min(m, cap);
      if (minScore !== undefined) cap = minScore;
      return byCount ? { label: `${k + 1}`, count: counts[k]!, minScore } : { label: `${k + 1}`, percent: 10 + 5 * k, minScore };
    });
    return rule({ basis: byCount ? 'count' : 'share', tiers, ties: tie } as PrizeRuleInput);
  });
  const withoutLines = (r: PrizeRule): PrizeRule => ({ ...r, tiers: r.tiers.map(({ minScore: _, ...t }) => t) }) as PrizeRule;

  it('property: a prize line never gives a tier to an entry below its line', () => {
    fc.assert(
      fc.property(totals, ruleArb, (list, r) => {
        const rows = ranked(list);
        for (const a of allocatePrizes(rows, r).awards) {
          const line = r.tiers[a.tier - 1]!.minScore;
          if (line !== undefined) expect(rows.find((x) => x.entryId === a.entryId)!.total!).toBeGreaterThanOrEqual(line);
        }
      }),
    );
  });

  it('property: never more winners than the rule, nobody better off, and a better rank never gets a worse prize', () => {
    fc.assert(
      fc.property(totals, ruleArb, (list, r) => {
        const rows = ranked(list);
        const lined = allocatePrizes(rows, r);
        const plain = allocatePrizes(rows, withoutLines(r));
        expect(lined.awardedTotal).toBeLessThanOrEqual(plain.awardedTotal);
        for (const a of lined.awards) {
          const before = tierOf(plain.awards, a.entryId);
          expect(before).not.toBeNull(); // no new winners
          expect(a.tier).toBeGreaterThanOrEqual(before!); // nobody better off
        }
        if (r.ties === 'exclude') {
          // Without ties awarded upwards, the tiers down to each one never pass their places
          // (an `exclude` tie passes its places down to the next tier, never more).
          const places = prizePlaces(lined.rankedEntrants, r);
          let awarded = 0;
          let planned = 0;
          lined.tiers.forEach((t, k) => {
            awarded += t.awarded;
            planned += places[k]!;
            expect(awarded).toBeLessThanOrEqual(planned);
          });
        }
        const byRank = [...lined.awards].sort((a, b) => a.rank - b.rank);
        for (let i = 1; i < byRank.length; i++) expect(byRank[i]!.tier).toBeGreaterThanOrEqual(byRank[i - 1]!.tier);
        // Whoever is ranked but gets nothing ranks below every winner.
        const worstWinner = Math.max(0, ...lined.awards.map((a) => a.rank));
        for (const row of rows) if (tierOf(lined.awards, row.entryId) === null) expect(row.rank!).toBeGreaterThan(worstWinner);
      }),
    );
  });

  it('property: lines everyone meets change nothing (the lined allocation is the plain one)', () => {
    fc.assert(
      fc.property(totals, ruleArb, (list, r) => {
        const rows = ranked(list);
        const zero = { ...r, tiers: r.tiers.map((t) => ({ ...t, minScore: 0 })) } as PrizeRule;
        const plain = allocatePrizes(rows, withoutLines(r));
        const lined = allocatePrizes(rows, zero);
        expect(lined.awards).toEqual(plain.awards);
        expect(lined.boundaryTies).toEqual(plain.boundaryTies);
        expect(lined.lineChanges).toEqual([]);
      }),
    );
  });
});
