import { z } from 'zod';

/**
 * What results lead to: prizes (一等奖/二等奖/三等奖), honour titles (荣誉称号), recommendations
 * to a higher body and skill-level promotions through competition (以赛晋级). Pure zod and rule
 * data, shared by the server, the domain functions (server/domain/awards) and the web editor.
 *
 * Provinces and cities differ, so every rule is data an organiser can edit, with presets taken
 * from the public notices in the domain brief. Where a notice leaves something open, the preset
 * says what was chosen and why.
 */

// Contracts stay independent of each other, so the few shared shapes are local copies.
const yuan = z.number().min(0).max(100_000_000);

/** 职业技能等级 1 = 一级/高级技师 (highest) … 5 = 五级/初级工 (lowest). */
const skillLevel = z.int().min(1).max(5);

// ---------------------------------------------------------------------------------------
// Prizes

/**
 * What happens when entrants sharing a rank straddle a prize boundary (some of their places
 * inside the tier, some after it):
 * - `include`: they all get the higher prize; the boundaries stay where the counts put them, so
 *   the next tier loses as many places and the total awarded stays the same (only a tie across
 *   the last boundary awards more than the planned total);
 * - `exclude`: they all get the lower prize (or none, at the last boundary); the next tier
 *   gains those places and the total stays the same (fewer are awarded after a tie across the
 *   last boundary);
 * - `expand`: they all get the higher prize and every later tier still awards its full count
 *   after them, so more prizes are awarded than planned.
 */
export const prizeTieRuleSchema = z.enum(['include', 'exclude', 'expand']).meta({ id: 'PrizeTieRule' });
export type PrizeTieRule = z.infer<typeof prizeTieRuleSchema>;

const prizeLabel = z.string().trim().min(1).max(20);

/**
 * A tier's minimum score (分数线, WorldSkills' medal line): no prize of the tier goes to an
 * entrant whose total is below it, whatever their place. Such an entrant falls to the next tier
 * whose line they meet, or gets none; the tier's places are not passed down (名额不顺延), so
 * every tier still awards at most its places and the prize money stays within its budget. See
 * allocatePrizes (server/domain/awards/prizes.ts). On the event's total (the scheme's scale);
 * applies to entries, not to the team ranking, whose values are sums or points.
 */
const minScore = z.number().min(0).max(1_000_000).describe('Minimum total for this tier (分数线); none when left out');

const shareTierSchema = z.object({
  label: prizeLabel,
  /** Share of the ranked entrants this tier alone gets (not cumulative): 10, 20, 30. */
  percent: z.number().gt(0).max(100),
  /** Paid to each winner of the tier. */
  moneyYuan: yuan.default(0),
  minScore: minScore.optional(),
});

const countTierSchema = z.object({
  label: prizeLabel,
  /** Places in this tier alone (not cumulative): 8, 15, 22. */
  count: z.int().min(0).max(100_000),
  moneyYuan: yuan.default(0),
  minScore: minScore.optional(),
});

/**
 * An event's prize tiers, best first, either by share of the ranked entrants (absent and
 * disqualified entries do not count) or by fixed counts.
 *
 * Shares are per tier, not cumulative: the 2012 national notice's 10 / 20 / 30 means 10 % first
 * prizes, the next 20 % second prizes and the next 30 % third prizes (60 % in all).
 * `rounding` turns shares into places (half-up in both cases):
 * - `cumulative` (default): each tier ends at round(entrants × the shares up to it), so the
 *   total is the rounded total share and per-tier half-ups never add up to extra prizes
 *   (5 entrants at 10/20/30: 1 / 1 / 1 instead of 1 / 1 / 2);
 * - `per_tier`: each tier's count is round(entrants × its share), as counted by hand on a
 *   notice; the total can exceed the rounded total share.
 * Either way there is at least one first prize when anyone is ranked.
 */
export const prizeRuleSchema = z
  .discriminatedUnion('basis', [
    z.object({
      basis: z.literal('share'),
      tiers: z.array(shareTierSchema).min(1).max(6),
      rounding: z.enum(['cumulative', 'per_tier']).default('cumulative'),
      ties: prizeTieRuleSchema.default('include'),
    }),
    z.object({
      basis: z.literal('count'),
      tiers: z.array(countTierSchema).min(1).max(6),
      ties: prizeTieRuleSchema.default('include'),
    }),
  ])
  .superRefine((rule, ctx) => {
    // A lower tier asking more than a higher one would send an entrant who misses the higher
    // line past the lower tier too: almost certainly a slip in the form.
    let line = Infinity;
    rule.tiers.forEach((t, k) => {
      if (t.minScore === undefined) return;
      if (t.minScore > line)
        ctx.addIssue({ code: 'custom', path: ['tiers', k, 'minScore'], message: 'a lower prize’s minimum score must not be above a higher prize’s' });
      line = Math.min(line, t.minScore);
    });
    if (rule.basis !== 'share') return;
    const total = rule.tiers.reduce((sum, t) => sum + t.percent, 0);
    // A little slack for decimal shares such as 33.3 + 33.3 + 33.4 adding up in binary.
    if (total > 100 + 1e-9) ctx.addIssue({ code: 'custom', path: ['tiers'], message: `the shares add up to ${total} %, more than 100 %` });
  })
  .meta({ id: 'PrizeRule' });
export type PrizeRule = z.infer<typeof prizeRuleSchema>;
export type PrizeRuleInput = z.input<typeof prizeRuleSchema>;
export type SharePrizeRule = Extract<PrizeRule, { basis: 'share' }>;
export type CountPrizeRule = Extract<PrizeRule, { basis: 'count' }>;

// Presets keep their precise kind, so `{ ...preset, rounding: 'per_tier' }` type-checks.
function sharePreset(input: Extract<PrizeRuleInput, { basis: 'share' }>): SharePrizeRule {
  return prizeRuleSchema.parse(input) as SharePrizeRule;
}
function countPreset(input: Extract<PrizeRuleInput, { basis: 'count' }>): CountPrizeRule {
  return prizeRuleSchema.parse(input) as CountPrizeRule;
}

/** Prize rule presets, by a stable key. */
export const PRIZE_RULE_PRESETS = {
  /** The 2012 national notice: 10 % first, the next 20 % second, the next 30 % third. */
  national_2012_shares: sharePreset({
    basis: 'share',
    tiers: [
      { label: '一等奖', percent: 10 },
      { label: '二等奖', percent: 20 },
      { label: '三等奖', percent: 30 },
    ],
  }),
  counts_1_2_3: countPreset({
    basis: 'count',
    tiers: [
      { label: '一等奖', count: 1 },
      { label: '二等奖', count: 2 },
      { label: '三等奖', count: 3 },
    ],
  }),
  counts_1_3_6: countPreset({
    basis: 'count',
    tiers: [
      { label: '一等奖', count: 1 },
      { label: '二等奖', count: 3 },
      { label: '三等奖', count: 6 },
    ],
  }),
  /** Hefei A-level cash (2019 city notice), on 1 / 2 / 3 places (the notice sets no counts). */
  hefei_a_level_1_2_3: countPreset({
    basis: 'count',
    tiers: [
      { label: '一等奖', count: 1, moneyYuan: 3000 },
      { label: '二等奖', count: 2, moneyYuan: 2000 },
      { label: '三等奖', count: 3, moneyYuan: 1000 },
    ],
  }),
  /** Fushun "five smalls": 8 / 15 / 22 of 368 entries. */
  fushun_five_smalls: countPreset({
    basis: 'count',
    tiers: [
      { label: '一等奖', count: 8 },
      { label: '二等奖', count: 15 },
      { label: '三等奖', count: 22 },
    ],
  }),
} as const satisfies Record<string, PrizeRule>;

/** What an event without its own prize rule uses. */
export const DEFAULT_PRIZE_RULE: PrizeRule = PRIZE_RULE_PRESETS.national_2012_shares;

// ---------------------------------------------------------------------------------------
// Titles, recommendations and promotions

export const competitionGradeSchema = z.enum(['A', 'B', 'C']).meta({ id: 'CompetitionGrade' });
export type CompetitionGrade = z.infer<typeof competitionGradeSchema>;

/** 一类 / 二类 competitions (where the HR bureau leads). */
export const competitionClassSchema = z.enum(['class1', 'class2']).meta({ id: 'CompetitionClass' });
export type CompetitionClass = z.infer<typeof competitionClassSchema>;

/** Workers' (职工组) or students' (学生组) group of an event. */
export const entrantGroupSchema = z.enum(['workers', 'students']).meta({ id: 'EntrantGroup' });
export type EntrantGroup = z.infer<typeof entrantGroupSchema>;

export const titleLevelSchema = z.enum(['county', 'city', 'province', 'national']).meta({ id: 'TitleLevel' });
export type TitleLevel = z.infer<typeof titleLevelSchema>;

/** A title type's key (title_types.key), stable across databases: `feixi_skill_master`. */
export const titleKeySchema = z.string().regex(/^[a-z0-9_]{1,60}$/, 'lower-case letters, digits or _').meta({ id: 'TitleKey' });

const ruleIdSchema = z.string().regex(/^[a-z0-9_]{1,80}$/, 'lower-case letters, digits or _');

/**
 * Which places qualify. Every kind compares ranks, so entrants sharing a rank are in or out
 * together: two entrants sharing 3rd both meet "places 1–3".
 * - `rank`: ranks `from`…`to`;
 * - `share`: ranks above round(finalists × abovePercent / 100) and at most
 *   round(finalists × upToPercent / 100): top 20 % is 0–20, "21–40 %" is 20–40. Rounding is
 *   half-up unless stated (28 finalists: 20 % = 5.6 → 6); there is no minimum of one, so a
 *   very small final can qualify nobody (2 finalists, top 20 % = 0.4 → 0);
 * - `by_finalists`: the first band whose `upToFinalists` is at least the number of finalists
 *   (null: no upper bound) says how many places qualify (Anhui: ≤10 → 1, 11–30 → 2, >30 → 3).
 */
export const placeConditionSchema = z
  .discriminatedUnion('kind', [
    z
      .object({ kind: z.literal('rank'), from: z.int().min(1).default(1), to: z.int().min(1) })
      .refine((c) => c.from <= c.to, { message: 'from must not be after to', path: ['to'] }),
    z
      .object({
        kind: z.literal('share'),
        abovePercent: z.number().min(0).max(100).default(0),
        upToPercent: z.number().gt(0).max(100),
        rounding: z.enum(['half_up', 'floor', 'ceil']).default('half_up'),
      })
      .refine((c) => c.abovePercent < c.upToPercent, { message: 'abovePercent must be below upToPercent', path: ['upToPercent'] }),
    z
      .object({
        kind: z.literal('by_finalists'),
        bands: z
          .array(z.object({ upToFinalists: z.int().min(1).nullable(), places: z.int().min(0) }))
          .min(1)
          .max(10),
      })
      .superRefine((c, ctx) => {
        c.bands.forEach((band, i) => {
          const previous = c.bands[i - 1];
          if (band.upToFinalists === null && i !== c.bands.length - 1)
            ctx.addIssue({ code: 'custom', path: ['bands', i, 'upToFinalists'], message: 'only the last band can be open-ended' });
          if (previous && previous.upToFinalists !== null && band.upToFinalists !== null && band.upToFinalists <= previous.upToFinalists)
            ctx.addIssue({ code: 'custom', path: ['bands', i, 'upToFinalists'], message: 'bands must grow' });
        });
      }),
  ])
  .meta({ id: 'PlaceCondition' });
export type PlaceCondition = z.infer<typeof placeConditionSchema>;

/**
 * When a rule applies. Every field but `place` is optional; an absent field does not restrict.
 * `classes` may list null for competitions without a class. `level` is the person's certified
 * level: `orAbove` 4 means 中级工 or a higher grade (numerically ≤ 4; a person without a level
 * fails it), `orBelow` 3 means 高级工 or a lower grade (numerically ≥ 3; a person without a level
 * meets it).
 */
export const titleConditionSchema = z
  .object({
    grades: z.array(competitionGradeSchema).min(1).optional(),
    classes: z.array(competitionClassSchema.nullable()).min(1).optional(),
    years: z.object({ from: z.int().min(2000).max(2100).optional(), to: z.int().min(2000).max(2100).optional() }).optional(),
    entrantGroups: z.array(entrantGroupSchema).min(1).optional(),
    finalists: z.object({ min: z.int().min(0).optional(), max: z.int().min(0).optional() }).optional(),
    place: placeConditionSchema,
    level: z.object({ orAbove: skillLevel.optional(), orBelow: skillLevel.optional() }).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.level?.orAbove !== undefined && c.level.orBelow !== undefined && c.level.orBelow > c.level.orAbove)
      ctx.addIssue({ code: 'custom', path: ['level'], message: 'no level is both that high and that low' });
    if (c.years?.from !== undefined && c.years.to !== undefined && c.years.from > c.years.to)
      ctx.addIssue({ code: 'custom', path: ['years', 'to'], message: 'the years must not end before they start' });
    if (c.finalists?.min !== undefined && c.finalists.max !== undefined && c.finalists.min > c.finalists.max)
      ctx.addIssue({ code: 'custom', path: ['finalists', 'max'], message: 'max must not be below min' });
  })
  .meta({ id: 'TitleCondition' });
export type TitleCondition = z.infer<typeof titleConditionSchema>;

const namedTitle = {
  titleKey: titleKeySchema,
  titleName: z.string().trim().min(1).max(40),
  titleLevel: titleLevelSchema,
};

/**
 * What a rule proposes for each qualifying person:
 * - `title`: name them (授予) a title of this body;
 * - `recommendation`: recommend them (推荐) for a title another body confers or selects later;
 *   `firstInLine` marks 优先推荐;
 * - `promotion`: raise their certified level to `to` (a level, or `one_up` = one grade up;
 *   `one_up` needs a current level). `already` maps a person who already holds a level to
 *   another target ("already 技师 → 高级技师"); each must go up. Promotions never pass level 1
 *   (高级技师).
 */
export const titleActionSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('title'), ...namedTitle }),
    z.object({ kind: z.literal('recommendation'), ...namedTitle, firstInLine: z.boolean().default(false) }),
    z
      .object({
        kind: z.literal('promotion'),
        to: z.union([skillLevel, z.literal('one_up')]),
        already: z.array(z.object({ from: skillLevel, to: skillLevel })).max(5).default([]),
      })
      .superRefine((a, ctx) => {
        a.already.forEach((m, i) => {
          if (m.to >= m.from) ctx.addIssue({ code: 'custom', path: ['already', i, 'to'], message: 'a promotion must go up a grade (to a smaller level number)' });
          if (a.already.findIndex((o) => o.from === m.from) !== i)
            ctx.addIssue({ code: 'custom', path: ['already', i, 'from'], message: 'one mapping per level' });
        });
      }),
  ])
  .meta({ id: 'TitleAction' });
export type TitleAction = z.infer<typeof titleActionSchema>;

/**
 * One rule: a stable id, a Chinese name used in the reasons ("符合{name}条件"), an optional note
 * appended to every reason, the condition and the actions.
 */
export const titleRuleSchema = z
  .object({
    id: ruleIdSchema,
    name: z.string().trim().min(1).max(80),
    note: z.string().trim().max(200).optional(),
    when: titleConditionSchema,
    then: z.array(titleActionSchema).min(1).max(5),
  })
  .meta({ id: 'TitleRule' });
export type TitleRule = z.infer<typeof titleRuleSchema>;
export type TitleRuleInput = z.input<typeof titleRuleSchema>;

/** A named set of rules (what title_rules.preset_key points at), rule ids unique. */
export const titleRuleSetSchema = z
  .object({
    key: ruleIdSchema,
    name: z.string().trim().min(1).max(80),
    rules: z.array(titleRuleSchema).min(1).max(50),
  })
  .superRefine((set, ctx) => {
    set.rules.forEach((rule, i) => {
      if (set.rules.findIndex((r) => r.id === rule.id) !== i)
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `rule id ${rule.id} is used twice` });
    });
  })
  .meta({ id: 'TitleRuleSet' });
export type TitleRuleSet = z.infer<typeof titleRuleSetSchema>;
export type TitleRuleSetInput = z.input<typeof titleRuleSetSchema>;

// ---------------------------------------------------------------------------------------
// Presets. Ids are stable: proposals and audit records refer to them.

/** Title types the presets name, by key. */
export const PRESET_TITLE_TYPES = {
  feixi_technical_expert: { name: '肥西县技术能手', level: 'county' },
  feixi_skill_master: { name: '肥西技能大师', level: 'county' },
  feixi_outstanding_craftsman: { name: '肥西杰出工匠', level: 'county' },
  hefei_craftsman: { name: '合肥工匠', level: 'city' },
  hefei_may_day_medal: { name: '合肥市五一劳动奖章', level: 'city' },
  anhui_technical_expert: { name: '安徽省技术能手', level: 'province' },
  national_technical_expert: { name: '全国技术能手', level: 'national' },
} as const satisfies Record<string, { name: string; level: TitleLevel }>;
type PresetTitleKey = keyof typeof PRESET_TITLE_TYPES;

function named(key: PresetTitleKey) {
  return { titleKey: key, titleName: PRESET_TITLE_TYPES[key].name, titleLevel: PRESET_TITLE_TYPES[key].level };
}

/**
 * Feixi county (肥西县), B-level competitions:
 * - the top three of each event are named 肥西县技术能手 directly, or recommended for the city
 *   titles (合肥工匠, 合肥市五一劳动奖章): both are proposed and the organiser approves one, as
 *   the rule's note says;
 * - the winner at 中级工 (level 4) or above: 肥西技能大师;
 * - the winner at 技师 (level 2) or above: first in line (优先推荐) for 肥西杰出工匠, which the
 *   county selects yearly (5 in one year), hence a recommendation and not a title.
 */
export const FEIXI_B_LEVEL_RULES: TitleRuleSet = titleRuleSetSchema.parse({
  key: 'feixi_b_level',
  name: '肥西县B级竞赛',
  rules: [
    {
      id: 'feixi_b_top3_technical_expert',
      name: '肥西县B级竞赛前三名',
      note: '前三名可直接命名为肥西县技术能手，或推荐参评合肥市级称号',
      when: { grades: ['B'], place: { kind: 'rank', from: 1, to: 3 } },
      then: [{ kind: 'title', ...named('feixi_technical_expert') }],
    },
    {
      id: 'feixi_b_top3_city_recommendation',
      name: '肥西县B级竞赛前三名',
      note: '前三名可直接命名为肥西县技术能手，或推荐参评合肥市级称号',
      when: { grades: ['B'], place: { kind: 'rank', from: 1, to: 3 } },
      then: [
        { kind: 'recommendation', ...named('hefei_craftsman') },
        { kind: 'recommendation', ...named('hefei_may_day_medal') },
      ],
    },
    {
      id: 'feixi_b_winner_skill_master',
      name: '肥西县B级竞赛第一名且具有中级工及以上等级',
      when: { grades: ['B'], place: { kind: 'rank', from: 1, to: 1 }, level: { orAbove: 4 } },
      then: [{ kind: 'title', ...named('feixi_skill_master') }],
    },
    {
      id: 'feixi_b_winner_outstanding_craftsman',
      name: '肥西县B级竞赛第一名且具有技师及以上等级',
      when: { grades: ['B'], place: { kind: 'rank', from: 1, to: 1 }, level: { orAbove: 2 } },
      then: [{ kind: 'recommendation', ...named('feixi_outstanding_craftsman'), firstInLine: true }],
    },
  ],
});

/**
 * Anhui 2023, provincial competitions:
 * - class one (一类): 安徽省技术能手 for places 1–3 scaled by the final's size (≤10 finalists:
 *   1st only; 11–30: top 2; more than 30: top 3);
 * - class two (二类): 1st only;
 * - promotion, class one only: top 20 % → 技师 (already 技师 → 高级技师), above 20 % up to 40 %
 *   → 高级工 (already 高级工 → 技师). The brief gives the promotion after the class-two clause
 *   without saying it covers class two; no promotion is proposed without a clear rule, so
 *   class-two promotions are left for the organiser to add.
 * Shares are rounded half-up (28 finalists: top 20 % = 6 places, top 40 % = 11).
 */
export const ANHUI_2023_RULES: TitleRuleSet = titleRuleSetSchema.parse({
  key: 'anhui_2023',
  name: '安徽省2023年职业技能竞赛',
  rules: [
    {
      id: 'anhui_2023_class1_technical_expert',
      name: '安徽省一类竞赛技术能手',
      when: {
        classes: ['class1'],
        place: {
          kind: 'by_finalists',
          bands: [
            { upToFinalists: 10, places: 1 },
            { upToFinalists: 30, places: 2 },
            { upToFinalists: null, places: 3 },
          ],
        },
      },
      then: [{ kind: 'title', ...named('anhui_technical_expert') }],
    },
    {
      id: 'anhui_2023_class2_technical_expert',
      name: '安徽省二类竞赛技术能手',
      when: { classes: ['class2'], place: { kind: 'rank', from: 1, to: 1 } },
      then: [{ kind: 'title', ...named('anhui_technical_expert') }],
    },
    {
      id: 'anhui_2023_class1_top20_technician',
      name: '安徽省一类竞赛决赛前20%',
      when: { classes: ['class1'], place: { kind: 'share', abovePercent: 0, upToPercent: 20 } },
      then: [{ kind: 'promotion', to: 2, already: [{ from: 2, to: 1 }] }],
    },
    {
      id: 'anhui_2023_class1_top40_senior_worker',
      name: '安徽省一类竞赛决赛前21%至40%',
      when: { classes: ['class1'], place: { kind: 'share', abovePercent: 20, upToPercent: 40 } },
      then: [{ kind: 'promotion', to: 3, already: [{ from: 3, to: 2 }] }],
    },
  ],
});

/**
 * Tianjin 2024, enterprise and school competitions: the top 30 % of the workers' group are
 * promoted to 中级工 (already 中级工 → 高级工); at most one promotion through competition per
 * person per year (always enforced by the evaluator). "Enterprise and school competition" is
 * not a grade in this system, so the preset does not filter on grade: attach it to those
 * competitions only.
 */
export const TIANJIN_2024_RULES: TitleRuleSet = titleRuleSetSchema.parse({
  key: 'tianjin_2024',
  name: '天津市2024年企业和院校职业技能竞赛',
  rules: [
    {
      id: 'tianjin_2024_top30_intermediate',
      name: '天津市企业职业技能竞赛职工组前30%',
      when: { entrantGroups: ['workers'], place: { kind: 'share', abovePercent: 0, upToPercent: 30 } },
      then: [{ kind: 'promotion', to: 4, already: [{ from: 4, to: 3 }] }],
    },
  ],
});

/** The default share of finalists the national preset treats as "merit prize or better". */
export const NATIONAL_MERIT_PERCENT = 30;

/**
 * National skills competition (A grade): the top 5 are named 全国技术能手; "merit prize (优胜奖)
 * or better" is promoted to 技师 (already 技师 → 高级技师).
 *
 * The notice does not say how many get a merit prize, and the rules evaluate results, not
 * prizes, so "merit prize or better" is modelled as the top `meritPercent` % of the finalists
 * (default 30 %, rounded half-up); set it to the competition's merit share (a provincial
 * contest gave 优胜奖 down to the top half: 50).
 */
export function nationalSkillsRules(meritPercent: number = NATIONAL_MERIT_PERCENT): TitleRuleSet {
  return titleRuleSetSchema.parse({
    key: 'national_skills',
    name: '全国职业技能大赛',
    rules: [
      {
        id: 'national_top5_technical_expert',
        name: '全国职业技能大赛决赛前5名',
        when: { grades: ['A'], place: { kind: 'rank', from: 1, to: 5 } },
        then: [{ kind: 'title', ...named('national_technical_expert') }],
      },
      {
        id: 'national_merit_technician',
        name: `全国职业技能大赛优胜奖及以上（决赛前${meritPercent}%）`,
        when: { grades: ['A'], place: { kind: 'share', abovePercent: 0, upToPercent: meritPercent } },
        then: [{ kind: 'promotion', to: 2, already: [{ from: 2, to: 1 }] }],
      },
    ],
  });
}

export const NATIONAL_SKILLS_RULES: TitleRuleSet = nationalSkillsRules();

/** Every preset rule set, by its key (title_rules.preset_key). */
export const TITLE_RULE_PRESETS: Readonly<Record<string, TitleRuleSet>> = {
  [FEIXI_B_LEVEL_RULES.key]: FEIXI_B_LEVEL_RULES,
  [ANHUI_2023_RULES.key]: ANHUI_2023_RULES,
  [TIANJIN_2024_RULES.key]: TIANJIN_2024_RULES,
  [NATIONAL_SKILLS_RULES.key]: NATIONAL_SKILLS_RULES,
};
