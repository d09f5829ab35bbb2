import { describe, expect, it } from 'vitest';
import {
  ANHUI_2023_RULES,
  FEIXI_B_LEVEL_RULES,
  NATIONAL_SKILLS_RULES,
  TIANJIN_2024_RULES,
  nationalSkillsRules,
  titleRuleSchema,
} from '../../../server/contracts/awards.ts';
import type { TitleRule, TitleRuleInput } from '../../../server/contracts/awards.ts';
import { proposeAwards } from '../../../server/domain/awards/index.ts';
import type { AwardCandidate, AwardContext, AwardOutcome } from '../../../server/domain/awards/index.ts';

/**
 * A final of `ranks.length` finalists: entry i + 1 has ranks[i], person 100 + i + 1, no level,
 * no titles, not promoted this year, unless `people` says otherwise (by entry id).
 */
function final(ranks: readonly (number | null)[], people: Record<number, Partial<AwardCandidate>> = {}): AwardCandidate[] {
  return ranks.map((rank, i) => ({
    entryId: i + 1,
    personId: 101 + i,
    rank,
    currentLevel: null,
    titles: [],
    promotedThisYear: false,
    ...people[i + 1],
  }));
}
const places = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

function context(competition: Partial<AwardContext['competition']>, rows: AwardCandidate[], event: AwardContext['event'] = {}): AwardContext {
  return { competition: { grade: 'B', competitionClass: null, year: 2024, ...competition }, event, rows };
}

/** [entry id, what] per proposal: a title key, "→key" for a recommendation, "L3→2" for a promotion. */
function summary(outcome: AwardOutcome): [number, string][] {
  return outcome.proposals.map((p) => [
    p.entryId,
    p.kind === 'title' ? p.titleKey : p.kind === 'recommendation' ? `→${p.titleKey}` : `L${p.fromLevel ?? '-'}→${p.toLevel}`,
  ]);
}
const skips = (outcome: AwardOutcome) => outcome.skipped.map((s) => [s.entryId, s.ruleId, s.code]);

describe('Feixi B level (肥西县)', () => {
  const b = { grade: 'B' as const };

  it('names the top three county technical experts, recommends them for the city titles, and the winner skill master from 中级工', () => {
    // 28 finalists; the winner is 中级工 (level 4), 2nd is 技师.
    const outcome = proposeAwards(context(b, final(places(28), { 1: { currentLevel: 4 }, 2: { currentLevel: 2 } })), FEIXI_B_LEVEL_RULES);
    expect(summary(outcome)).toEqual([
      [1, 'feixi_technical_expert'],
      [1, '→hefei_craftsman'],
      [1, '→hefei_may_day_medal'],
      [1, 'feixi_skill_master'],
      [2, 'feixi_technical_expert'],
      [2, '→hefei_craftsman'],
      [2, '→hefei_may_day_medal'],
      [3, 'feixi_technical_expert'],
      [3, '→hefei_craftsman'],
      [3, '→hefei_may_day_medal'],
    ]);
    const expert = outcome.proposals[0]!;
    expect(expert).toMatchObject({ ruleId: 'feixi_b_top3_technical_expert', kind: 'title', titleName: '肥西县技术能手', titleLevel: 'county', personId: 101 });
    expect(expert.reason).toBe('第1名（共28名决赛选手），符合肥西县B级竞赛前三名条件，拟授予“肥西县技术能手”称号（前三名可直接命名为肥西县技术能手，或推荐参评合肥市级称号）');
    expect(outcome.proposals[1]!.reason).toContain('推荐参评市级称号“合肥工匠”');
    expect(outcome.proposals[3]!.reason).toBe('第1名（共28名决赛选手），现为四级/中级工，符合肥西县B级竞赛第一名且具有中级工及以上等级条件，拟授予“肥西技能大师”称号');
  });

  it('puts a winner at 技师 or above first in line for 肥西杰出工匠, besides skill master', () => {
    for (const level of [2, 1]) {
      const outcome = proposeAwards(context(b, final(places(15), { 1: { currentLevel: level } })), FEIXI_B_LEVEL_RULES);
      const first = outcome.proposals.filter((p) => p.entryId === 1);
      expect(first.map((p) => p.ruleId)).toContain('feixi_b_winner_skill_master');
      const craftsman = first.find((p) => p.ruleId === 'feixi_b_winner_outstanding_craftsman');
      expect(craftsman).toMatchObject({ kind: 'recommendation', titleKey: 'feixi_outstanding_craftsman', firstInLine: true });
      expect(craftsman!.reason).toContain('优先推荐参评县级称号“肥西杰出工匠”');
    }
  });

  it('checks the level conditions: 高级工 is skill master but not outstanding craftsman; 初级工 or no level is neither', () => {
    const ruleIds = (level: number | null) =>
      proposeAwards(context(b, final(places(12), { 1: { currentLevel: level } })), FEIXI_B_LEVEL_RULES)
        .proposals.filter((p) => p.entryId === 1)
        .map((p) => p.ruleId);
    expect(ruleIds(3)).toContain('feixi_b_winner_skill_master');
    expect(ruleIds(3)).not.toContain('feixi_b_winner_outstanding_craftsman');
    expect(ruleIds(4)).toContain('feixi_b_winner_skill_master');
    for (const level of [5, null]) {
      expect(ruleIds(level)).not.toContain('feixi_b_winner_skill_master');
      expect(ruleIds(level)).not.toContain('feixi_b_winner_outstanding_craftsman');
    }
    // 2nd place at 技师 is not the winner.
    const second = proposeAwards(context(b, final(places(12), { 2: { currentLevel: 2 } })), FEIXI_B_LEVEL_RULES).proposals.filter((p) => p.entryId === 2);
    expect(second.map((p) => p.ruleId)).not.toContain('feixi_b_winner_outstanding_craftsman');
  });

  it('treats two entrants sharing 3rd alike (both in the top three) and the next one (5th) as out', () => {
    const outcome = proposeAwards(context(b, final([1, 2, 3, 3, 5, 6])), FEIXI_B_LEVEL_RULES);
    const experts = outcome.proposals.filter((p) => p.kind === 'title' && p.titleKey === 'feixi_technical_expert').map((p) => p.entryId);
    expect(experts).toEqual([1, 2, 3, 4]);
    expect(outcome.proposals.find((p) => p.entryId === 4)!.reason).toMatch(/^并列第3名（共6名决赛选手）/);
    expect(outcome.proposals.some((p) => p.entryId === 5)).toBe(false);
  });

  it('never proposes a title the person already holds, and says so', () => {
    const outcome = proposeAwards(
      context(b, final(places(20), { 1: { titles: ['feixi_technical_expert', 'hefei_craftsman'], currentLevel: 4 } })),
      FEIXI_B_LEVEL_RULES,
    );
    expect(summary(outcome).filter(([id]) => id === 1)).toEqual([
      [1, '→hefei_may_day_medal'],
      [1, 'feixi_skill_master'],
    ]);
    expect(skips(outcome)).toEqual([
      [1, 'feixi_b_top3_technical_expert', 'already_holds_title'],
      [1, 'feixi_b_top3_city_recommendation', 'already_holds_title'],
    ]);
    expect(outcome.skipped[0]!.reason).toBe('第1名（共20名决赛选手），符合肥西县B级竞赛前三名条件，但已获得“肥西县技术能手”称号，不重复授予');
  });

  it('does not apply to C-level (or A-level) competitions', () => {
    for (const grade of ['A', 'C'] as const) expect(proposeAwards(context({ grade }, final(places(20))), FEIXI_B_LEVEL_RULES).proposals).toEqual([]);
  });

  it('skips absent and disqualified entrants and flags provisional results', () => {
    const rows = final([1, 2, 3, 4], { 3: { provisional: true } });
    rows.push({ entryId: 9, personId: 109, rank: null, status: 'absent', currentLevel: 1, titles: [], promotedThisYear: false });
    rows.push({ entryId: 10, personId: 110, rank: 1, status: 'disqualified', currentLevel: 1, titles: [], promotedThisYear: false });
    const outcome = proposeAwards(context(b, rows), FEIXI_B_LEVEL_RULES);
    expect(outcome.finalists).toBe(4);
    expect(outcome.proposals.some((p) => p.entryId >= 9)).toBe(false);
    const third = outcome.proposals.filter((p) => p.entryId === 3);
    expect(third.every((p) => p.provisional && p.reason.endsWith('（成绩尚未最终确定）'))).toBe(true);
    expect(outcome.provisional).toBe(true);
  });
});

describe('Anhui 2023 (安徽省)', () => {
  const class1 = { grade: 'A' as const, competitionClass: 'class1' as const, year: 2023 };
  const class2 = { grade: 'A' as const, competitionClass: 'class2' as const, year: 2023 };
  const experts = (outcome: AwardOutcome) => outcome.proposals.filter((p) => p.kind === 'title').map((p) => p.entryId);

  it('scales class-one technical experts by the final’s size: 10 → 1st, 11 → top 2, 30 → top 2, 31 → top 3', () => {
    expect(experts(proposeAwards(context(class1, final(places(10))), ANHUI_2023_RULES))).toEqual([1]);
    expect(experts(proposeAwards(context(class1, final(places(11))), ANHUI_2023_RULES))).toEqual([1, 2]);
    expect(experts(proposeAwards(context(class1, final(places(30))), ANHUI_2023_RULES))).toEqual([1, 2]);
    expect(experts(proposeAwards(context(class1, final(places(31))), ANHUI_2023_RULES))).toEqual([1, 2, 3]);
    expect(experts(proposeAwards(context(class1, final(places(200))), ANHUI_2023_RULES))).toEqual([1, 2, 3]);
  });

  it('writes the reason the way the approval sheet reads', () => {
    const outcome = proposeAwards(context(class1, final(places(28))), ANHUI_2023_RULES);
    const second = outcome.proposals.find((p) => p.entryId === 2 && p.kind === 'title')!;
    expect(second).toMatchObject({ ruleId: 'anhui_2023_class1_technical_expert', titleKey: 'anhui_technical_expert', titleLevel: 'province' });
    expect(second.reason).toBe('第2名（共28名决赛选手），符合安徽省一类竞赛技术能手条件，拟授予“安徽省技术能手”称号');
  });

  it('includes both entrants sharing the last qualifying place', () => {
    // 11 finalists (top 2), two share 2nd.
    expect(experts(proposeAwards(context(class1, final([1, 2, 2, 4, 5, 6, 7, 8, 9, 10, 11])), ANHUI_2023_RULES))).toEqual([1, 2, 3]);
  });

  it('names only the winner of a class-two event, whatever its size, and proposes no promotion there', () => {
    for (const n of [8, 40]) {
      const outcome = proposeAwards(context(class2, final(places(n))), ANHUI_2023_RULES);
      expect(summary(outcome)).toEqual([[1, 'anhui_technical_expert']]);
    }
  });

  it('promotes the top 20 % to 技师 (技师 → 高级技师) and the next 20 % to 高级工 (高级工 → 技师)', () => {
    // 28 finalists: 20 % = 5.6 → 6 places, 40 % = 11.2 → 11.
    const rows = final(places(28), {
      1: { currentLevel: 3 },
      2: { currentLevel: 3, promotedThisYear: true },
      3: { currentLevel: 2 },
      4: { currentLevel: 1 },
      5: { currentLevel: 5 },
      6: { currentLevel: null },
      7: { currentLevel: 4 },
      8: { currentLevel: 3 },
      9: { currentLevel: 2 },
      11: { currentLevel: 5 },
      12: { currentLevel: 5 },
    });
    const outcome = proposeAwards(context(class1, rows), ANHUI_2023_RULES);
    expect(summary(outcome).filter(([, what]) => what.startsWith('L'))).toEqual([
      [1, 'L3→2'],
      [3, 'L2→1'],
      [5, 'L5→2'],
      [6, 'L-→2'],
      [7, 'L4→3'],
      [8, 'L3→2'],
      [10, 'L-→3'],
      [11, 'L5→3'],
    ]);
    expect(skips(outcome)).toEqual([
      [2, 'anhui_2023_class1_top20_technician', 'promoted_this_year'],
      [4, 'anhui_2023_class1_top20_technician', 'at_highest_level'],
      [9, 'anhui_2023_class1_top40_senior_worker', 'at_or_above_target'],
    ]);
    const seventh = outcome.proposals.find((p) => p.entryId === 7)!;
    expect(seventh.reason).toBe('第7名（共28名决赛选手，前20%至40%为第7至11名），符合安徽省一类竞赛决赛前21%至40%条件，拟晋升为三级/高级工（现为四级/中级工）');
    expect(outcome.proposals.find((p) => p.entryId === 1 && p.kind === 'promotion')!.reason).toBe(
      '第1名（共28名决赛选手，前20%为前6名），符合安徽省一类竞赛决赛前20%条件，拟晋升为二级/技师（现为三级/高级工）',
    );
    expect(outcome.skipped[0]!.reason).toContain('本年度已通过竞赛晋升过职业技能等级');
  });

  it('keeps entrants sharing a rank at the 20 % cut together in the higher band', () => {
    // 28 finalists, 6th shared by two: both are within the top 20 % (rank 6 ≤ 6), the next is 8th.
    const ranks = [1, 2, 3, 4, 5, 6, 6, ...places(21).map((i) => i + 7)];
    const outcome = proposeAwards(context(class1, final(ranks, { 6: { currentLevel: 4 }, 7: { currentLevel: 4 }, 8: { currentLevel: 4 } })), ANHUI_2023_RULES);
    const promotion = (id: number) => outcome.proposals.find((p) => p.entryId === id && p.kind === 'promotion');
    expect(promotion(6)).toMatchObject({ toLevel: 2, sharedRank: true });
    expect(promotion(7)).toMatchObject({ toLevel: 2, sharedRank: true });
    expect(promotion(8)).toMatchObject({ rank: 8, toLevel: 3 });
  });
});

describe('an event without an occupation (not a trade)', () => {
  it('proposes the titles but no promotion, saying why for each person a promotion rule selects', () => {
    const class1 = { grade: 'A' as const, competitionClass: 'class1' as const, year: 2023 };
    const rows = final(places(28), { 1: { currentLevel: 3 }, 7: { currentLevel: 4 } });
    const withCode = proposeAwards(context(class1, rows, { occupationCode: '6-31-01-03' }), ANHUI_2023_RULES);
    const without = proposeAwards(context(class1, rows, { occupationCode: null }), ANHUI_2023_RULES);
    expect(withCode.proposals.some((p) => p.kind === 'promotion')).toBe(true);
    expect(without.proposals.filter((p) => p.kind === 'promotion')).toEqual([]);
    // The titles are the same either way.
    const titles = (o: AwardOutcome) => o.proposals.filter((p) => p.kind !== 'promotion');
    expect(titles(without)).toEqual(titles(withCode));
    const promotedBefore = withCode.proposals.filter((p) => p.kind === 'promotion').map((p) => p.entryId);
    const noOccupation = without.skipped.filter((x) => x.code === 'no_occupation');
    expect(noOccupation.map((x) => x.entryId)).toEqual(expect.arrayContaining(promotedBefore));
    expect(noOccupation[0]!.reason).toContain('不适用以赛晋级');
  });
});

describe('Tianjin 2024 (天津市)', () => {
  const enterprise = { grade: 'C' as const, year: 2024 };

  it('promotes the top 30 % of workers to 中级工 (中级工 → 高级工)', () => {
    // 20 finalists: 30 % = 6 places.
    const rows = final(places(20), {
      1: { currentLevel: 5 },
      2: { currentLevel: 4 },
      3: { currentLevel: 3 },
      4: { currentLevel: null },
      5: { currentLevel: 5, promotedThisYear: true },
      7: { currentLevel: 5 },
    });
    const outcome = proposeAwards(context(enterprise, rows), TIANJIN_2024_RULES);
    expect(summary(outcome)).toEqual([
      [1, 'L5→4'],
      [2, 'L4→3'],
      [4, 'L-→4'],
      [6, 'L-→4'],
    ]);
    expect(skips(outcome)).toEqual([
      [3, 'tianjin_2024_top30_intermediate', 'at_or_above_target'],
      [5, 'tianjin_2024_top30_intermediate', 'promoted_this_year'],
    ]);
    expect(outcome.skipped[0]!.reason).toContain('现为三级/高级工，已达到或高于晋升目标四级/中级工');
  });

  it('does not apply to a students’ group', () => {
    expect(proposeAwards(context(enterprise, final(places(20)), { entrantGroup: 'students' }), TIANJIN_2024_RULES).proposals).toEqual([]);
  });

  it('proposes at most one promotion per person when several rules apply: the highest', () => {
    // A class-one workers' competition under both Anhui and Tianjin rules: the winner (初级工)
    // qualifies for 技师 (Anhui top 20 %) and 中级工 (Tianjin top 30 %).
    const rules = [...TIANJIN_2024_RULES.rules, ...ANHUI_2023_RULES.rules];
    const outcome = proposeAwards(context({ grade: 'A', competitionClass: 'class1' }, final(places(20), { 1: { currentLevel: 5 } })), rules);
    const first = outcome.proposals.filter((p) => p.entryId === 1 && p.kind === 'promotion');
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ ruleId: 'anhui_2023_class1_top20_technician', toLevel: 2 });
    const skipped = outcome.skipped.find((s) => s.entryId === 1)!;
    expect(skipped).toMatchObject({ ruleId: 'tianjin_2024_top30_intermediate', code: 'one_promotion_per_year' });
    expect(skipped.reason).toBe(
      '第1名（共20名决赛选手，前30%为前6名），符合天津市企业职业技能竞赛职工组前30%条件，但本次已按规则anhui_2023_class1_top20_technician建议晋升为二级/技师（每人每年至多晋升一次）',
    );
    // Nobody gets two promotions.
    const promoted = outcome.proposals.filter((p) => p.kind === 'promotion').map((p) => p.personId);
    expect(new Set(promoted).size).toBe(promoted.length);
  });
});

describe('national skills competition', () => {
  const national = { grade: 'A' as const, competitionClass: null, year: 2024 };

  it('names the top 5 全国技术能手 and promotes merit (top 30 %) to 技师, technicians to 高级技师', () => {
    // 40 finalists: 30 % = 12 places.
    const rows = final(places(40), { 1: { currentLevel: 2 }, 2: { currentLevel: 3 }, 12: { currentLevel: 4 }, 13: { currentLevel: 4 } });
    const outcome = proposeAwards(context(national, rows), NATIONAL_SKILLS_RULES);
    expect(outcome.proposals.filter((p) => p.kind === 'title').map((p) => p.entryId)).toEqual([1, 2, 3, 4, 5]);
    expect(outcome.proposals.find((p) => p.kind === 'title')).toMatchObject({ titleName: '全国技术能手', titleLevel: 'national' });
    const promotions = outcome.proposals.filter((p) => p.kind === 'promotion');
    expect(promotions).toHaveLength(12);
    expect(summary({ ...outcome, proposals: promotions }).filter(([id]) => [1, 2, 12].includes(id))).toEqual([
      [1, 'L2→1'],
      [2, 'L3→2'],
      [12, 'L4→2'],
    ]);
    expect(promotions.some((p) => p.entryId === 13)).toBe(false);
  });

  it('takes the merit share as a setting', () => {
    const outcome = proposeAwards(context(national, final(places(40))), nationalSkillsRules(50));
    expect(outcome.proposals.filter((p) => p.kind === 'promotion')).toHaveLength(20);
  });

  it('only applies to A-level competitions', () => {
    expect(proposeAwards(context({ grade: 'B' }, final(places(40))), NATIONAL_SKILLS_RULES).proposals).toEqual([]);
  });
});

describe('rule conditions and constraints', () => {
  const custom = (input: TitleRuleInput): TitleRule => titleRuleSchema.parse(input);

  it('promotes one grade up, never past 高级技师, and needs a current level for that', () => {
    const rule = custom({ id: 'one_up', name: '前四名晋升一级', when: { place: { kind: 'rank', to: 4 } }, then: [{ kind: 'promotion', to: 'one_up' }] });
    const outcome = proposeAwards(context({}, final(places(10), { 1: { currentLevel: 2 }, 2: { currentLevel: 1 }, 3: { currentLevel: null }, 4: { currentLevel: 0 } })), [rule]);
    expect(summary(outcome)).toEqual([[1, 'L2→1']]);
    expect(skips(outcome)).toEqual([
      [2, 'one_up', 'at_highest_level'],
      [3, 'one_up', 'no_level'],
      [4, 'one_up', 'at_highest_level'],
    ]);
    expect(outcome.skipped[2]!.reason).toContain('现为特级技师');
  });

  it('does not propose the same title twice in one evaluation', () => {
    const rule = (id: string) => custom({ id, name: id, when: { place: { kind: 'rank', to: 1 } }, then: [{ kind: 'title', titleKey: 'x_expert', titleName: 'X能手', titleLevel: 'city' }] });
    const outcome = proposeAwards(context({}, final(places(5))), [rule('a'), rule('b')]);
    expect(outcome.proposals.map((p) => p.ruleId)).toEqual(['a']);
    expect(skips(outcome)).toEqual([[1, 'b', 'already_proposed']]);
  });

  it('filters on years, classes (null = unclassified), finalists and level at most', () => {
    const rule = custom({
      id: 'narrow',
      name: '限定条件',
      when: {
        years: { from: 2024, to: 2025 },
        classes: [null],
        finalists: { min: 30 },
        level: { orBelow: 4 },
        place: { kind: 'share', upToPercent: 10, rounding: 'floor' },
      },
      then: [{ kind: 'title', titleKey: 'y', titleName: 'Y', titleLevel: 'county' }],
    });
    const run = (competition: Partial<AwardContext['competition']>, n: number, people: Record<number, Partial<AwardCandidate>> = {}) =>
      proposeAwards(context(competition, final(places(n), people)), [rule]).proposals.map((p) => p.entryId);
    expect(run({}, 39)).toEqual([1, 2, 3]); // 3.9 → 3 (floor)
    expect(run({}, 29)).toEqual([]); // fewer than 30 finalists
    expect(run({ year: 2023 }, 39)).toEqual([]);
    expect(run({ competitionClass: 'class1' }, 39)).toEqual([]);
    expect(run({}, 39, { 1: { currentLevel: 3 }, 2: { currentLevel: 4 } })).toEqual([2, 3]); // 高级工 is above 中级工
  });

  it('counts the finalists the event states, not only the rows given', () => {
    const outcome = proposeAwards(context({ grade: 'A', competitionClass: 'class1' }, final(places(3)), { finalists: 31 }), ANHUI_2023_RULES);
    expect(outcome.proposals.filter((p) => p.kind === 'title').map((p) => p.entryId)).toEqual([1, 2, 3]);
    expect(() => proposeAwards(context({}, [], { finalists: -1 }), ANHUI_2023_RULES)).toThrow(RangeError);
  });

  it('does not depend on the order of the rows', () => {
    const rows = final(places(28), { 1: { currentLevel: 3 }, 5: { currentLevel: 2 } });
    const ctx = context({ grade: 'A', competitionClass: 'class1' }, rows);
    expect(proposeAwards({ ...ctx, rows: [...rows].reverse() }, ANHUI_2023_RULES)).toEqual(proposeAwards(ctx, ANHUI_2023_RULES));
  });
});
