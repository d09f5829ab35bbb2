import { describe, expect, it } from 'vitest';
import { awardTiers, rankFiveSmalls, screenFiveSmalls, tierCountsFromShares } from '../../../server/domain/studios/index.ts';
import { awardTiersConfigSchema, fiveSmallsEntrySchema, fushunFiveSmallsTiers } from '../../../server/contracts/studios.ts';
import type { BenefitCriterion, FiveSmallsEntry, FiveSmallsScore } from '../../../server/contracts/studios.ts';

function entry(id: number, extra: Partial<FiveSmallsEntry> = {}): FiveSmallsEntry {
  return fiveSmallsEntrySchema.parse({
    id,
    category: 'innovation',
    title: `作品${id}`,
    submitter: { type: 'worker', id: 1000 + id },
    completedOn: '2023-06-01',
    implemented: true,
    ...extra,
  });
}

/** A department's points for the four criteria in the order economic, social, safety, management. */
function dept(departmentId: number, entryId: number, [economic, social, safety, management]: number[]): FiveSmallsScore[] {
  const points: Record<BenefitCriterion, number | undefined> = { economic, social, safety, management };
  return (Object.entries(points) as [BenefitCriterion, number | undefined][]).flatMap(([criterion, p]) =>
    p === undefined ? [] : [{ departmentId, entryId, criterion, points: p }],
  );
}

/** n ranked rows with distinct ranks 1..n (entry id = rank), then optional edits. */
function distinctRanking(n: number) {
  return Array.from({ length: n }, (_, i) => ({ entryId: i + 1, rank: i + 1 as number | null }));
}

describe('screenFiveSmalls', () => {
  it('screens out ineligible entries with every reason, keeping suggestions that are not in use yet', () => {
    const entries = [
      entry(1),
      entry(2, { category: 'suggestion', implemented: false }),
      entry(3, { implemented: false }),
      entry(4, { completedOn: '2021-12-31', previouslyAwarded: true }),
      entry(5, { category: 'design' }),
      entry(6),
    ];
    const result = screenFiveSmalls(entries, {
      categories: ['invention', 'creation', 'innovation', 'suggestion'],
      completedFrom: '2022-01-01',
      completedTo: '2023-12-31',
      exclusions: [{ entryId: 6, reason: '经核查，成果数据不实' }],
    });
    expect(result.eligible.map((e) => e.id)).toEqual([1, 2]);
    expect(result.ineligible.map((i) => [i.entry.id, i.reasons.map((r) => r.code)])).toEqual([
      [3, ['not_implemented']],
      [4, ['outside_period', 'previously_awarded']],
      [5, ['category_not_open']],
      [6, ['excluded']],
    ]);
    expect(result.ineligible[0]!.reasons[0]!.message).toBe('成果须已在生产工作中实施应用');
    expect(result.ineligible[1]!.reasons[0]!.message).toBe('成果完成时间须在2022-01-01至2023-12-31之间');
    expect(result.ineligible[2]!.reasons[0]!.message).toBe('本次活动不征集小设计类成果');
    expect(result.ineligible[3]!.reasons[0]!.message).toBe('经核查，成果数据不实');
  });

  it('drops duplicates (same submitter, same title up to spacing and width) and entries beyond the per-submitter limit', () => {
    const worker = { type: 'worker' as const, id: 7 };
    const entries = [
      entry(17, { submitter: worker, title: '第三项' }),
      entry(11, { submitter: worker, title: 'CNC车床快速夹具' }),
      entry(12, { submitter: worker, title: ' ｃｎｃ车床 快速夹具 ' }),
      entry(13, { submitter: worker, title: '皮带机防跑偏装置', implemented: false }),
      entry(15, { submitter: worker, title: '皮带机防跑偏装置' }), // corrected resubmission of 13
      entry(16, { submitter: { type: 'studio', id: 7 }, title: 'CNC车床快速夹具' }), // another submitter
    ];
    const result = screenFiveSmalls(entries, { maxEntriesPerSubmitter: 2 });
    expect(result.eligible.map((e) => e.id)).toEqual([11, 15, 16]);
    expect(result.ineligible.map((i) => [i.entry.id, i.reasons[0]!.code])).toEqual([
      [12, 'duplicate'],
      [13, 'not_implemented'],
      [17, 'too_many_entries'],
    ]);
    expect(result.ineligible[2]!.reasons[0]!.message).toBe('每位申报人最多申报2项');
    expect(result.ineligible[0]!.reasons[0]!.message).toBe('与第11号作品重复（同一申报人、同一名称）');
  });
});

describe('rankFiveSmalls', () => {
  const config = {
    departments: [
      { id: 1, name: '工会' },
      { id: 2, name: '财务部', weights: { economic: 40, social: 20, safety: 20, management: 20 } },
      { id: 3, name: '安全环保部' },
    ],
  };

  it('scores per department (weighted), averages over departments and ranks with shared ranks (worked by hand)', () => {
    const entries = [entry(1), entry(2), entry(3), entry(4)];
    const scores = [
      // entry 1: dept 1 (80+70+90+60)/4 = 75; dept 2 32+14+18+12 = 76; dept 3 (90+80+70+80)/4 = 80 → 231/3 = 77
      ...dept(1, 1, [80, 70, 90, 60]),
      ...dept(2, 1, [80, 70, 90, 60]),
      ...dept(3, 1, [90, 80, 70, 80]),
      // entry 2: 77, 77, 77 → 77: shares rank 1 with entry 1
      ...dept(1, 2, [77, 77, 77, 77]),
      ...dept(2, 2, [77, 77, 77, 77]),
      ...dept(3, 2, [77, 77, 77, 77]),
      // entry 3: dept 1 (90+85+80+70)/4 = 81.25; dept 2 36+17+16+14 = 83; dept 3 (60+61+62+62)/4 = 61.25 → 225.5/3 = 75.1666… → 75.17
      ...dept(1, 3, [90, 85, 80, 70]),
      ...dept(2, 3, [90, 85, 80, 70]),
      ...dept(3, 3, [60, 61, 62, 62]),
      // entry 4: no safety department score yet → not ranked
      ...dept(1, 4, [99, 99, 99, 99]),
      ...dept(2, 4, [99, 99, 99, 99]),
      // a screened-out entry's scores are ignored
      ...dept(1, 99, [1, 1, 1, 1]),
    ];
    const rows = rankFiveSmalls(entries, scores, config);
    expect(rows.map((r) => [r.entryId, r.departments.map((d) => d.score), r.combined, r.rank, r.sharedRank])).toEqual([
      [1, [75, 76, 80], 77, 1, true],
      [2, [77, 77, 77], 77, 1, true],
      [3, [81.25, 83, 61.25], 75.17, 3, false],
      [4, [99, 99, null], null, null, false],
    ]);
    // averaging over the departments that did score
    const lenient = rankFiveSmalls(entries, scores, { ...config, requireAllDepartments: false });
    expect(lenient[0]).toMatchObject({ entryId: 4, combined: 99, rank: 1 });
  });

  it('a department’s sheet missing a weighted criterion does not count; a criterion weighted 0 is not needed', () => {
    const rows = rankFiveSmalls(
      [entry(1)],
      [...dept(1, 1, [80, 80, 80]), ...dept(2, 1, [60, 70, 80])],
      { departments: [{ id: 1 }, { id: 2, weights: { economic: 1, social: 1, safety: 2, management: 0 } }], requireAllDepartments: false },
    );
    // dept 1 lacks management; dept 2 (60 + 70 + 160) / 4 = 72.5
    expect(rows[0]!.departments).toEqual([
      { departmentId: 1, score: null },
      { departmentId: 2, score: 72.5 },
    ]);
    expect(rows[0]!.combined).toBe(72.5);
  });

  it('refuses points out of range and unknown departments', () => {
    expect(() => rankFiveSmalls([entry(1)], dept(1, 1, [101, 0, 0, 0]), config)).toThrow(RangeError);
    expect(() => rankFiveSmalls([entry(1)], dept(9, 1, [1, 1, 1, 1]), config)).toThrow(/department 9/);
  });
});

describe('awardTiers', () => {
  it('Fushun: 368 entries, 8 / 15 / 22 awarded (45, about 12 %)', () => {
    const result = awardTiers(distinctRanking(368), { ...fushunFiveSmallsTiers, prizeMoney: [3000, 2000, 1000] });
    expect(result.tiers.map((t) => [t.tier, t.planned, t.awarded, t.totalYuan])).toEqual([
      [1, 8, 8, 24_000],
      [2, 15, 15, 30_000],
      [3, 22, 22, 22_000],
    ]);
    expect(result.awarded).toBe(45);
    expect(Math.round((result.awarded / 368) * 1000) / 10).toBe(12.2);
    expect(result.totalPrizeYuan).toBe(76_000);
    expect(result.rows[7]).toEqual({ entryId: 8, rank: 8, tier: 1, prizeYuan: 3000 });
    expect(result.rows[8]).toEqual({ entryId: 9, rank: 9, tier: 2, prizeYuan: 2000 });
    expect(result.rows[44]!.tier).toBe(3);
    expect(result.rows[45]).toEqual({ entryId: 46, rank: 46, tier: null, prizeYuan: null });
  });

  describe('a tie at the first-prize boundary (places 8 and 9 share rank 8)', () => {
    const ranking = distinctRanking(368).map((r) => (r.entryId === 9 ? { ...r, rank: 8 } : r));

    it('include: both take first prize and second prize has one place fewer', () => {
      const result = awardTiers(ranking, { counts: [8, 15, 22], ties: 'include' });
      expect(result.tiers.map((t) => t.awarded)).toEqual([9, 14, 22]);
      expect(result.rows.filter((r) => r.rank === 8).map((r) => r.tier)).toEqual([1, 1]);
      expect(result.rows.find((r) => r.entryId === 23)!.tier).toBe(2);
      expect(result.rows.find((r) => r.entryId === 24)!.tier).toBe(3);
      expect(result.awarded).toBe(45);
    });

    it('exclude: neither takes first prize (7 awarded), both take second prize, no tier exceeds its count', () => {
      const result = awardTiers(ranking, { counts: [8, 15, 22], ties: 'exclude' });
      expect(result.tiers.map((t) => t.awarded)).toEqual([7, 15, 22]);
      expect(result.rows.filter((r) => r.rank === 8).map((r) => r.tier)).toEqual([2, 2]);
      expect(result.rows.find((r) => r.entryId === 22)!.tier).toBe(2);
      expect(result.rows.find((r) => r.entryId === 23)!.tier).toBe(3);
      expect(result.rows.find((r) => r.entryId === 44)!.tier).toBe(3);
      expect(result.rows.find((r) => r.entryId === 45)!.tier).toBeNull();
      expect(result.awarded).toBe(44);
    });
  });

  it('a tie at the last boundary: include awards one more than planned, exclude leaves the place empty', () => {
    const ranking = distinctRanking(368).map((r) => (r.entryId === 46 ? { ...r, rank: 45 } : r));
    expect(awardTiers(ranking, { counts: [8, 15, 22] }).tiers.map((t) => t.awarded)).toEqual([8, 15, 23]);
    const excluded = awardTiers(ranking, { counts: [8, 15, 22], ties: 'exclude' });
    expect(excluded.tiers.map((t) => t.awarded)).toEqual([8, 15, 21]);
    expect(excluded.rows.filter((r) => r.rank === 45).map((r) => r.tier)).toEqual([null, null]);
  });

  it('exclude: a tied group larger than a whole tier drops to the next one', () => {
    const ranking = [
      { entryId: 1, rank: 1 },
      { entryId: 2, rank: 1 },
      { entryId: 3, rank: 3 },
      { entryId: 4, rank: 4 },
    ];
    const result = awardTiers(ranking, { counts: [1, 2, 3], ties: 'exclude' });
    expect(result.rows.map((r) => r.tier)).toEqual([2, 2, 3, 3]);
  });

  it('unranked rows get nothing; the order of the input does not matter', () => {
    const ranking = [
      { entryId: 3, rank: null },
      { entryId: 2, rank: 2 },
      { entryId: 1, rank: 1 },
    ];
    const result = awardTiers(ranking, { counts: [1, 5] });
    expect(result.rows).toEqual([
      { entryId: 1, rank: 1, tier: 1, prizeYuan: null },
      { entryId: 2, rank: 2, tier: 2, prizeYuan: null },
      { entryId: 3, rank: null, tier: null, prizeYuan: null },
    ]);
    expect(result.totalPrizeYuan).toBeNull();
  });

  it('works with the ranking of rankFiveSmalls', () => {
    const rows = rankFiveSmalls([entry(1), entry(2)], [...dept(1, 1, [90, 90, 90, 90]), ...dept(1, 2, [80, 80, 80, 80])], { departments: [{ id: 1 }] });
    expect(awardTiers(rows, { counts: [1, 1] }).rows.map((r) => [r.entryId, r.tier])).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it('refuses bad counts and mismatched prize money', () => {
    expect(() => awardTiers([], { counts: [1.5] })).toThrow(RangeError);
    expect(() => awardTiers([], { counts: [1, 2], prizeMoney: [100] })).toThrow(RangeError);
    expect(awardTiersConfigSchema.safeParse({ counts: [1, 2], prizeMoney: [100] }).success).toBe(false);
  });

  it('tier counts from shares of entrants (10 % / 20 % / 30 %), rounded down', () => {
    expect(tierCountsFromShares(368, [0.1, 0.2, 0.3])).toEqual([36, 73, 110]);
    expect(tierCountsFromShares(30, [0.1, 0.2, 0.3])).toEqual([3, 6, 9]);
  });
});
