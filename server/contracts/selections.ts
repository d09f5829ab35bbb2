import { z } from 'zod';
import { titleKeySchema, titleLevelSchema } from './awards.ts';
import { decimalId, isoDate, nameText } from './common.ts';
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
    candidateCounts: z.record(z.string(), z.int()).describe('Candidates by status'),
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
