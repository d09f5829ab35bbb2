import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PRIZE_RULE,
  PRESET_TITLE_TYPES,
  PRIZE_RULE_PRESETS,
  TITLE_RULE_PRESETS,
  prizeRuleSchema,
  titleRuleSchema,
  titleRuleSetSchema,
} from '../../../server/contracts/awards.ts';

const messages = (result: { success: boolean; error?: { issues: { message: string }[] } }) => result.error?.issues.map((i) => i.message) ?? [];

describe('award contracts', () => {
  it('keeps every preset valid and stable under parsing', () => {
    for (const preset of Object.values(PRIZE_RULE_PRESETS)) expect(prizeRuleSchema.parse(preset)).toEqual(preset);
    for (const set of Object.values(TITLE_RULE_PRESETS)) expect(titleRuleSetSchema.parse(set)).toEqual(set);
    expect(DEFAULT_PRIZE_RULE).toBe(PRIZE_RULE_PRESETS.national_2012_shares);
  });

  it('has the stable preset keys and rule ids proposals refer to', () => {
    expect(Object.keys(TITLE_RULE_PRESETS)).toEqual(['feixi_b_level', 'anhui_2023', 'tianjin_2024', 'national_skills']);
    expect(Object.values(TITLE_RULE_PRESETS).flatMap((s) => s.rules.map((r) => r.id))).toEqual([
      'feixi_b_top3_technical_expert',
      'feixi_b_top3_city_recommendation',
      'feixi_b_winner_skill_master',
      'feixi_b_winner_outstanding_craftsman',
      'anhui_2023_class1_technical_expert',
      'anhui_2023_class2_technical_expert',
      'anhui_2023_class1_top20_technician',
      'anhui_2023_class1_top40_senior_worker',
      'tianjin_2024_top30_intermediate',
      'national_top5_technical_expert',
      'national_merit_technician',
    ]);
    // Every title a preset names is a known title type.
    for (const set of Object.values(TITLE_RULE_PRESETS))
      for (const rule of set.rules)
        for (const action of rule.then) if (action.kind !== 'promotion') expect(PRESET_TITLE_TYPES).toHaveProperty(action.titleKey);
  });

  it('fills prize defaults: per-winner money 0, cumulative rounding, ties included', () => {
    expect(prizeRuleSchema.parse({ basis: 'share', tiers: [{ label: '一等奖', percent: 15 }] })).toEqual({
      basis: 'share',
      tiers: [{ label: '一等奖', percent: 15, moneyYuan: 0 }],
      rounding: 'cumulative',
      ties: 'include',
    });
  });

  it('rejects shares above 100 %, negative counts and unknown tie rules', () => {
    const over = prizeRuleSchema.safeParse({ basis: 'share', tiers: [{ label: 'a', percent: 60 }, { label: 'b', percent: 50 }] });
    expect(messages(over)).toEqual(['the shares add up to 110 %, more than 100 %']);
    expect(prizeRuleSchema.safeParse({ basis: 'count', tiers: [{ label: 'a', count: -1 }] }).success).toBe(false);
    expect(prizeRuleSchema.safeParse({ basis: 'count', tiers: [{ label: 'a', count: 1 }], ties: 'random' }).success).toBe(false);
    expect(prizeRuleSchema.safeParse({ basis: 'count', tiers: [] }).success).toBe(false);
  });

  it('rejects rules that cannot mean anything', () => {
    const base = { id: 'r', name: 'r', then: [{ kind: 'title', titleKey: 't', titleName: 'T', titleLevel: 'county' }] };
    const rule = (when: object, then: object[] = base.then) => titleRuleSchema.safeParse({ ...base, when, then });
    expect(messages(rule({ place: { kind: 'rank', from: 3, to: 1 } }))).toEqual(['from must not be after to']);
    expect(messages(rule({ place: { kind: 'share', abovePercent: 40, upToPercent: 20 } }))).toEqual(['abovePercent must be below upToPercent']);
    expect(messages(rule({ place: { kind: 'by_finalists', bands: [{ upToFinalists: 30, places: 2 }, { upToFinalists: 10, places: 1 }] } }))).toEqual(['bands must grow']);
    expect(messages(rule({ place: { kind: 'by_finalists', bands: [{ upToFinalists: null, places: 2 }, { upToFinalists: 10, places: 1 }] } }))).toEqual([
      'only the last band can be open-ended',
    ]);
    expect(messages(rule({ place: { kind: 'rank', to: 3 }, level: { orAbove: 2, orBelow: 3 } }))).toEqual(['no level is both that high and that low']);
    expect(rule({ place: { kind: 'rank', to: 3 }, level: { orAbove: 3, orBelow: 2 } }).success).toBe(true); // 技师 or 高级工
    expect(messages(rule({ place: { kind: 'rank', to: 3 } }, [{ kind: 'promotion', to: 3, already: [{ from: 3, to: 4 }] }]))).toEqual([
      'a promotion must go up a grade (to a smaller level number)',
    ]);
    expect(rule({ place: { kind: 'rank', to: 3 } }, [{ kind: 'promotion', to: 0 }]).success).toBe(false); // no promotion above 高级技师
    expect(titleRuleSchema.safeParse({ ...base, id: 'Bad Id', when: { place: { kind: 'rank', to: 1 } } }).success).toBe(false);
  });

  it('rejects a rule set that uses a rule id twice', () => {
    const rule = { id: 'same', name: 'x', when: { place: { kind: 'rank', to: 1 } }, then: [{ kind: 'promotion', to: 'one_up' }] };
    expect(messages(titleRuleSetSchema.safeParse({ key: 'set', name: 'set', rules: [rule, rule] }))).toEqual(['rule id same is used twice']);
  });
});
