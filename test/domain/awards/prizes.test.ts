import { describe, expect, it } from 'vitest';
import { PRIZE_RULE_PRESETS, prizeRuleSchema } from '../../../server/contracts/awards.ts';
import type { PrizeRule, PrizeRuleInput, PrizeTieRule } from '../../../server/contracts/awards.ts';
import { allocatePrizes, allocateTeamPrizes, prizePlaces } from '../../../server/domain/awards/index.ts';
import type { EntryPrize, PrizeCandidate } from '../../../server/domain/awards/index.ts';
import { computeRanking, computeTeamRanking } from '../../../server/domain/index.ts';
import type { EntryInput, MarkInput } from '../../../server/domain/index.ts';
import { entry, objectiveMark, objectivePart, scheme } from '../helpers.ts';
import { rankTotals, ranksWithPairs, withRanks } from './helpers.ts';

const rule = (input: PrizeRuleInput): PrizeRule => prizeRuleSchema.parse(input);
const withTies = (base: PrizeRule, ties: PrizeTieRule): PrizeRule => ({ ...base, ties });
const SHARES = PRIZE_RULE_PRESETS.national_2012_shares;

/** Entry ids per tier, e.g. [[1], [2, 3], [4, 5, 6]]. */
function idsByTier(awards: readonly EntryPrize[], tiers = 3): number[][] {
  return Array.from({ length: tiers }, (_, k) => awards.filter((a) => a.tier === k + 1).map((a) => a.entryId));
}
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('prizePlaces: places per tier before ties', () => {
  it('takes 10 / 20 / 30 % as separate tiers, rounding each cumulative boundary half-up', () => {
    // 45 entrants: boundaries 4.5 → 5, 13.5 → 14, 27 → 27.
    expect(prizePlaces(45, SHARES)).toEqual([5, 9, 13]);
    // Per tier, as counted by hand: 4.5 → 5, 9, 13.5 → 14 (28 = more than 60 %).
    expect(prizePlaces(45, { ...SHARES, rounding: 'per_tier' })).toEqual([5, 9, 14]);
  });

  it('keeps small events at the overall share with cumulative rounding', () => {
    expect(prizePlaces(5, SHARES)).toEqual([1, 1, 1]);
    expect(prizePlaces(5, { ...SHARES, rounding: 'per_tier' })).toEqual([1, 1, 2]);
  });

  it('gives at least one first prize when anyone is ranked, and nothing to nobody', () => {
    expect(prizePlaces(3, SHARES)).toEqual([1, 0, 1]); // 0.3 → 1 (minimum), 0.9 → 1, 1.8 → 2
    expect(prizePlaces(1, SHARES)).toEqual([1, 0, 0]);
    expect(prizePlaces(1, { ...SHARES, rounding: 'per_tier' })).toEqual([1, 0, 0]);
    expect(prizePlaces(0, SHARES)).toEqual([0, 0, 0]);
  });

  it('caps fixed counts at the entrants', () => {
    expect(prizePlaces(368, PRIZE_RULE_PRESETS.fushun_five_smalls)).toEqual([8, 15, 22]);
    expect(prizePlaces(7, PRIZE_RULE_PRESETS.counts_1_3_6)).toEqual([1, 3, 3]);
  });

  it('refuses a negative or fractional number of entrants', () => {
    expect(() => prizePlaces(-1, SHARES)).toThrow(RangeError);
    expect(() => prizePlaces(2.5, SHARES)).toThrow(RangeError);
  });
});

describe('allocatePrizes by share (2012 national 10 / 20 / 30 %)', () => {
  const totals = range(1, 45).map((i) => 100 - i); // 45 distinct totals, entry i ranked i

  it('awards 5 / 9 / 13 of 45 with no ties', () => {
    const result = allocatePrizes(rankTotals(totals), SHARES);
    expect(idsByTier(result.awards)).toEqual([range(1, 5), range(6, 14), range(15, 27)]);
    expect(result.tiers.map((t) => [t.label, t.places, t.awarded])).toEqual([
      ['一等奖', 5, 5],
      ['二等奖', 9, 9],
      ['三等奖', 13, 13],
    ]);
    expect(result).toMatchObject({ rankedEntrants: 45, plannedTotal: 27, awardedTotal: 27, boundaryTies: [], provisional: false });
  });

  describe('a share boundary that falls inside a tie (two share 5th; the first-prize boundary is 5)', () => {
    const rows = withRanks(ranksWithPairs(45, [5])); // 1, 2, 3, 4, 5, 5, 7, …

    it('include: both get first prize; second prize shrinks, the total stays 27', () => {
      const result = allocatePrizes(rows, withTies(SHARES, 'include'));
      expect(idsByTier(result.awards)).toEqual([range(1, 6), range(7, 14), range(15, 27)]);
      expect(result.boundaryTies).toEqual([{ afterTier: 1, rank: 5, ids: [5, 6], tier: 1 }]);
      expect(result.awards.filter((a) => a.tiedAtBoundary).map((a) => a.entryId)).toEqual([5, 6]);
    });

    it('exclude: both get second prize; the total stays 27', () => {
      const result = allocatePrizes(rows, withTies(SHARES, 'exclude'));
      expect(idsByTier(result.awards)).toEqual([range(1, 4), range(5, 14), range(15, 27)]);
      expect(result.boundaryTies).toEqual([{ afterTier: 1, rank: 5, ids: [5, 6], tier: 2 }]);
    });

    it('expand: both get first prize and the later tiers keep their counts (28 awarded)', () => {
      const result = allocatePrizes(rows, withTies(SHARES, 'expand'));
      expect(idsByTier(result.awards)).toEqual([range(1, 6), range(7, 15), range(16, 28)]);
      expect(result.awardedTotal).toBe(28);
      expect(result.plannedTotal).toBe(27);
    });
  });

  it('counts only ranked entrants: absent and disqualified ones neither win nor count', () => {
    // 10 registered, 2 absent or disqualified: 8 ranked → 10 % = 0.8 → 1, 30 % = 2.4 → 2, 60 % = 4.8 → 5.
    const rows = rankTotals([99, 98, 97, 96, 95, 94, 93, 92, 91, 90], { 1: { status: 'absent' }, 3: { status: 'disqualified' } });
    const result = allocatePrizes(rows, SHARES);
    expect(result.rankedEntrants).toBe(8);
    expect(idsByTier(result.awards)).toEqual([[2], [4], [5, 6, 7]]);
  });
});

describe('allocatePrizes by fixed counts', () => {
  describe('two entrants sharing 3rd across the 1 / 2 / 3 boundary', () => {
    // Feixi welding final: 8 finalists, 2nd and 3rd prize boundary after place 3.
    const rows = rankTotals([96.5, 94, 91.25, 91.25, 88, 87.5, 85, 80]); // ranks 1, 2, 3, 3, 5, 6, 7, 8
    const counts = PRIZE_RULE_PRESETS.counts_1_2_3;

    it('include: both take second prize, third prize shrinks to 2', () => {
      const result = allocatePrizes(rows, withTies(counts, 'include'));
      expect(idsByTier(result.awards)).toEqual([[1], [2, 3, 4], [5, 6]]);
      expect(result.awards.find((a) => a.entryId === 4)).toMatchObject({ rank: 3, tier: 2, label: '二等奖', tiedAtBoundary: true });
    });

    it('exclude: both take third prize, second prize has 1', () => {
      expect(idsByTier(allocatePrizes(rows, withTies(counts, 'exclude')).awards)).toEqual([[1], [2], [3, 4, 5, 6]]);
    });

    it('expand: both take second prize and third prize still has 3 (7 prizes)', () => {
      expect(idsByTier(allocatePrizes(rows, withTies(counts, 'expand')).awards)).toEqual([[1], [2, 3, 4], [5, 6, 7]]);
    });
  });

  describe('1 / 3 / 6 with a tie at the second-prize boundary and another further down', () => {
    const rows = withRanks([1, 2, 3, 4, 4, 6, 7, 8, 9, 10, 11, 11, 13]);
    const counts = PRIZE_RULE_PRESETS.counts_1_3_6;

    it('include: 1 / 4 / 5, total 10', () => {
      const result = allocatePrizes(rows, withTies(counts, 'include'));
      expect(idsByTier(result.awards)).toEqual([[1], [2, 3, 4, 5], [6, 7, 8, 9, 10]]);
      expect(result.awardedTotal).toBe(10);
    });

    it('exclude: 1 / 2 / 7, total 10', () => {
      const result = allocatePrizes(rows, withTies(counts, 'exclude'));
      expect(idsByTier(result.awards)).toEqual([[1], [2, 3], [4, 5, 6, 7, 8, 9, 10]]);
      expect(result.awardedTotal).toBe(10);
    });

    it('expand: 1 / 4 / 7, and the shared 11th place at the new third-prize end is taken whole', () => {
      const result = allocatePrizes(rows, withTies(counts, 'expand'));
      expect(idsByTier(result.awards)).toEqual([[1], [2, 3, 4, 5], [6, 7, 8, 9, 10, 11, 12]]);
      expect(result.boundaryTies).toEqual([
        { afterTier: 2, rank: 4, ids: [4, 5], tier: 2 },
        { afterTier: 3, rank: 11, ids: [11, 12], tier: 3 },
      ]);
    });
  });

  describe('a tie across the last boundary (two share 10th of 1 / 3 / 6)', () => {
    const rows = withRanks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 12]);
    const counts = PRIZE_RULE_PRESETS.counts_1_3_6;

    it('include and expand: both get third prize (11 prizes)', () => {
      for (const ties of ['include', 'expand'] as const) {
        const result = allocatePrizes(rows, withTies(counts, ties));
        expect(idsByTier(result.awards)[2]).toEqual([5, 6, 7, 8, 9, 10, 11]);
        expect(result.awardedTotal).toBe(11);
      }
    });

    it('exclude: neither gets a prize (9 prizes)', () => {
      const result = allocatePrizes(rows, withTies(counts, 'exclude'));
      expect(result.awardedTotal).toBe(9);
      expect(result.boundaryTies).toEqual([{ afterTier: 3, rank: 10, ids: [10, 11], tier: null }]);
    });
  });

  describe('Fushun five smalls: 8 / 15 / 22 of 368 (45 prizes, 12 %)', () => {
    const fushun = PRIZE_RULE_PRESETS.fushun_five_smalls;

    it('awards 8 / 15 / 22 with no ties', () => {
      const result = allocatePrizes(withRanks(range(1, 368)), fushun);
      expect(result.tiers.map((t) => t.awarded)).toEqual([8, 15, 22]);
      expect(result.awardedTotal).toBe(45);
      expect(Math.round((result.awardedTotal / result.rankedEntrants) * 100)).toBe(12);
    });

    it('with two sharing 8th: include 9 / 14 / 22, exclude 7 / 16 / 22, expand 9 / 15 / 22', () => {
      const rows = withRanks(ranksWithPairs(368, [8]));
      const awarded = (ties: PrizeTieRule) => allocatePrizes(rows, withTies(fushun, ties)).tiers.map((t) => t.awarded);
      expect(awarded('include')).toEqual([9, 14, 22]);
      expect(awarded('exclude')).toEqual([7, 16, 22]);
      expect(awarded('expand')).toEqual([9, 15, 22]);
    });
  });

  it('lets a tier have no places', () => {
    const r = rule({ basis: 'count', tiers: [{ label: '金奖', count: 1 }, { label: '银奖', count: 0 }, { label: '铜奖', count: 2 }] });
    for (const ties of ['include', 'exclude', 'expand'] as const)
      expect(idsByTier(allocatePrizes(withRanks([1, 2, 3, 4]), withTies(r, ties)).awards)).toEqual([[1], [], [2, 3]]);
  });
});

describe('prize money, provisional results, input', () => {
  it('pays each winner their tier’s money (Hefei A level: 3,000 / 2,000 / 1,000 yuan)', () => {
    const result = allocatePrizes(withRanks([1, 2, 3, 4, 5, 6, 7]), PRIZE_RULE_PRESETS.hefei_a_level_1_2_3);
    expect(result.awards.map((a) => a.moneyYuan)).toEqual([3000, 2000, 2000, 1000, 1000, 1000]);
    expect(result.tiers.map((t) => t.totalYuan)).toEqual([3000, 4000, 3000]);
    expect(result.totalYuan).toBe(10000);
    // A tie across the last boundary with include pays one more third prize.
    expect(allocatePrizes(withRanks([1, 2, 3, 4, 5, 6, 6]), PRIZE_RULE_PRESETS.hefei_a_level_1_2_3).totalYuan).toBe(11000);
  });

  it('flags provisional winners, and the whole allocation while any ranked entrant is provisional', () => {
    const rows: PrizeCandidate[] = withRanks([1, 2, 3, 4, 5, 6, 7, 8]);
    rows[1]!.provisional = true;
    const result = allocatePrizes(rows, PRIZE_RULE_PRESETS.counts_1_2_3);
    expect(result.awards.filter((a) => a.provisional).map((a) => a.entryId)).toEqual([2]);
    expect(result.provisional).toBe(true);
    // Provisional outside the prizes still makes the allocation provisional: it can still climb.
    rows[1]!.provisional = false;
    rows[7]!.provisional = true;
    const later = allocatePrizes(rows, PRIZE_RULE_PRESETS.counts_1_2_3);
    expect(later.awards.some((a) => a.provisional)).toBe(false);
    expect(later.provisional).toBe(true);
  });

  it('never gives a prize to a row that claims a rank but is absent or disqualified', () => {
    const rows: PrizeCandidate[] = [
      { entryId: 1, rank: 1, status: 'absent' },
      { entryId: 2, rank: 1, status: 'disqualified' },
      { entryId: 3, rank: 3, status: 'checked_in' },
    ];
    const result = allocatePrizes(rows, PRIZE_RULE_PRESETS.counts_1_2_3);
    expect(result.awards.map((a) => a.entryId)).toEqual([3]);
    expect(result.rankedEntrants).toBe(1);
  });

  it('refuses ranks that are not whole numbers from 1', () => {
    expect(() => allocatePrizes(withRanks([0, 1]), SHARES)).toThrow(RangeError);
    expect(() => allocatePrizes(withRanks([1.5]), SHARES)).toThrow(RangeError);
  });

  it('takes the engine’s ranking rows as they are, provisional ones included', () => {
    const sch = scheme({ totaling: 'raw', tieBreaks: [], parts: [objectivePart('exam', 'practical', 100)] });
    const entries = [1, 2, 3, 4, 5].map((id) => entry(id, id === 5 ? { status: 'absent' } : {}));
    const marks: MarkInput[] = [objectiveMark(1, 'exam', 88), objectiveMark(2, 'exam', 92), objectiveMark(3, 'exam', 88)];
    const rows = computeRanking(sch, entries, marks); // 2: 92 (1st), 1 and 3: 88 (2nd), 4: no marks yet (provisional)
    const result = allocatePrizes(rows, PRIZE_RULE_PRESETS.counts_1_2_3);
    expect(result.awards.map((a) => [a.entryId, a.rank, a.label])).toEqual([
      [2, 1, '一等奖'],
      [1, 2, '二等奖'],
      [3, 2, '二等奖'],
      [4, 4, '三等奖'],
    ]);
    expect(result.awards[3]!.provisional).toBe(true);
    expect(result.provisional).toBe(true);
  });
});

describe('allocateTeamPrizes (代表队)', () => {
  it('allocates over a team ranking the same way, tie rule included', () => {
    // Northern Anhui power distribution: 10 teams of 3, ranked by the sum of their members.
    const sch = scheme({ totaling: 'raw', tieBreaks: [], parts: [objectivePart('exam', 'practical', 100)] });
    const entries: EntryInput[] = [];
    const marks: MarkInput[] = [];
    for (let team = 1; team <= 10; team++) {
      const t = team === 4 ? 3 : team; // team 4 scores exactly as team 3
      [100 - 3 * t, 90 - 3 * t, 80 - 3 * t].forEach((total, i) => {
        const id = team * 10 + i;
        entries.push(entry(id, { teamId: team }));
        marks.push(objectiveMark(id, 'exam', total));
      });
    }
    const teams = computeTeamRanking(computeRanking(sch, entries, marks), { method: 'sum', bestN: 3 });
    const result = allocateTeamPrizes(teams, PRIZE_RULE_PRESETS.counts_1_2_3);
    expect(result.awards.map((a) => [a.teamId, a.rank, a.tier])).toEqual([
      [1, 1, 1],
      [2, 2, 2],
      [3, 3, 2],
      [4, 3, 2],
      [5, 5, 3],
      [6, 6, 3],
    ]);
    expect(result.boundaryTies).toEqual([{ afterTier: 2, rank: 3, ids: [3, 4], tier: 2 }]);
  });

  it('gives nothing to a team without a rank', () => {
    const result = allocateTeamPrizes(
      [
        { teamId: 7, rank: 1 },
        { teamId: 8, rank: null },
      ],
      PRIZE_RULE_PRESETS.counts_1_2_3,
    );
    expect(result.awards.map((a) => a.teamId)).toEqual([7]);
  });
});
