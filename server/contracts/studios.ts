import { z } from 'zod';

/**
 * Innovation studios (创新工作室): kinds and their leader rules, the recognition life cycle,
 * the joint union + HR evaluation, the "five smalls" (五小) campaign and the yearly figures.
 * Pure zod and rule data, shared by the server, the domain functions and the web app.
 *
 * Provinces and cities differ, so every rule is data with a preset taken from the public
 * notices in the domain brief (Hefei city notice, the HR bureau's skill-master rules, Fushun's
 * five-smalls awards). Preset values not backed by a cited notice say so where they are set.
 */

// Local copy of common.ts's isoDate: contracts stay independent of each other.
const isoDate = z.iso.date();
const id = z.int().positive();

// ---------------------------------------------------------------------------------------
// Kinds, levels, leaders

export const studioKindSchema = z
  .enum(['model_worker', 'craftsman', 'worker', 'blue_collar', 'skill_master', 'traditional_craft'])
  .meta({ id: 'StudioKind' });
export type StudioKind = z.infer<typeof studioKindSchema>;

/** Chinese names of the kinds, as the UI shows them. */
export const STUDIO_KIND_NAMES: Readonly<Record<StudioKind, string>> = {
  model_worker: '劳模创新工作室',
  craftsman: '工匠创新工作室',
  worker: '职工创新工作室',
  blue_collar: '蓝领创新工作室',
  skill_master: '技能大师工作室',
  traditional_craft: '传统技艺工作室',
};

export const studioLevelSchema = z.enum(['county', 'city', 'province', 'national_demonstration']).meta({ id: 'StudioLevel' });
export type StudioLevel = z.infer<typeof studioLevelSchema>;

export const STUDIO_LEVEL_NAMES: Readonly<Record<StudioLevel, string>> = {
  county: '县级',
  city: '市级',
  province: '省级',
  national_demonstration: '国家级示范',
};

/**
 * Which line names (认定) a kind of studio: the union (工会) names model-worker, craftsman, worker
 * and blue-collar studios, the HR bureau (人社局) names skill-master studios. They cultivate and
 * supervise jointly but name separately, so a decision on a studio is taken by its line's body
 * (or by both together, `joint`).
 */
export const studioLineSchema = z.enum(['union', 'hr_bureau']).meta({ id: 'StudioLine' });
export type StudioLine = z.infer<typeof studioLineSchema>;

/** 职业技能等级: 1 = 高级技师 (highest) … 5 = 初级工 (lowest). */
export const skillLevelSchema = z.int().min(1).max(5).meta({ id: 'StudioLeaderSkillLevel' });
export type SkillLevel = z.infer<typeof skillLevelSchema>;

export const SKILL_LEVEL_NAMES: Readonly<Record<number, string>> = {
  1: '高级技师（一级）',
  2: '技师（二级）',
  3: '高级工（三级）',
  4: '中级工（四级）',
  5: '初级工（五级）',
};

/**
 * An honour a person holds, as a stable code. The known codes are listed in
 * {@link HONOUR_NAMES}; others are allowed (a body may add its own titles) and match only
 * when a rule lists them.
 */
export const honourCodeSchema = z.string().regex(/^[a-z0-9_]{1,60}$/, 'lower-case letters, digits or _').meta({ id: 'StudioLeaderHonourCode' });
export type HonourCode = z.infer<typeof honourCodeSchema>;

/**
 * Known honour codes. Model-worker titles carry their level because the Hefei rule asks for a
 * city model worker or above; the May Day medal (五一劳动奖章) and the named craftsman titles
 * (合肥工匠, 北疆工匠, 大国工匠) count at any level, so they have one code each; county-level
 * craftsman titles (肥西杰出工匠) have their own code because the Hefei rule is a city rule.
 */
export const HONOUR_NAMES: Readonly<Record<string, string>> = {
  model_worker_national: '全国劳动模范',
  model_worker_province: '省级劳动模范',
  model_worker_city: '市级劳动模范',
  model_worker_county: '县级劳动模范',
  may_day_medal: '五一劳动奖章获得者',
  craftsman: '工匠（市级及以上）',
  craftsman_county: '县级工匠',
  technical_expert: '技术能手（市级及以上）',
  technical_expert_county: '县级技术能手',
  skill_master_title: '技能大师',
  chief_technician: '首席技师',
  intangible_heritage_inheritor: '非物质文化遗产代表性传承人',
  crafts_master: '工艺美术大师',
};

/**
 * One way a leader can qualify: holding any of the listed honours, or a certified skill level
 * at or above `orAbove` (numerically at most: level 2 = 技师 or 高级技师). `label` is the
 * Chinese text shown when the leader does not meet it.
 */
export const leaderQualificationSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('honour'), anyOf: z.array(honourCodeSchema).min(1), label: z.string().min(1) }),
    z.object({ type: z.literal('skill_level'), orAbove: skillLevelSchema, label: z.string().min(1) }),
  ])
  .meta({ id: 'StudioLeaderQualification' });
export type LeaderQualification = z.infer<typeof leaderQualificationSchema>;

/** The rules for one kind of studio. */
export const studioKindRuleSchema = z
  .object({
    name: z.string().min(1),
    line: studioLineSchema,
    /** The leader needs any one of these (满足其一即可). */
    leader: z.array(leaderQualificationSchema).min(1),
    /** Years a recognition lasts before it must be re-confirmed (复核). */
    termYears: z.int().min(1).max(10),
    /** Years a de-listed (摘牌) studio's host and leader may not reapply; 0 = no ban. */
    reapplyBanYears: z.int().min(0).max(20),
  })
  .meta({ id: 'StudioKindRule' });
export type StudioKindRule = z.infer<typeof studioKindRuleSchema>;

/** Rules for every kind (all six must be present). */
export const studioSettingsSchema = z
  .object({ kinds: z.record(studioKindSchema, studioKindRuleSchema) })
  .meta({ id: 'StudioSettings' });
export type StudioSettings = z.infer<typeof studioSettingsSchema>;

const CITY_MODEL_WORKER_OR_ABOVE = ['model_worker_national', 'model_worker_province', 'model_worker_city'];
const ANY_MODEL_WORKER = [...CITY_MODEL_WORKER_OR_ABOVE, 'model_worker_county'];

/**
 * The preset rules.
 * - model_worker: the Hefei city notice: a city model worker (or above), a May Day medal holder or
 *   a craftsman.
 * - skill_master: the HR bureau's rule: technician (技师) or above, three-year term, de-listing
 *   brings a six-year ban on reapplying.
 * - craftsman, worker, blue_collar, traditional_craft: no notice found; the presets follow the
 *   brief's "led by a model worker or a high-skill worker" (高技能人才 = 高级工 and above) and
 *   are meant to be set by each body.
 * - Union kinds' term (3 years) and ban (3 years) are assumptions mirroring the HR line's term;
 *   no cited union text sets them.
 */
export const studioSettingsPreset: StudioSettings = studioSettingsSchema.parse({
  kinds: {
    model_worker: {
      name: STUDIO_KIND_NAMES.model_worker,
      line: 'union',
      leader: [
        {
          type: 'honour',
          anyOf: [...CITY_MODEL_WORKER_OR_ABOVE, 'may_day_medal', 'craftsman'],
          label: '市级及以上劳动模范、五一劳动奖章获得者或工匠',
        },
      ],
      termYears: 3,
      reapplyBanYears: 3,
    },
    craftsman: {
      name: STUDIO_KIND_NAMES.craftsman,
      line: 'union',
      leader: [{ type: 'honour', anyOf: ['craftsman', 'craftsman_county'], label: '获得工匠称号' }],
      termYears: 3,
      reapplyBanYears: 3,
    },
    worker: {
      name: STUDIO_KIND_NAMES.worker,
      line: 'union',
      leader: [
        {
          type: 'honour',
          anyOf: [...ANY_MODEL_WORKER, 'may_day_medal', 'craftsman', 'craftsman_county', 'technical_expert', 'technical_expert_county', 'skill_master_title'],
          label: '劳动模范、五一劳动奖章获得者、工匠、技术能手或技能大师',
        },
        { type: 'skill_level', orAbove: 3, label: '高级工（三级）及以上职业技能等级' },
      ],
      termYears: 3,
      reapplyBanYears: 3,
    },
    blue_collar: {
      name: STUDIO_KIND_NAMES.blue_collar,
      line: 'union',
      leader: [
        {
          type: 'honour',
          anyOf: [...ANY_MODEL_WORKER, 'may_day_medal', 'craftsman', 'craftsman_county', 'technical_expert', 'technical_expert_county', 'skill_master_title'],
          label: '劳动模范、五一劳动奖章获得者、工匠、技术能手或技能大师',
        },
        { type: 'skill_level', orAbove: 3, label: '高级工（三级）及以上职业技能等级' },
      ],
      termYears: 3,
      reapplyBanYears: 3,
    },
    skill_master: {
      name: STUDIO_KIND_NAMES.skill_master,
      line: 'hr_bureau',
      leader: [{ type: 'skill_level', orAbove: 2, label: '技师（二级）及以上职业技能等级' }],
      termYears: 3,
      reapplyBanYears: 6,
    },
    traditional_craft: {
      name: STUDIO_KIND_NAMES.traditional_craft,
      line: 'union',
      leader: [
        { type: 'honour', anyOf: ['intangible_heritage_inheritor', 'crafts_master'], label: '非物质文化遗产代表性传承人或工艺美术大师' },
        { type: 'skill_level', orAbove: 2, label: '技师（二级）及以上职业技能等级' },
      ],
      termYears: 3,
      reapplyBanYears: 3,
    },
  },
});

// ---------------------------------------------------------------------------------------
// Life cycle

/**
 * - applied (已申报) → under_evaluation (评估中) → recognised (已认定) or rejected (不予认定);
 * - withdrawn (已撤回) by the applicant before a decision;
 * - recognised ⇄ warned (限期整改) at the yearly review; delisted (已摘牌) ends it;
 * - expired (期满待复核): the term ended without re-confirmation; re-confirmation (复核) makes
 *   it recognised again, failing it de-lists.
 */
export const studioStatusSchema = z
  .enum(['applied', 'under_evaluation', 'recognised', 'warned', 'expired', 'rejected', 'withdrawn', 'delisted'])
  .meta({ id: 'StudioStatus' });
export type StudioStatus = z.infer<typeof studioStatusSchema>;

export const studioActionSchema = z
  .enum(['apply', 'start_evaluation', 'recognise', 'reject', 'withdraw', 'renew', 'warn', 'delist', 'expire', 'reconfirm'])
  .meta({ id: 'StudioAction' });
export type StudioAction = z.infer<typeof studioActionSchema>;

/** Who took a decision: the union, the HR bureau, both, or the applicant (apply, withdraw). */
export const deciderSchema = z
  .object({
    body: z.enum(['union', 'hr_bureau', 'joint', 'applicant']),
    organisationId: id.nullable().default(null),
    name: z.string().max(200).default(''),
  })
  .meta({ id: 'StudioDecider' });
export type Decider = z.infer<typeof deciderSchema>;
export type DeciderInput = z.input<typeof deciderSchema>;

/** A studio's current standing: what the life-cycle functions read and return. */
export const studioStateSchema = z
  .object({
    kind: studioKindSchema,
    hostEmployerId: id,
    leaderPersonId: id,
    status: studioStatusSchema,
    level: studioLevelSchema.nullable(),
    /** First recognition date; kept through re-confirmations. */
    recognisedOn: isoDate.nullable(),
    /** The current term covers termStartsOn ≤ day < termEndsOn. */
    termStartsOn: isoDate.nullable(),
    termEndsOn: isoDate.nullable(),
    /** Set on de-listing: the host and leader may reapply on or after this day. */
    bannedUntil: isoDate.nullable(),
    /** Date of the latest step: a later step may not be dated before it. */
    lastStepOn: isoDate,
  })
  .meta({ id: 'StudioState' });
export type StudioState = z.infer<typeof studioStateSchema>;

/** One recorded step of the life cycle (stored as the studio's history). */
export const studioStepSchema = z
  .object({
    action: studioActionSchema,
    /** The decision in Chinese (受理申报, 认定, 摘牌 …) for the history list. */
    decision: z.string(),
    from: studioStatusSchema.nullable(),
    to: studioStatusSchema,
    date: isoDate,
    decidedBy: deciderSchema,
    level: studioLevelSchema.nullable(),
    termEndsOn: isoDate.nullable(),
    bannedUntil: isoDate.nullable(),
    note: z.string().max(2000).default(''),
  })
  .meta({ id: 'StudioStep' });
export type StudioStep = z.infer<typeof studioStepSchema>;

// ---------------------------------------------------------------------------------------
// Evaluation (联合绩效评估)

export const indicatorItemSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_-]{1,40}$/, 'lower-case letters, digits, _ or -'),
    name: z.string().min(1).max(100),
    max: z.number().positive().max(1000),
    /** What the reviewers look at (评分要点). */
    guidance: z.string().max(2000).default(''),
  })
  .meta({ id: 'StudioIndicatorItem' });
export type IndicatorItem = z.infer<typeof indicatorItemSchema>;

/** The indicator sheet (评估指标) a body sets for its evaluation. */
export const indicatorSheetSchema = z
  .object({ name: z.string().min(1).max(200), items: z.array(indicatorItemSchema).min(1).max(50) })
  .superRefine((sheet, ctx) => {
    const seen = new Set<string>();
    sheet.items.forEach((item, i) => {
      if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: ['items', i, 'id'], message: `duplicate item id ${item.id}` });
      seen.add(item.id);
    });
  })
  .meta({ id: 'StudioIndicatorSheet' });
export type IndicatorSheet = z.infer<typeof indicatorSheetSchema>;

/** The preset sheet: seven items, 100 points. */
export const indicatorSheetPreset: IndicatorSheet = indicatorSheetSchema.parse({
  name: '创新工作室年度绩效评估',
  items: [
    { id: 'projects', name: '创新项目', max: 20, guidance: '年度开展并经企业认可的创新项目（每年至少一项）的数量、难度与完成情况' },
    { id: 'results', name: '创新成果', max: 15, guidance: '技术革新、技术攻关、工艺改进等成果及其推广应用、获奖情况' },
    { id: 'patents', name: '专利', max: 15, guidance: '授权的发明专利、实用新型专利、外观设计专利，发明专利从高计分' },
    { id: 'economic_benefit', name: '经济效益', max: 15, guidance: '成果转化产生的创效、节支金额，以财务部门确认为准' },
    { id: 'apprentices', name: '带徒传技', max: 15, guidance: '带徒人数及徒弟取得职业技能等级晋升的情况' },
    { id: 'trainings', name: '培训交流', max: 10, guidance: '组织技能培训、技术交流的场次和参训人次' },
    { id: 'management', name: '运行管理', max: 10, guidance: '场地、制度、台账、经费的管理与日常运行' },
  ],
});

/** The two reviewing bodies of the joint evaluation. */
export const evaluationBodySchema = z.enum(['union', 'hr_bureau']).meta({ id: 'StudioEvaluationBody' });
export type EvaluationBody = z.infer<typeof evaluationBodySchema>;

/** A reviewer on the panel; `body` null = not (yet) assigned to either body's group. */
export const reviewerSchema = z
  .object({ id, body: evaluationBodySchema.nullable(), employerId: id.nullable() })
  .meta({ id: 'StudioReviewer' });
export type Reviewer = z.infer<typeof reviewerSchema>;

/** An applicant studio in an evaluation round. */
export const evaluationApplicantSchema = z.object({ id, hostEmployerId: id }).meta({ id: 'StudioEvaluationApplicant' });
export type EvaluationApplicant = z.infer<typeof evaluationApplicantSchema>;

/** One reviewer's points for one item of one applicant, with the body they scored for. */
export const evaluationScoreSchema = z
  .object({ reviewerId: id, body: evaluationBodySchema, applicantId: id, itemId: z.string(), points: z.number() })
  .meta({ id: 'StudioEvaluationScore' });
export type EvaluationScore = z.infer<typeof evaluationScoreSchema>;

/** How a body's reviewers' totals become the body's score. */
export const evaluationAggregationSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('mean') }),
    z.object({ kind: z.literal('trimmed_mean'), drop: z.int().min(1).max(5).default(1) }),
  ])
  .meta({ id: 'StudioEvaluationAggregation' });
export type EvaluationAggregation = z.infer<typeof evaluationAggregationSchema>;

/**
 * Weights of the two bodies (as fractions adding up to 1 or percentages adding up to 100), the
 * recognition threshold on the combined 2-decimal score, and each body's aggregation.
 */
export const evaluationOptionsSchema = z
  .object({
    unionWeight: z.number().min(0).max(100),
    hrWeight: z.number().min(0).max(100),
    threshold: z.number().min(0),
    aggregation: z
      .object({
        union: evaluationAggregationSchema.default({ kind: 'mean' }),
        hr_bureau: evaluationAggregationSchema.default({ kind: 'mean' }),
      })
      .default({ union: { kind: 'mean' }, hr_bureau: { kind: 'mean' } }),
  })
  .superRefine((o, ctx) => {
    if (weightScale(o.unionWeight, o.hrWeight) === null)
      ctx.addIssue({ code: 'custom', path: ['hrWeight'], message: 'the two weights must add up to 1 or to 100' });
  })
  .meta({ id: 'StudioEvaluationOptions' });
export type EvaluationOptions = z.infer<typeof evaluationOptionsSchema>;
export type EvaluationOptionsInput = z.input<typeof evaluationOptionsSchema>;

/**
 * 1 when the weights are fractions adding up to 1, 100 when percentages adding up to 100, null
 * otherwise. Exported so the domain applies the same test as the schema.
 */
export function weightScale(a: number, b: number): 1 | 100 | null {
  const sum = a + b;
  if (Math.abs(sum - 1) < 1e-9) return 1;
  if (Math.abs(sum - 100) < 1e-7) return 100;
  return null;
}

// ---------------------------------------------------------------------------------------
// Five smalls (五小)

export const fiveSmallsCategorySchema = z
  .enum(['invention', 'creation', 'innovation', 'design', 'suggestion'])
  .meta({ id: 'FiveSmallsCategory' });
export type FiveSmallsCategory = z.infer<typeof fiveSmallsCategorySchema>;

export const FIVE_SMALLS_CATEGORY_NAMES: Readonly<Record<FiveSmallsCategory, string>> = {
  invention: '小发明',
  creation: '小创造',
  innovation: '小革新',
  design: '小设计',
  suggestion: '小建议',
};

/** An entry of the campaign, from a worker or a studio. */
export const fiveSmallsEntrySchema = z
  .object({
    id,
    category: fiveSmallsCategorySchema,
    title: z.string().min(1).max(200),
    submitter: z.object({ type: z.enum(['worker', 'studio']), id }),
    /** When the result was completed (成果完成时间). */
    completedOn: isoDate,
    /** Whether it is in use at work (已实施应用). */
    implemented: z.boolean(),
    /** Whether it already won an award in an earlier campaign. */
    previouslyAwarded: z.boolean().default(false),
  })
  .meta({ id: 'FiveSmallsEntry' });
export type FiveSmallsEntry = z.infer<typeof fiveSmallsEntrySchema>;

/** The screening rules (资格审查) of a campaign. */
export const fiveSmallsScreeningSchema = z
  .object({
    categories: z.array(fiveSmallsCategorySchema).min(1).default(['invention', 'creation', 'innovation', 'design', 'suggestion']),
    /** Completion dates accepted (inclusive); null = any. */
    completedFrom: isoDate.nullable().default(null),
    completedTo: isoDate.nullable().default(null),
    /** Suggestions (小建议) are exempt: a suggestion is an idea, not yet in use. */
    requireImplemented: z.boolean().default(true),
    excludePreviouslyAwarded: z.boolean().default(true),
    /** At most this many entries per submitter, the earliest (lowest id) kept; null = no limit. */
    maxEntriesPerSubmitter: z.int().min(1).nullable().default(null),
    /** Entries the screening group excluded by hand, with the reason they recorded. */
    exclusions: z.array(z.object({ entryId: id, reason: z.string().min(1).max(500) })).default([]),
  })
  .meta({ id: 'FiveSmallsScreening' });
export type FiveSmallsScreening = z.infer<typeof fiveSmallsScreeningSchema>;
export type FiveSmallsScreeningInput = z.input<typeof fiveSmallsScreeningSchema>;

export const benefitCriterionSchema = z.enum(['economic', 'social', 'safety', 'management']).meta({ id: 'FiveSmallsBenefitCriterion' });
export type BenefitCriterion = z.infer<typeof benefitCriterionSchema>;

export const BENEFIT_CRITERION_NAMES: Readonly<Record<BenefitCriterion, string>> = {
  economic: '经济效益',
  social: '社会效益',
  safety: '安全效益',
  management: '管理效益',
};

/** Criterion weights of a department; a criterion with weight 0 is not scored by it. */
export const benefitWeightsSchema = z
  .object({
    economic: z.number().min(0).default(1),
    social: z.number().min(0).default(1),
    safety: z.number().min(0).default(1),
    management: z.number().min(0).default(1),
  })
  .refine((w) => w.economic + w.social + w.safety + w.management > 0, 'at least one criterion needs a weight above 0');
export type BenefitWeights = z.infer<typeof benefitWeightsSchema>;

/** A scoring department (评审部门); weights default to equal. */
export const fiveSmallsDepartmentSchema = z
  .object({
    id,
    name: z.string().max(200).default(''),
    weights: benefitWeightsSchema.default({ economic: 1, social: 1, safety: 1, management: 1 }),
  })
  .meta({ id: 'FiveSmallsDepartment' });
export type FiveSmallsDepartment = z.infer<typeof fiveSmallsDepartmentSchema>;

/** A department's points for one criterion of one entry (0..maxPoints). */
export const fiveSmallsScoreSchema = z
  .object({ departmentId: id, entryId: id, criterion: benefitCriterionSchema, points: z.number() })
  .meta({ id: 'FiveSmallsScore' });
export type FiveSmallsScore = z.infer<typeof fiveSmallsScoreSchema>;

export const fiveSmallsConfigSchema = z
  .object({
    departments: z.array(fiveSmallsDepartmentSchema).min(1),
    /** Full mark of each criterion. */
    maxPoints: z.number().positive().default(100),
    /**
     * true: an entry is ranked only once every department has scored it; false: the mean runs
     * over the departments that have (at least one).
     */
    requireAllDepartments: z.boolean().default(true),
  })
  .meta({ id: 'FiveSmallsConfig' });
export type FiveSmallsConfig = z.infer<typeof fiveSmallsConfigSchema>;
export type FiveSmallsConfigInput = z.input<typeof fiveSmallsConfigSchema>;

/**
 * Award tiers: `counts[k]` places in tier k + 1 (一等奖, 二等奖, 三等奖 …), optional prize money
 * per entry of each tier, and what a tie across a tier boundary does:
 * - `include`: the whole tied group takes the higher tier (并列者同获该奖) and the next tier has
 *   as many fewer places (名额相应减少); at the last boundary more entries than planned win;
 * - `exclude`: a tied group that does not fit in a tier's remaining places drops to the next
 *   tier as a whole, the places it leaves stay empty, and no tier ever exceeds its count.
 * The words mean the same as the prize tie rules (server/contracts/awards.ts prizeTieRuleSchema).
 */
export const awardTiersConfigSchema = z
  .object({
    counts: z.array(z.int().min(0)).min(1).max(10),
    prizeMoney: z.array(z.number().min(0)).max(10).optional(),
    ties: z.enum(['include', 'exclude']).default('include'),
  })
  .refine((c) => c.prizeMoney === undefined || c.prizeMoney.length === c.counts.length, {
    path: ['prizeMoney'],
    message: 'one prize amount per tier',
  })
  .meta({ id: 'FiveSmallsAwardTiers' });
export type AwardTiersConfig = z.infer<typeof awardTiersConfigSchema>;
export type AwardTiersConfigInput = z.input<typeof awardTiersConfigSchema>;

/** Fushun's five-smalls campaign: 8 / 15 / 22 prizes of 368 entries (45, about 12 %). */
export const fushunFiveSmallsTiers: AwardTiersConfig = awardTiersConfigSchema.parse({ counts: [8, 15, 22], ties: 'include' });

// ---------------------------------------------------------------------------------------
// Yearly figures

export const patentKindSchema = z.enum(['invention', 'utility_model', 'design']).meta({ id: 'StudioPatentKind' });
export type PatentKind = z.infer<typeof patentKindSchema>;

export const PATENT_KIND_NAMES: Readonly<Record<PatentKind, string>> = {
  invention: '发明专利',
  utility_model: '实用新型专利',
  design: '外观设计专利',
};

const achievementBase = { studioId: id, year: z.int().min(1949).max(2200) };
const count = z.int().min(1).default(1);

/** One recorded achievement of a studio in a year. */
export const achievementSchema = z
  .discriminatedUnion('type', [
    z.object({ ...achievementBase, type: z.literal('innovation_result'), count }),
    z.object({ ...achievementBase, type: z.literal('patent'), patentKind: patentKindSchema, count }),
    z.object({ ...achievementBase, type: z.literal('technical_breakthrough'), count }),
    z.object({ ...achievementBase, type: z.literal('five_smalls'), count }),
    /** 创效 / 节支 in yuan, at most 2 decimals (fen). */
    z.object({ ...achievementBase, type: z.literal('economic_benefit'), amountYuan: z.number().min(0) }),
    /** Apprentices trained (带徒) and, of them, promoted a skill level (晋级). */
    z.object({ ...achievementBase, type: z.literal('apprentices'), trained: z.int().min(0), promoted: z.int().min(0) }),
  ])
  .meta({ id: 'StudioAchievement' });
export type Achievement = z.infer<typeof achievementSchema>;
export type AchievementInput = z.input<typeof achievementSchema>;

export const studioFiguresSchema = z
  .object({
    innovationResults: z.int(),
    patents: z.object({ invention: z.int(), utilityModel: z.int(), design: z.int(), total: z.int() }),
    technicalBreakthroughs: z.int(),
    fiveSmalls: z.int(),
    economicBenefitYuan: z.number(),
    apprenticesTrained: z.int(),
    apprenticesPromoted: z.int(),
  })
  .meta({ id: 'StudioFigures' });
export type StudioFigures = z.infer<typeof studioFiguresSchema>;
