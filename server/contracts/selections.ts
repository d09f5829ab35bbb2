import { z } from 'zod';
import { titleKeySchema, titleLevelSchema } from './awards.ts';
import { decimalId, employerText, isoDate, nameText } from './common.ts';
import { checkReviewSteps, VOTE_CHOICES, VOTE_RULES, type ReviewStep, type VoteRule } from '../domain/review/index.ts';
import { HEFEI_RULES, OPEN_RULES, SKILL_CONDITIONS, type EligibilityRules, type TitleReward } from '../domain/selections/index.ts';

/**
 * Craftsman selection (工匠评选): the wire shapes and the presets (合肥工匠, 安徽工匠, 鄂尔多斯工匠,
 * from ../shared/domain.md). Rules are data; server/domain/selections applies them.
 */

export const skillConditionSchema = z.enum(SKILL_CONDITIONS).meta({ id: 'SkillCondition' });

export const eligibilityRulesSchema: z.ZodType<EligibilityRules> = z
  .object({
    frontLineOnly: z.boolean(),
    minYearsInTrade: z.int().min(0).max(50).nullable(),
    stillInTrade: z.boolean(),
    yearsWaivedBy: z.array(skillConditionSchema).max(SKILL_CONDITIONS.length),
    skillConditionsAnyOf: z.array(skillConditionSchema).max(SKILL_CONDITIONS.length),
    minSkillLevel: z.int().min(1).max(5).nullable().describe('1 高级技师 … 5 初级工: the level or better (高级工 = 3)'),
    maxAge: z.int().min(16).max(100).nullable(),
    occupationPrefixes: z.array(z.string().regex(/^\d(-\d{2}){0,3}$/, 'an occupation code or its start, e.g. 6-31')).max(50),
    noDisciplinaryRecord: z.boolean(),
  })
  .meta({ id: 'EligibilityRules' });

const yuan = z.number().min(0).max(10_000_000);
export const titleRewardSchema: z.ZodType<TitleReward> = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('one_off'), yuan }),
    z.object({ kind: z.literal('monthly'), yuan, months: z.int().min(1).max(600) }),
    z.object({ kind: z.literal('none') }),
  ])
  .meta({ id: 'TitleReward' });

// ---- The review setup (评审方案) on the shared engine (server/domain/review) ----

/** A step, body or item key: stable, so stored scores keep pointing at it. */
const setupKey = z.string().regex(/^[a-z][a-z0-9_]{0,29}$/, 'lower-case letters, digits and _, starting with a letter');

export const reviewAggregationSchema = z
  .discriminatedUnion('kind', [z.object({ kind: z.literal('mean') }), z.object({ kind: z.literal('trimmed_mean'), drop: z.int().min(0).max(5).optional() })])
  .meta({ id: 'ReviewAggregation' });

const reviewStepSchema = z.object({
  key: setupKey.describe("'review' for the material review; e.g. 'defence' for 答辩"),
  name: z.string().trim().min(1).max(40),
  weight: z.number().min(0).max(100).describe("share of the final score; the steps' weights add up to 1 or 100"),
  sheet: z.object({
    items: z
      .array(z.object({ id: setupKey, name: z.string().trim().min(1).max(40), max: z.number().positive().max(1000), group: z.string().trim().max(40).nullable().optional() }))
      .min(1)
      .max(50),
  }),
  bodies: z
    .array(
      z.object({
        key: setupKey.describe('e.g. union, hr_bureau, expert: reviewers carry it'),
        name: z.string().trim().min(1).max(40),
        weight: z.number().min(0).max(100).describe("share of the step score; a step's body weights add up to 1 or 100"),
        aggregation: reviewAggregationSchema.optional(),
      }),
    )
    .min(1)
    .max(10),
});

export type ReviewSetup = { steps: ReviewStep[]; threshold: number; voteRule: VoteRule };

/** Steps, sheets and weights are checked by the engine itself, so the wire and the arithmetic never disagree. */
export const reviewSetupSchema: z.ZodType<ReviewSetup> = z
  .object({
    steps: z.array(reviewStepSchema).min(1).max(5),
    threshold: z.number().min(0).max(1000).describe('pass mark on the final score (final ≥ threshold passes)'),
    voteRule: z.enum(VOTE_RULES).describe("the committee's majority rule on the proposed list"),
  })
  .superRefine((setup, ctx) => {
    for (const p of checkReviewSteps(setup.steps)) ctx.addIssue({ code: 'custom', path: p.path.split('.').map((x) => (/^\d+$/.test(x) ? Number(x) : x)), message: `${p.code}: ${p.message}` });
  })
  .meta({ id: 'SelectionReviewSetup' });

const UNION_HR_EXPERTS = (union: number, hr: number, experts: number) => [
  { key: 'union', name: '工会', weight: union },
  { key: 'hr_bureau', name: '人社部门', weight: hr },
  { key: 'expert', name: '专家', weight: experts },
];

/** The material review's sheet (材料评审): five indicators out of 100. */
const CRAFTSMAN_SHEET = {
  items: [
    { id: 'skill', name: '技能水平', max: 30 },
    { id: 'innovation', name: '创新成果', max: 25 },
    { id: 'mentoring', name: '传帮带', max: 15 },
    { id: 'ethics', name: '职业道德', max: 15 },
    { id: 'influence', name: '行业影响', max: 15 },
  ],
};

/** The defence (现场答辩), scored by the experts alone. */
const DEFENCE_STEP = (weight: number): ReviewStep => ({
  key: 'defence',
  name: '现场答辩',
  weight,
  sheet: { items: [{ id: 'presentation', name: '事迹陈述', max: 40 }, { id: 'answers', name: '回答提问', max: 60 }] },
  bodies: [{ key: 'expert', name: '专家', weight: 100 }],
});

export const selectionStatusSchema = z.enum(['draft', 'nominating', 'reviewing', 'publicity', 'named', 'closed']);
export const candidateStatusSchema = z.enum(['nominated', 'ineligible', 'withdrawn', 'proposed', 'not_selected', 'named', 'nomination_award']);
export const candidateSourceSchema = z.enum(['competition_recommendation', 'unit_nomination', 'forwarded', 'self_nomination']);

export type SelectionPreset = {
  key: string;
  name: string;
  title: { key: string; name: string; level: z.infer<typeof titleLevelSchema> };
  quota: number | null;
  eligibilityRules: EligibilityRules;
  reward: TitleReward;
  nominationAwardYuan: number | null;
  titleTermYears: number | null;
  /**
   * A review setup to start from (PUT /api/selections/:id/review-setup takes it as it is or
   * changed): a selection has none until one is set, and is then ranked by the engine.
   */
  review: ReviewSetup;
  note: string;
};

export const SELECTION_PRESETS: Record<string, SelectionPreset> = {
  hefei_craftsman: {
    key: 'hefei_craftsman',
    name: '合肥工匠',
    title: { key: 'hefei_craftsman', name: '合肥工匠', level: 'city' },
    quota: 10,
    eligibilityRules: HEFEI_RULES,
    reward: { kind: 'one_off', yuan: 20_000 },
    nominationAwardYuan: 5_000,
    titleTermYears: null,
    // The defence is optional: drop the step and weight the material review 100 to do without it.
    review: {
      steps: [{ key: 'review', name: '材料评审', weight: 70, sheet: CRAFTSMAN_SHEET, bodies: UNION_HR_EXPERTS(50, 30, 20) }, DEFENCE_STEP(30)],
      threshold: 60,
      voteRule: 'absolute_majority',
    },
    note: '合肥市总工会（2020年起）：每年10名；一线职工，从事本职业5年以上且仍在岗，具备五项技能条件之一（世赛、国赛前三或长三角、G60、省赛第一可免年限）；证书、奖章及一次性奖励2万元，提名奖5000元',
  },
  anhui_craftsman: {
    key: 'anhui_craftsman',
    name: '安徽工匠',
    title: { key: 'anhui_craftsman', name: '安徽工匠', level: 'province' },
    quota: null,
    eligibilityRules: OPEN_RULES,
    reward: { kind: 'none' },
    nominationAwardYuan: null,
    titleTermYears: null,
    review: { steps: [{ key: 'review', name: '材料评审', weight: 100, sheet: CRAFTSMAN_SHEET, bodies: UNION_HR_EXPERTS(40, 30, 30) }], threshold: 70, voteRule: 'simple_majority' },
    note: '安徽省总工会（2021年）：不设名额，对性别、学历、等级、年限不作硬性限制',
  },
  ordos_craftsman: {
    key: 'ordos_craftsman',
    name: '鄂尔多斯工匠',
    title: { key: 'ordos_craftsman', name: '鄂尔多斯工匠', level: 'city' },
    quota: 25,
    eligibilityRules: OPEN_RULES,
    reward: { kind: 'one_off', yuan: 50_000 },
    nominationAwardYuan: null,
    titleTermYears: null,
    review: {
      steps: [{ key: 'review', name: '材料评审', weight: 60, sheet: CRAFTSMAN_SHEET, bodies: UNION_HR_EXPERTS(40, 30, 30) }, DEFENCE_STEP(40)],
      threshold: 60,
      voteRule: 'two_thirds',
    },
    note: '鄂尔多斯市：推荐评选25名（一年的人数，可改），一次性奖励5万元',
  },
};

export const selectionPresetSchema = z
  .object({
    key: z.string(),
    name: z.string(),
    title: z.object({ key: z.string(), name: z.string(), level: titleLevelSchema }),
    quota: z.int().nullable(),
    eligibilityRules: eligibilityRulesSchema,
    reward: titleRewardSchema,
    nominationAwardYuan: z.number().nullable(),
    titleTermYears: z.int().nullable(),
    review: reviewSetupSchema,
    note: z.string(),
  })
  .meta({ id: 'SelectionPreset' });

const timetableFields = {
  nominationsOpen: isoDate,
  nominationsClose: isoDate,
  reviewBy: isoDate.nullable().optional(),
  publicityWorkingDays: z.int().min(1).max(30).optional(),
  namingDate: isoDate.nullable().optional(),
};

export const createSelectionBody = z
  .object({
    /** A preset (GET /api/selections/presets) fills the title, quota, rules and rewards; fields given here win. */
    presetKey: z.string().min(1).max(60).optional(),
    /** The union that runs it (default: yours); in your subtree. */
    orgId: z.int().positive().optional(),
    coOrganiserIds: z.array(z.int().positive()).max(10).optional(),
    name: nameText(80),
    year: z.int().min(2000).max(2100),
    /** The title conferred: an existing title type… */
    titleTypeId: z.int().positive().optional(),
    /** …or one to create (found by key first, as the title rules do). */
    title: z.object({ key: titleKeySchema, name: nameText(40), level: titleLevelSchema }).optional(),
    quota: z.int().min(1).max(10_000).nullable().optional(),
    eligibilityRules: eligibilityRulesSchema.optional(),
    reward: titleRewardSchema.optional(),
    nominationAwardYuan: yuan.nullable().optional(),
    titleTermYears: z.int().min(1).max(50).nullable().optional(),
    ...timetableFields,
  })
  .superRefine((b, ctx) => {
    if (b.nominationsOpen > b.nominationsClose) ctx.addIssue({ code: 'custom', path: ['nominationsClose'], message: 'on or after nominationsOpen' });
    if (!b.presetKey && b.titleTypeId === undefined && !b.title) ctx.addIssue({ code: 'custom', path: ['titleTypeId'], message: 'give titleTypeId, title or presetKey' });
  });
export type CreateSelectionInput = z.infer<typeof createSelectionBody>;

export const updateSelectionBody = z
  .object({
    name: nameText(80).optional(),
    coOrganiserIds: z.array(z.int().positive()).max(10).optional(),
    quota: z.int().min(1).max(10_000).nullable().optional(),
    eligibilityRules: eligibilityRulesSchema.optional(),
    reward: titleRewardSchema.optional(),
    nominationAwardYuan: yuan.nullable().optional(),
    titleTermYears: z.int().min(1).max(50).nullable().optional(),
    nominationsOpen: isoDate.optional(),
    nominationsClose: isoDate.optional(),
    reviewBy: isoDate.nullable().optional(),
    publicityWorkingDays: z.int().min(1).max(30).optional(),
    namingDate: isoDate.nullable().optional(),
  })
  .strict();
export type UpdateSelectionInput = z.infer<typeof updateSelectionBody>;

export const selectionSchema = z
  .object({
    id: z.int(),
    orgId: z.int(),
    orgName: z.string(),
    coOrganisers: z.array(z.object({ id: z.int(), name: z.string(), kind: z.string() })),
    name: z.string(),
    year: z.int(),
    presetKey: z.string().nullable(),
    titleTypeId: z.int(),
    titleName: z.string(),
    quota: z.int().nullable(),
    eligibilityRules: eligibilityRulesSchema,
    nominationsOpen: z.string(),
    nominationsClose: z.string(),
    reviewBy: z.string().nullable(),
    publicityWorkingDays: z.int(),
    namingDate: z.string().nullable(),
    reward: titleRewardSchema,
    nominationAwardYuan: z.number().nullable(),
    titleTermYears: z.int().nullable(),
    status: selectionStatusSchema,
    publicityStartsAt: z.string().nullable(),
    publicityEndsAt: z.string().nullable(),
    namedAt: z.string().nullable(),
    reviewSetup: reviewSetupSchema.nullable().describe('null: no review on the engine; the proposed list is set by hand'),
    reviewClosedAt: z.string().nullable(),
    candidateCounts: z.record(z.string(), z.int()).describe('Candidates by status'),
    /** The caller's part: staff of the running union, of a co-organiser, or of a union or unit below it nominating (own nominations only). */
    yourPart: z.enum(['running_union', 'co_organiser', 'committee_member', 'nominating_unit']),
  })
  .meta({ id: 'CraftsmanSelection' });

const shortText = (max: number) => z.string().trim().min(1).max(max);

/** The nomination form (推荐表 / 自荐表). Facts left unstated (null) fail the rules that need them, saying so. */
export const nominationFormSchema = z
  .object({
    position: z.string().trim().max(60).default(''),
    frontLine: z.boolean().nullable().default(null),
    yearsInTrade: z.int().min(0).max(60).nullable().default(null),
    stillInTrade: z.boolean().nullable().default(null),
    skillConditions: z.array(skillConditionSchema).max(SKILL_CONDITIONS.length).default([]),
    achievements: z.array(shortText(500)).max(30).default([]),
    patents: z.array(z.object({ title: shortText(200), number: z.string().trim().max(40).optional() })).max(50).default([]),
    innovations: z.array(shortText(300)).max(30).default([]),
    apprentices: z.int().min(0).max(10_000).default(0),
    honours: z.array(shortText(100)).max(30).default([]),
    attachments: z.array(z.object({ name: shortText(120), link: z.url().max(500).optional() })).max(30).default([]),
    declaredNoDisciplinaryRecord: z.boolean().default(false),
  })
  .meta({ id: 'NominationForm' });
export type NominationForm = z.infer<typeof nominationFormSchema>;

export const nominateBody = z
  .discriminatedUnion('source', [
    z.object({ source: z.literal('unit_nomination'), personId: z.int().positive(), nominatingOrgId: z.int().positive(), form: nominationFormSchema }),
    z.object({ source: z.literal('self_nomination'), personId: z.int().positive(), form: nominationFormSchema }),
    /** From a lower union: the person_titles id of the title they were named there. */
    z.object({ source: z.literal('forwarded'), personTitleId: z.int().positive(), form: nominationFormSchema }),
  ])
  .meta({ id: 'NominateCandidate' });
export type NominateInput = z.infer<typeof nominateBody>;

export const updateCandidateBody = z.object({ form: nominationFormSchema });
export const withdrawBody = z.object({ reason: z.string().trim().min(2).max(500) });

export const eligibilityResultSchema = z.object({
  eligible: z.boolean(),
  checkedOn: z.string(),
  failures: z.array(z.object({ code: z.string(), reason: z.string() })),
});

export const candidateSchema = z
  .object({
    id: z.int(),
    selectionId: z.int(),
    personId: z.int(),
    personName: z.string(),
    /** Masked (`340123********1234`) for roles that do not edit people. */
    idNumber: z.string(),
    employerName: z.string().nullable(),
    occupationName: z.string().nullable(),
    skillLevel: z.int().nullable(),
    source: candidateSourceSchema,
    proposalId: z.int().nullable(),
    nominatingOrgId: z.int().nullable(),
    nominatingOrgName: z.string().nullable(),
    forwardedTitleId: z.int().nullable(),
    form: nominationFormSchema,
    eligibility: eligibilityResultSchema,
    reviewScore: z.number().nullable(),
    rank: z.int().nullable(),
    proposedAward: z.enum(['title', 'nomination_award']).nullable(),
    status: candidateStatusSchema,
    withdrawReason: z.string().nullable(),
    personTitleId: z.int().nullable(),
    certificateNumber: z.string().nullable(),
  })
  .meta({ id: 'CraftsmanCandidate' });

export const importResultSchema = z.object({
  added: z.array(candidateSchema),
  skipped: z.array(z.object({ proposalId: z.int(), personId: z.int(), reason: z.string() })),
});

export const proposedListBody = z.object({
  /** In rank order: the first is rank 1. Candidates left out are not selected. */
  items: z
    .array(z.object({ candidateId: z.int().positive(), reviewScore: z.number().min(0).max(1000).nullable().default(null), award: z.enum(['title', 'nomination_award']).default('title') }))
    .min(1)
    .max(1000),
});

export const objectionBody = z.object({
  candidateId: z.int().positive(),
  lodgedBy: nameText(60),
  contact: z.string().trim().max(100).optional(),
  reason: z.string().trim().min(5).max(2000),
});
export const decideObjectionBody = z.object({ decision: z.enum(['upheld', 'dismissed']), note: z.string().trim().min(2).max(1000) });

export const objectionSchema = z
  .object({
    id: z.int(),
    selectionId: z.int(),
    candidateId: z.int(),
    personName: z.string(),
    lodgedBy: z.string(),
    contact: z.string().nullable(),
    reason: z.string(),
    lodgedAt: z.string(),
    recordedBy: z.int().nullable(),
    decision: z.enum(['upheld', 'dismissed']).nullable(),
    decidedAt: z.string().nullable(),
    decidedBy: z.int().nullable(),
    note: z.string().nullable(),
  })
  .meta({ id: 'CraftsmanObjection' });

/** What the public sees: no ID numbers, ever. */
export const publicObjectionReceiptSchema = z.object({ id: z.int(), lodgedAt: z.string() });

export const forwardableTitleSchema = z
  .object({
    personTitleId: z.int(),
    personId: z.int(),
    personName: z.string(),
    titleName: z.string(),
    level: z.string(),
    conferredBy: z.string(),
    conferredAt: z.string(),
    certificateNumber: z.string().nullable(),
  })
  .meta({ id: 'ForwardableTitle' });

/** A selection on the public index: its list is up for publicity or it has named its craftsmen. */
export const publicSelectionItemSchema = z
  .object({
    id: z.int(),
    name: z.string(),
    year: z.int(),
    titleName: z.string(),
    organiser: z.string(),
    stage: z.enum(['publicity', 'named']),
    publicityEndsAt: z.string().nullable(),
    namedAt: z.string().nullable(),
    /** People on the list now: proposed during publicity; named (titles standing) and nomination awards after. */
    listed: z.int(),
    /** Of `listed`, those given (or, in publicity, proposed for) the nomination award (提名奖) rather than the title. */
    nominationAwards: z.int(),
  })
  .meta({ id: 'PublicSelectionItem' });

export const publicSelectionSchema = z
  .object({
    id: z.int(),
    name: z.string(),
    year: z.int(),
    titleName: z.string(),
    organiser: z.string(),
    stage: z.enum(['publicity', 'named']),
    publicityStartsAt: z.string().nullable(),
    publicityEndsAt: z.string().nullable(),
    objectionsOpen: z.boolean(),
    namedAt: z.string().nullable(),
    list: z.array(
      z.object({
        candidateId: z.int(),
        rank: z.int().nullable(),
        name: z.string(),
        gender: z.enum(['male', 'female']),
        employerName: z.string().nullable(),
        occupationName: z.string().nullable(),
        position: z.string(),
        award: z.enum(['title', 'nomination_award']),
        certificateNumber: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'PublicCraftsmanSelection' });

export const namingResultSchema = z.object({
  selection: selectionSchema,
  named: z.array(z.object({ candidateId: z.int(), personId: z.int(), personName: z.string(), personTitleId: z.int(), certificateNumber: z.string(), termEnds: z.string().nullable() })),
  nominationAwards: z.array(z.object({ candidateId: z.int(), personId: z.int(), personName: z.string() })),
  refused: z.array(z.object({ candidateId: z.int(), personId: z.int(), personName: z.string(), code: z.string(), reason: z.string() })),
});

export const revokeBody = z.object({ reason: z.string().trim().min(2).max(500) });
export const craftsmanTitleSchema = z.object({
  id: z.int(),
  personId: z.int(),
  titleTypeId: z.int(),
  selectionId: z.int().nullable(),
  certificateNumber: z.string().nullable(),
  conferredAt: z.string(),
  termEnds: z.string().nullable(),
  revokedAt: z.string().nullable(),
  revokeReason: z.string().nullable(),
});

/** A title a selection conferred, as the union that named it manages it: its term, its yearly reviews, revocation. */
export const selectionTitleSchema = craftsmanTitleSchema
  .extend({
    personName: z.string(),
    /** The day it was named (the certificate's date). */
    namedOn: z.string(),
    standing: z.enum(['active', 'expired', 'revoked']),
    reviews: z.array(z.object({ year: z.int(), outcome: z.enum(['passed', 'failed']), note: z.string(), recordedAt: z.string() })),
    /** Years of a fixed term begun by today without a review outcome. */
    reviewsMissing: z.array(z.int()),
  })
  .meta({ id: 'SelectionTitle' });

export const yearlyReviewBody = z
  .object({
    year: z.int().min(2000).max(2100),
    outcome: z.enum(['passed', 'failed']),
    /** Why, for a failed review (and any remark for a passed one). */
    note: z.string().trim().max(500).default(''),
  })
  .superRefine((b, ctx) => {
    if (b.outcome === 'failed' && b.note.length < 2) ctx.addIssue({ code: 'custom', path: ['note'], message: 'a failed review says why' });
  });

export const paymentBody = z.object({
  candidateId: z.int().positive(),
  paidOn: isoDate,
  amountYuan: z.number().positive().max(10_000_000).describe("yuan; kept to the fen"),
  voucherNumber: z.string().trim().min(1).max(40),
  budgetYear: z.int().min(2000).max(2100),
});

export const paymentSchema = z.object({
  id: z.int(),
  candidateId: z.int(),
  personTitleId: z.int().nullable(),
  paidOn: z.string(),
  amountYuan: z.number(),
  voucherNumber: z.string(),
  budgetYear: z.int(),
  recordedBy: z.int(),
});

export const rewardsSchema = z
  .object({
    selectionId: z.int(),
    reward: titleRewardSchema,
    nominationAwardYuan: z.number().nullable(),
    due: z.number(),
    paid: z.number(),
    outstanding: z.number(),
    recipients: z.array(
      z.object({
        candidateId: z.int(),
        personId: z.int(),
        personName: z.string(),
        award: z.enum(['title', 'nomination_award']),
        personTitleId: z.int().nullable(),
        revoked: z.boolean(),
        due: z.number(),
        paid: z.number(),
        outstanding: z.number(),
      }),
    ),
    byBudgetYear: z.array(z.object({ budgetYear: z.int(), paid: z.number(), payments: z.int() })),
    payments: z.array(paymentSchema),
  })
  .meta({ id: 'CraftsmanRewards' });

export const listSelectionsQuery = z.object({ year: decimalId.optional(), status: selectionStatusSchema.optional() });
export const candidateParams = z.object({ id: decimalId });

// ---- The review step: panel, sheets, ranking, committee ----

export const addReviewerBody = z
  .object({
    /** A staff account of the running union's or a co-organiser's subtree: scores on their own sheet. */
    accountId: z.int().positive().optional(),
    /** …or an outside expert by name, whose paper sheets the union's staff enter. */
    expertName: nameText(40).optional(),
    body: setupKey.describe('a body key of the review setup'),
    /** The employer for recusal: an organisation, or a name as written; default the account's employer organisation. */
    employerId: z.int().positive().nullable().optional(),
    employerName: employerText.nullable().optional(),
    /** Candidate ids the reviewer declared a relation with (亲属、师徒…). */
    relations: z.array(z.int().positive()).max(200).default([]),
  })
  .superRefine((b, ctx) => {
    if ((b.accountId === undefined) === (b.expertName === undefined)) ctx.addIssue({ code: 'custom', path: ['accountId'], message: 'give accountId or expertName, one of them' });
    if (b.employerId != null && b.employerName != null) ctx.addIssue({ code: 'custom', path: ['employerName'], message: 'give the employer as an organisation or as text, not both' });
  });
export type AddReviewerInput = z.infer<typeof addReviewerBody>;

export const recusalReasonSchema = z.enum(['same_employer', 'declared_relation']);

/** An active staff account within reach of a selection, to seat on the panel or the committee: no username, nothing of sign-in. */
export const eligibleAccountSchema = z
  .object({
    id: z.int(),
    displayName: z.string(),
    role: z.enum(['admin', 'organiser', 'hr_officer', 'studio_officer', 'viewer']),
    orgName: z.string(),
  })
  .meta({ id: 'SelectionEligibleAccount' });

export const selectionReviewerSchema = z
  .object({
    id: z.int(),
    selectionId: z.int(),
    accountId: z.int().nullable(),
    name: z.string(),
    outsideExpert: z.boolean(),
    body: z.string(),
    employerId: z.int().nullable(),
    employerName: z.string().nullable(),
    relations: z.array(z.int()),
    standsAsideFrom: z.array(z.object({ candidateId: z.int(), reasons: z.array(recusalReasonSchema) })),
    completeSheets: z.int().describe('candidate × step sheets with every item scored'),
  })
  .meta({ id: 'SelectionReviewer' });

export const relationsBody = z.object({ candidateIds: z.array(z.int().positive()).max(200) });

export const reviewScoresBody = z.object({
  candidateId: z.int().positive(),
  step: setupKey.default('review'),
  /** The points for this candidate in this step, replacing the reviewer's earlier ones; a sheet may be handed in part by part. */
  items: z.array(z.object({ itemId: z.string().min(1).max(40), points: z.number() })).min(1).max(50),
});
export type ReviewScoresInput = z.infer<typeof reviewScoresBody>;

export const reviewerSheetSchema = z
  .object({
    /**
     * What the sheet page shows of the selection: a reviewer from a lower union or a co-organiser
     * may not be allowed to read the selection itself (`canOpen` says whether its page opens).
     */
    selection: z.object({ id: z.int(), name: z.string(), year: z.int(), titleName: z.string(), orgName: z.string(), canOpen: z.boolean() }),
    reviewer: z.object({
      id: z.int(),
      name: z.string(),
      body: z.string(),
      /** The body's printed name in the review setup (工会, 人社部门, 专家). */
      bodyName: z.string(),
      /** Candidate ids the reviewer declared a relation with. */
      relations: z.array(z.int()),
      /** The candidates left off the sheet, and why. */
      standsAsideFrom: z.array(z.object({ candidateId: z.int(), reasons: z.array(recusalReasonSchema) })),
    }),
    status: selectionStatusSchema,
    reviewClosed: z.boolean(),
    /** The steps the reviewer's body scores, each with the candidates they score (never those they stand aside from). */
    steps: z.array(
      z.object({
        key: z.string(),
        name: z.string(),
        items: z.array(z.object({ id: z.string(), name: z.string(), max: z.number(), group: z.string().nullable().optional() })),
        candidates: z.array(
          z.object({
            candidateId: z.int(),
            personName: z.string(),
            employerName: z.string().nullable(),
            occupationName: z.string().nullable(),
            position: z.string(),
            points: z.record(z.string(), z.number()),
            complete: z.boolean(),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'SelectionReviewerSheet' });

const bodyScoreSchema = z.object({ score: z.number().nullable(), sheets: z.int(), incompleteSheets: z.int(), expectedSheets: z.int(), fellBack: z.boolean() });

export const tieDecisionSchema = z.object({ candidateIds: z.array(z.int()), reason: z.string(), decidedBy: z.int(), decidedAt: z.string() });

export const reviewRankingSchema = z
  .object({
    selectionId: z.int(),
    setup: reviewSetupSchema,
    quota: z.int().nullable(),
    closed: z.boolean(),
    closedAt: z.string().nullable(),
    rows: z.array(
      z.object({
        candidateId: z.int(),
        personName: z.string(),
        employerName: z.string().nullable(),
        steps: z.record(z.string(), z.object({ score: z.number().nullable(), bodies: z.record(z.string(), bodyScoreSchema) })),
        final: z.number().nullable(),
        rank: z.int().nullable(),
        sharedRank: z.boolean(),
        passes: z.boolean(),
        selected: z.boolean(),
        tiedAtLine: z.boolean(),
        /** Placed by the committee among those tied at the quota line. */
        chosenByCommittee: z.boolean(),
      }),
    ),
    summary: z.object({ quota: z.int().nullable(), passed: z.int(), selected: z.int(), tiedAtLine: z.int(), placesToDecide: z.int(), placesUnfilled: z.int() }),
    tieDecision: tieDecisionSchema.nullable(),
  })
  .meta({ id: 'SelectionReviewRanking' });

export const tieDecisionBody = z.object({
  /** The tied candidates the committee places on the list: at most placesToDecide (none leaves the places empty). */
  candidateIds: z.array(z.int().positive()).max(1000),
  reason: z.string().trim().min(2).max(500),
});

export const committeeBody = z.object({
  members: z
    .array(
      z
        .object({ accountId: z.int().positive().optional(), name: nameText(40).optional() })
        .superRefine((m, ctx) => {
          if ((m.accountId === undefined) === (m.name === undefined)) ctx.addIssue({ code: 'custom', path: ['accountId'], message: 'give accountId or name, one of them' });
        }),
    )
    .min(1)
    .max(50),
});

export const voteChoiceSchema = z.enum(VOTE_CHOICES);
export const reopenReviewBody = z.object({ reason: z.string().trim().min(2).max(500) });

export const myTasksSchema = z
  .object({
    reviews: z.array(
      z.object({
        selectionId: z.int(),
        name: z.string(),
        titleName: z.string(),
        orgName: z.string(),
        status: selectionStatusSchema,
        reviewClosed: z.boolean(),
        bodyName: z.string(),
        /** Candidate sheets complete of those to score (over every step the reviewer's body scores). */
        complete: z.int(),
        total: z.int(),
      }),
    ),
    votes: z.array(
      z.object({
        selectionId: z.int(),
        name: z.string(),
        status: selectionStatusSchema,
        round: z.int(),
        choice: voteChoiceSchema.nullable(),
        /** The list is up for the vote now. */
        open: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'MySelectionTasks' });
export const voteBody = z.object({
  choice: voteChoiceSchema,
  /** A manager recording a member's paper ballot names the member; a member voting for themselves leaves it out. */
  memberId: z.int().positive().optional(),
});

const voteTallySchema = z.object({
  rule: z.enum(VOTE_RULES),
  members: z.int(),
  cast: z.int(),
  for: z.int(),
  against: z.int(),
  abstain: z.int(),
  absent: z.int(),
  forNeeded: z.int(),
  passed: z.boolean(),
  /** Cannot pass any more, even if every member still to vote voted for. */
  lost: z.boolean(),
});

export const committeeSchema = z
  .object({
    selectionId: z.int(),
    voteRule: z.enum(VOTE_RULES).nullable(),
    /** The vote round now counting: 1, or more after a list voted down went back to the panel. */
    round: z.int(),
    members: z.array(z.object({ id: z.int(), accountId: z.int().nullable(), name: z.string(), choice: voteChoiceSchema.nullable(), at: z.string().nullable(), recordedBy: z.int().nullable() })),
    tally: voteTallySchema.nullable(),
    earlierRounds: z.array(z.object({ round: z.int(), reason: z.string(), reopenedAt: z.string(), tally: voteTallySchema })),
  })
  .meta({ id: 'SelectionCommittee' });
