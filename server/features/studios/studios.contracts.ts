import { z } from 'zod';
import { decimalId } from '../../contracts/common.ts';
import {
  awardTiersConfigSchema,
  benefitCriterionSchema,
  evaluationAggregationSchema,
  evaluationBodySchema,
  fiveSmallsCategorySchema,
  honourCodeSchema,
  indicatorSheetSchema,
  patentKindSchema,
  studioActionSchema,
  studioFiguresSchema,
  studioKindSchema,
  studioLevelSchema,
  studioLineSchema,
  studioStatusSchema,
  weightScale,
} from '../../contracts/studios.ts';

/**
 * The HTTP wire shapes of the innovation-studio endpoints: one schema per request and response.
 * Pure zod (imports nothing but zod and the studio rule contracts), so the web app imports its
 * types too. The rule data and domain shapes stay in server/contracts/studios.ts.
 */

const id = z.int().positive();
const isoDate = z.iso.date();
const text = (max: number) => z.string().trim().max(max);
const yuan = z.number().min(0).max(100_000_000_000);
const year = z.int().min(1949).max(2200);

/** An organisation, person or studio as a link: id and name. */
export const refSchema = z.object({ id: z.int(), name: z.string() }).meta({ id: 'StudioRef' });
export type Ref = z.infer<typeof refSchema>;

const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.int(), page: z.int(), pageSize: z.int() });
}

// ---------------------------------------------------------------------------------------
// Studios

/** The four functions a studio serves. */
export const studioFunctionSchema = z
  .enum(['technical_innovation', 'problem_tackling', 'apprenticeship', 'craft_heritage'])
  .meta({ id: 'StudioFunction' });
export type StudioFunction = z.infer<typeof studioFunctionSchema>;

export const STUDIO_FUNCTION_NAMES: Readonly<Record<StudioFunction, string>> = {
  technical_innovation: '技术创新',
  problem_tackling: '技术攻关',
  apprenticeship: '带徒传技',
  craft_heritage: '挖掘传承',
};

/** Where a studio stands in its term (the domain's termStatus). */
export const termStatusSchema = z.enum(['not_recognised', 'in_term', 'final_year', 'expired']).meta({ id: 'StudioTermStatus' });

export const studioSummarySchema = z
  .object({
    id: z.int(),
    name: z.string(),
    kind: studioKindSchema,
    line: studioLineSchema,
    status: studioStatusSchema,
    level: studioLevelSchema.nullable(),
    host: refSchema,
    /** The organisation directly above the host (its township or park union, or the county). */
    area: refSchema.nullable(),
    leader: refSchema,
    field: z.string(),
    recognisedOn: z.string().nullable(),
    termEndsOn: z.string().nullable(),
    bannedUntil: z.string().nullable(),
    termStatus: termStatusSchema,
    memberCount: z.int(),
  })
  .meta({ id: 'StudioSummary' });
export type StudioSummary = z.infer<typeof studioSummarySchema>;

export const studioMemberSchema = z
  .object({
    id: z.int(),
    person: refSchema,
    employer: refSchema.nullable(),
    skillLevel: z.int().nullable(),
    role: z.enum(['core', 'member', 'apprentice']),
    joinedOn: z.string().nullable(),
  })
  .meta({ id: 'StudioMember' });
export type StudioMember = z.infer<typeof studioMemberSchema>;

export const studioStepRecordSchema = z
  .object({
    id: z.int(),
    action: studioActionSchema,
    decision: z.string(),
    from: studioStatusSchema.nullable(),
    to: studioStatusSchema,
    date: z.string(),
    decidedBy: z.object({ body: z.enum(['union', 'hr_bureau', 'joint', 'applicant']), organisationId: z.int().nullable(), name: z.string() }),
    level: studioLevelSchema.nullable(),
    termEndsOn: z.string().nullable(),
    bannedUntil: z.string().nullable(),
    note: z.string(),
    evaluationId: z.int().nullable(),
    recordedBy: z.string().nullable(),
  })
  .meta({ id: 'StudioStepRecord' });
export type StudioStepRecord = z.infer<typeof studioStepRecordSchema>;

export const fundingKindSchema = z.enum(['new_studio', 'reconfirmation', 'annual', 'project', 'other']).meta({ id: 'StudioFundingKind' });
export type FundingKind = z.infer<typeof fundingKindSchema>;

export const FUNDING_KIND_NAMES: Readonly<Record<FundingKind, string>> = {
  new_studio: '新建补助',
  reconfirmation: '复核认定补助',
  annual: '年度运行经费',
  project: '项目资助',
  other: '其他',
};

export const studioFundingSchema = z
  .object({
    id: z.int(),
    year: z.int(),
    kind: fundingKindSchema,
    amountYuan: z.number(),
    source: z.string(),
    receivedOn: z.string().nullable(),
    note: z.string(),
  })
  .meta({ id: 'StudioFunding' });
export type StudioFundingRecord = z.infer<typeof studioFundingSchema>;

export const yearFiguresSchema = z.object({ year: z.int(), figures: studioFiguresSchema }).meta({ id: 'StudioYearFiguresRow' });

export const studioDetailSchema = studioSummarySchema
  .extend({
    leaderHonours: z.array(z.string()),
    leaderSkillLevel: z.int().nullable(),
    /** The kind's leader rule applied to the leader today (满足其一即可). */
    leaderEligibility: z.object({ ok: z.boolean(), satisfiedBy: z.string().nullable(), reasons: z.array(z.string()) }),
    siteAreaM2: z.number().nullable(),
    foundedOn: z.string().nullable(),
    functions: z.array(studioFunctionSchema),
    description: z.string(),
    termStartsOn: z.string().nullable(),
    lastStepOn: z.string(),
    members: z.array(studioMemberSchema),
    steps: z.array(studioStepRecordSchema),
    funding: z.array(studioFundingSchema),
    fundingTotalYuan: z.number(),
    figuresByYear: z.array(yearFiguresSchema),
    figuresTotal: studioFiguresSchema,
    /** Whether the caller may change this studio (its line's staff in scope). */
    canManage: z.boolean(),
    /** Decisions the studio's status allows now (the date and body are checked when taken). */
    possibleActions: z.array(studioActionSchema),
    rule: z.object({ termYears: z.int(), reapplyBanYears: z.int(), leaderRule: z.array(z.string()) }),
  })
  .meta({ id: 'StudioDetail' });
export type StudioDetail = z.infer<typeof studioDetailSchema>;

export const studioListSchema = pageOf(studioSummarySchema);

export const listStudiosQuery = pageQuery.extend({
  kind: studioKindSchema.optional(),
  level: studioLevelSchema.optional(),
  status: studioStatusSchema.optional(),
  line: studioLineSchema.optional(),
  /** Only studios hosted in this organisation's subtree (inside the caller's scope). */
  orgId: decimalId.optional(),
  q: z.string().trim().max(100).optional(),
});
export type ListStudiosQuery = z.infer<typeof listStudiosQuery>;
export const exportStudiosQuery = listStudiosQuery.omit({ page: true, pageSize: true });

const memberInput = z.object({ personId: id, role: z.enum(['core', 'member', 'apprentice']).default('member'), joinedOn: isoDate.nullable().default(null) });

/** An application (申报) registered by staff on behalf of the host employer. */
export const createStudioBody = z.object({
  name: text(100).min(1),
  kind: studioKindSchema,
  hostEmployerId: id,
  leaderPersonId: id,
  leaderHonours: z.array(honourCodeSchema).max(20).default([]),
  field: text(100).default(''),
  siteAreaM2: z.number().positive().max(1_000_000).nullable().default(null),
  foundedOn: isoDate.nullable().default(null),
  functions: z.array(studioFunctionSchema).min(1, 'at least one of the four functions').max(4),
  description: text(2000).default(''),
  /** The application date (the first step of the life cycle). */
  appliedOn: isoDate,
  note: text(2000).default(''),
  members: z.array(memberInput).max(200).default([]),
});
export type CreateStudioInput = z.infer<typeof createStudioBody>;

// Built without defaults: a PATCH that leaves a field out must leave it unchanged.
export const updateStudioBody = z
  .object({
    name: text(100).min(1),
    leaderPersonId: id,
    leaderHonours: z.array(honourCodeSchema).max(20),
    field: text(100),
    siteAreaM2: z.number().positive().max(1_000_000).nullable(),
    foundedOn: isoDate.nullable(),
    functions: z.array(studioFunctionSchema).min(1).max(4),
    description: text(2000),
  })
  .partial();
export type UpdateStudioInput = z.infer<typeof updateStudioBody>;

/** A life-cycle decision after the application. */
export const studioDecisionBody = z.object({
  action: studioActionSchema.exclude(['apply']),
  date: isoDate,
  level: studioLevelSchema.optional(),
  termYears: z.int().min(1).max(10).optional(),
  banYears: z.int().min(0).max(20).optional(),
  note: text(2000).default(''),
  /** Recorded as a joint decision of the union and the HR bureau (联合). */
  joint: z.boolean().default(false),
  /** The deciding body's name when it is not the caller's organisation (e.g. 合肥市总工会 for a city-level recognition). */
  decidedByName: text(200).optional(),
});
export type StudioDecisionInput = z.infer<typeof studioDecisionBody>;

export const addMemberBody = memberInput;
export type AddMemberInput = z.infer<typeof addMemberBody>;

export const fundingBody = z.object({
  year,
  kind: fundingKindSchema,
  amountYuan: yuan,
  source: text(200).min(1),
  receivedOn: isoDate.nullable().default(null),
  note: text(500).default(''),
});
export type FundingInput = z.infer<typeof fundingBody>;

export const studioSubParams = z.object({ id: decimalId, itemId: decimalId });

// ---------------------------------------------------------------------------------------
// Achievements

const achievementBase = {
  year,
  title: text(200).default(''),
  /** The member credited, when the result is one person's. */
  personId: id.nullable().default(null),
  achievedOn: isoDate.nullable().default(null),
  note: text(500).default(''),
};
const count = z.int().min(1).max(100_000).default(1);

export const achievementBody = z.discriminatedUnion('type', [
  z.object({ ...achievementBase, type: z.literal('innovation_result'), count }),
  z.object({ ...achievementBase, type: z.literal('patent'), patentKind: patentKindSchema, count, patentNumber: text(40).nullable().default(null) }),
  z.object({ ...achievementBase, type: z.literal('technical_breakthrough'), count }),
  z.object({ ...achievementBase, type: z.literal('five_smalls'), count }),
  z.object({ ...achievementBase, type: z.literal('economic_benefit'), amountYuan: yuan }),
  z.object({ ...achievementBase, type: z.literal('apprentices'), trained: z.int().min(0).max(100_000), promoted: z.int().min(0).max(100_000) }),
]);
export type AchievementBodyInput = z.infer<typeof achievementBody>;

export const achievementTypeSchema = z
  .enum(['innovation_result', 'patent', 'technical_breakthrough', 'five_smalls', 'economic_benefit', 'apprentices'])
  .meta({ id: 'StudioAchievementType' });
export type AchievementType = z.infer<typeof achievementTypeSchema>;

export const studioAchievementSchema = z
  .object({
    id: z.int(),
    studioId: z.int(),
    year: z.int(),
    type: achievementTypeSchema,
    count: z.int().nullable(),
    patentKind: patentKindSchema.nullable(),
    patentNumber: z.string().nullable(),
    amountYuan: z.number().nullable(),
    trained: z.int().nullable(),
    promoted: z.int().nullable(),
    title: z.string(),
    person: refSchema.nullable(),
    achievedOn: z.string().nullable(),
    note: z.string(),
  })
  .meta({ id: 'StudioAchievementRecord' });
export type StudioAchievementRecord = z.infer<typeof studioAchievementSchema>;

export const listAchievementsQuery = z.object({ year: z.coerce.number().int().min(1949).max(2200).optional(), type: achievementTypeSchema.optional() });

// ---------------------------------------------------------------------------------------
// Figures and dashboard

export const figuresQuery = z.object({
  orgId: decimalId.optional(),
  fromYear: z.coerce.number().int().min(1949).max(2200).optional(),
  toYear: z.coerce.number().int().min(1949).max(2200).optional(),
});
export type FiguresQuery = z.infer<typeof figuresQuery>;

export const subtreeTotalsSchema = z
  .object({ org: refSchema, parentId: z.int().nullable(), studios: z.int(), total: studioFiguresSchema, byYear: z.array(yearFiguresSchema) })
  .meta({ id: 'StudioSubtreeTotals' });

export const studioFiguresReportSchema = z
  .object({
    org: refSchema,
    /** Each studio's figures per year (studios with nothing reported are left out). */
    byStudio: z.array(z.object({ studio: refSchema, year: z.int(), figures: studioFiguresSchema })),
    /** The organisation's subtree totals, then each organisation under it that has studios. */
    subtree: z.array(subtreeTotalsSchema),
  })
  .meta({ id: 'StudioFiguresReport' });
export type StudioFiguresReport = z.infer<typeof studioFiguresReportSchema>;

export const studioDashboardSchema = z
  .object({
    org: refSchema,
    studios: z.object({ total: z.int(), inRegistry: z.int(), applying: z.int(), delisted: z.int() }),
    /** Studios in the registry (recognised, warned or awaiting re-confirmation). */
    byKind: z.array(z.object({ kind: studioKindSchema, count: z.int() })),
    byLevel: z.array(z.object({ level: studioLevelSchema, count: z.int() })),
    byStatus: z.array(z.object({ status: studioStatusSchema, count: z.int() })),
    /** Per organisation directly under the chosen one (county for a city, township for a county). */
    byArea: z.array(z.object({ org: refSchema, inRegistry: z.int(), total: z.int() })),
    years: z.array(yearFiguresSchema),
    total: studioFiguresSchema,
    fundingByYear: z.array(z.object({ year: z.int(), amountYuan: z.number() })),
    /** Studios in the last year of their term or past it: re-confirmation (复核) is due. */
    due: z.array(z.object({ studio: refSchema, termEndsOn: z.string().nullable(), termStatus: termStatusSchema })),
    recentSteps: z.array(z.object({ studio: refSchema, date: z.string(), decision: z.string() })),
  })
  .meta({ id: 'StudioDashboard' });
export type StudioDashboard = z.infer<typeof studioDashboardSchema>;

// ---------------------------------------------------------------------------------------
// Evaluation

export const indicatorSheetRecordSchema = z
  .object({ id: z.int(), org: refSchema, name: z.string(), items: indicatorSheetSchema.shape.items })
  .meta({ id: 'StudioIndicatorSheetRecord' });
export type IndicatorSheetRecord = z.infer<typeof indicatorSheetRecordSchema>;

export const indicatorSheetListSchema = z.object({ preset: indicatorSheetSchema, items: z.array(indicatorSheetRecordSchema) });

export const bodyResultSchema = z
  .object({ score: z.number().nullable(), sheets: z.int(), incompleteSheets: z.int(), fellBack: z.boolean() })
  .meta({ id: 'StudioEvaluationBodyResult' });

export const evaluationSummarySchema = z
  .object({
    id: z.int(),
    name: z.string(),
    year: z.int(),
    org: refSchema,
    status: z.enum(['open', 'closed']),
    unionWeight: z.number(),
    hrWeight: z.number(),
    threshold: z.number(),
    applicantCount: z.int(),
    reviewerCount: z.int(),
    closedOn: z.string().nullable(),
  })
  .meta({ id: 'StudioEvaluationSummary' });
export type EvaluationSummary = z.infer<typeof evaluationSummarySchema>;

export const evaluationRankingRowSchema = z
  .object({
    studio: refSchema,
    kind: studioKindSchema,
    host: refSchema,
    status: studioStatusSchema,
    union: bodyResultSchema,
    hrBureau: bodyResultSchema,
    combined: z.number().nullable(),
    /** combined ≥ threshold. */
    passed: z.boolean(),
    rank: z.int().nullable(),
    sharedRank: z.boolean(),
    /** Complete sheets expected per body: its reviewers, less those standing aside (回避). */
    expectedSheets: z.object({ union: z.int(), hrBureau: z.int() }),
  })
  .meta({ id: 'StudioEvaluationRankingRow' });
export type EvaluationRankingRow = z.infer<typeof evaluationRankingRowSchema>;

export const evaluationReviewerSchema = z
  .object({
    id: z.int(),
    account: z.object({ id: z.int(), username: z.string(), displayName: z.string() }),
    body: evaluationBodySchema,
    employer: refSchema.nullable(),
    /** Applicants this reviewer stands aside for (their own employer's studios). */
    conflictStudioIds: z.array(z.int()),
    completeSheets: z.int(),
  })
  .meta({ id: 'StudioEvaluationReviewer' });

export const evaluationDetailSchema = evaluationSummarySchema
  .extend({
    sheet: indicatorSheetSchema,
    aggregation: z.object({ union: evaluationAggregationSchema, hr_bureau: evaluationAggregationSchema }),
    reviewers: z.array(evaluationReviewerSchema),
    /** In rank order; applicants without a combined score last. */
    ranking: z.array(evaluationRankingRowSchema),
    /** The caller's place on the panel, if any. */
    me: z.object({ reviewerId: z.int(), body: evaluationBodySchema }).nullable(),
    canManage: z.boolean(),
  })
  .meta({ id: 'StudioEvaluationDetail' });
export type EvaluationDetail = z.infer<typeof evaluationDetailSchema>;

const weightsRefinement = (o: { unionWeight?: number; hrWeight?: number }, ctx: z.core.$RefinementCtx) => {
  if (o.unionWeight === undefined || o.hrWeight === undefined) return;
  if (weightScale(o.unionWeight, o.hrWeight) === null)
    ctx.addIssue({ code: 'custom', path: ['hrWeight'], message: 'the two weights must add up to 1 or to 100' });
};

const aggregationInput = z.object({ union: evaluationAggregationSchema.default({ kind: 'mean' }), hr_bureau: evaluationAggregationSchema.default({ kind: 'mean' }) });

export const createEvaluationBody = z
  .object({
    name: text(200).min(1),
    year,
    /** A sheet the caller's bodies keep; without it (and without `sheet`) the preset. */
    sheetId: id.optional(),
    sheet: indicatorSheetSchema.optional(),
    unionWeight: z.number().min(0).max(100),
    hrWeight: z.number().min(0).max(100),
    threshold: z.number().min(0).max(1000),
    aggregation: aggregationInput.default({ union: { kind: 'mean' }, hr_bureau: { kind: 'mean' } }),
  })
  .superRefine(weightsRefinement);
export type CreateEvaluationInput = z.infer<typeof createEvaluationBody>;

export const updateEvaluationBody = z
  .object({
    name: text(200).min(1),
    unionWeight: z.number().min(0).max(100),
    hrWeight: z.number().min(0).max(100),
    threshold: z.number().min(0).max(1000),
    aggregation: aggregationInput,
  })
  .partial()
  .superRefine(weightsRefinement);
export type UpdateEvaluationInput = z.infer<typeof updateEvaluationBody>;

export const addApplicantBody = z.object({ studioId: id, date: isoDate });
export const addReviewerBody = z.object({ accountId: id, body: evaluationBodySchema, employerId: id.nullable().optional() });
export type AddReviewerInput = z.infer<typeof addReviewerBody>;

export const scoreSheetBody = z.object({
  studioId: id,
  items: z.array(z.object({ itemId: z.string().min(1).max(40), points: z.number() })).min(1).max(50),
});
export type ScoreSheetInput = z.infer<typeof scoreSheetBody>;

export const mySheetSchema = z
  .object({
    reviewer: z.object({ id: z.int(), body: evaluationBodySchema, employer: refSchema.nullable() }),
    sheet: indicatorSheetSchema,
    status: z.enum(['open', 'closed']),
    applicants: z.array(
      z.object({
        studio: refSchema,
        host: refSchema,
        kind: studioKindSchema,
        conflict: z.boolean(),
        points: z.record(z.string(), z.number()),
        complete: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'StudioReviewerSheet' });
export type MySheet = z.infer<typeof mySheetSchema>;

export const closeEvaluationBody = z.object({
  date: isoDate,
  /** Recognise every applicant at or above the threshold at this level (a joint decision); null: close only. */
  recognise: z.object({ level: studioLevelSchema, termYears: z.int().min(1).max(10).optional() }).nullable().default(null),
});
export type CloseEvaluationInput = z.infer<typeof closeEvaluationBody>;

// ---------------------------------------------------------------------------------------
// Alliances

export const allianceMemberSchema = z
  .object({
    id: z.int(),
    memberType: z.enum(['studio', 'employer']),
    studio: refSchema.nullable(),
    employer: refSchema,
    name: z.string(),
    status: z.enum(['applied', 'approved', 'rejected']),
    appliedOn: z.string(),
    decidedOn: z.string().nullable(),
    note: z.string(),
    isLead: z.boolean(),
  })
  .meta({ id: 'StudioAllianceMember' });
export type AllianceMember = z.infer<typeof allianceMemberSchema>;

export const allianceProjectSchema = z
  .object({
    id: z.int(),
    name: z.string(),
    description: z.string(),
    status: z.enum(['planned', 'ongoing', 'completed']),
    startedOn: z.string().nullable(),
    endedOn: z.string().nullable(),
    members: z.array(refSchema),
    outcome: z.string(),
  })
  .meta({ id: 'StudioAllianceProject' });

export const allianceSummarySchema = z
  .object({
    id: z.int(),
    name: z.string(),
    field: z.string(),
    org: refSchema,
    foundedOn: z.string().nullable(),
    members: z.int(),
    pendingApplications: z.int(),
    lead: refSchema.nullable(),
    projects: z.int(),
  })
  .meta({ id: 'StudioAllianceSummary' });
export type AllianceSummary = z.infer<typeof allianceSummarySchema>;

export const allianceDetailSchema = allianceSummarySchema
  .extend({
    description: z.string(),
    memberList: z.array(allianceMemberSchema),
    leads: z.array(z.object({ member: refSchema, fromDate: z.string(), toDate: z.string().nullable() })),
    projectList: z.array(allianceProjectSchema),
    canManage: z.boolean(),
  })
  .meta({ id: 'StudioAllianceDetail' });
export type AllianceDetail = z.infer<typeof allianceDetailSchema>;

export const createAllianceBody = z.object({
  name: text(200).min(1),
  field: text(100).default(''),
  foundedOn: isoDate.nullable().default(null),
  description: text(2000).default(''),
  /** The keeping union; the caller's organisation by default. */
  orgId: id.optional(),
});
export const updateAllianceBody = z
  .object({ name: text(200).min(1), field: text(100), foundedOn: isoDate.nullable(), description: text(2000) })
  .partial();

export const allianceApplicationBody = z.discriminatedUnion('memberType', [
  z.object({ memberType: z.literal('studio'), studioId: id, appliedOn: isoDate, note: text(500).default('') }),
  z.object({ memberType: z.literal('employer'), employerId: id, appliedOn: isoDate, note: text(500).default('') }),
]);
export type AllianceApplicationInput = z.infer<typeof allianceApplicationBody>;

export const allianceDecisionBody = z.object({ approve: z.boolean(), date: isoDate, note: text(500).default('') });
export const rotateLeadBody = z.object({ date: isoDate, memberId: id.optional() });

const projectFields = {
  name: text(200).min(1),
  description: text(2000),
  status: z.enum(['planned', 'ongoing', 'completed']),
  startedOn: isoDate.nullable(),
  endedOn: isoDate.nullable(),
  memberIds: z.array(id).max(100),
  outcome: text(2000),
};
export const createProjectBody = z.object({
  ...projectFields,
  description: projectFields.description.default(''),
  status: projectFields.status.default('ongoing'),
  startedOn: projectFields.startedOn.default(null),
  endedOn: projectFields.endedOn.default(null),
  outcome: projectFields.outcome.default(''),
});
export type CreateProjectInput = z.infer<typeof createProjectBody>;
export const updateProjectBody = z.object(projectFields).partial();
export type UpdateProjectInput = z.infer<typeof updateProjectBody>;

// ---------------------------------------------------------------------------------------
// Five smalls (五小)

const screeningRules = z.object({
  categories: z.array(fiveSmallsCategorySchema).min(1).default(['invention', 'creation', 'innovation', 'design', 'suggestion']),
  completedFrom: isoDate.nullable().default(null),
  completedTo: isoDate.nullable().default(null),
  requireImplemented: z.boolean().default(true),
  excludePreviouslyAwarded: z.boolean().default(true),
  maxEntriesPerSubmitter: z.int().min(1).nullable().default(null),
});
export type ScreeningRules = z.infer<typeof screeningRules>;
export const screeningRulesSchema = screeningRules.meta({ id: 'FiveSmallsScreeningRules' });

const weights = z.object({
  economic: z.number().min(0).max(100).default(1),
  social: z.number().min(0).max(100).default(1),
  safety: z.number().min(0).max(100).default(1),
  management: z.number().min(0).max(100).default(1),
});

export const departmentInput = z.object({
  name: text(200).min(1),
  organisationId: id.nullable().default(null),
  weights: weights.default({ economic: 1, social: 1, safety: 1, management: 1 }),
});

export const createCampaignBody = z.object({
  name: text(200).min(1),
  year,
  screening: screeningRules.default({
    categories: ['invention', 'creation', 'innovation', 'design', 'suggestion'],
    completedFrom: null,
    completedTo: null,
    requireImplemented: true,
    excludePreviouslyAwarded: true,
    maxEntriesPerSubmitter: null,
  }),
  departments: z.array(departmentInput).min(1).max(20),
  maxPoints: z.number().positive().max(1000).default(100),
  requireAllDepartments: z.boolean().default(true),
  tiers: awardTiersConfigSchema,
});
export type CreateCampaignInput = z.infer<typeof createCampaignBody>;

export const updateCampaignBody = z
  .object({ name: text(200).min(1), screening: screeningRules, tiers: awardTiersConfigSchema, requireAllDepartments: z.boolean() })
  .partial();
export type UpdateCampaignInput = z.infer<typeof updateCampaignBody>;

export const campaignEntryBody = z.object({
  category: fiveSmallsCategorySchema,
  title: text(200).min(1),
  submitter: z.discriminatedUnion('type', [z.object({ type: z.literal('worker'), personId: id }), z.object({ type: z.literal('studio'), studioId: id })]),
  completedOn: isoDate,
  implemented: z.boolean(),
  previouslyAwarded: z.boolean().default(false),
  summary: text(2000).default(''),
});
export type CampaignEntryInput = z.infer<typeof campaignEntryBody>;

export const exclusionBody = z.object({ reason: text(500).min(1).nullable() });

export const departmentScoreBody = z.object({
  departmentId: id,
  entryId: id,
  points: z
    .object({ economic: z.number(), social: z.number(), safety: z.number(), management: z.number() })
    .partial()
    .refine((p) => Object.keys(p).length > 0, 'at least one criterion'),
});
export type DepartmentScoreInput = z.infer<typeof departmentScoreBody>;

export const awardCampaignBody = z.object({ date: isoDate });

export const campaignSummarySchema = z
  .object({
    id: z.int(),
    name: z.string(),
    year: z.int(),
    org: refSchema,
    status: z.enum(['open', 'awarded']),
    entries: z.int(),
    eligible: z.int(),
    awarded: z.int(),
    awardedOn: z.string().nullable(),
  })
  .meta({ id: 'FiveSmallsCampaignSummary' });
export type CampaignSummary = z.infer<typeof campaignSummarySchema>;

export const campaignEntrySchema = z
  .object({
    id: z.int(),
    category: fiveSmallsCategorySchema,
    title: z.string(),
    submitter: z.object({ type: z.enum(['worker', 'studio']), id: z.int(), name: z.string() }),
    employer: refSchema.nullable(),
    completedOn: z.string(),
    implemented: z.boolean(),
    previouslyAwarded: z.boolean(),
    summary: z.string(),
    exclusionReason: z.string().nullable(),
    eligible: z.boolean(),
    reasons: z.array(z.object({ code: z.string(), message: z.string() })),
    departmentScores: z.array(
      z.object({ departmentId: z.int(), score: z.number().nullable(), points: z.partialRecord(benefitCriterionSchema, z.number()) }),
    ),
    combined: z.number().nullable(),
    rank: z.int().nullable(),
    sharedRank: z.boolean(),
    tier: z.int().nullable(),
    prizeYuan: z.number().nullable(),
  })
  .meta({ id: 'FiveSmallsCampaignEntry' });
export type CampaignEntry = z.infer<typeof campaignEntrySchema>;

export const campaignDetailSchema = campaignSummarySchema
  .extend({
    screening: screeningRules,
    maxPoints: z.number(),
    requireAllDepartments: z.boolean(),
    tiers: awardTiersConfigSchema,
    departments: z.array(
      z.object({
        id: z.int(),
        name: z.string(),
        organisation: refSchema.nullable(),
        weights: z.object({ economic: z.number(), social: z.number(), safety: z.number(), management: z.number() }),
      }),
    ),
    /** Eligible entries in rank order (unranked last), then the screened-out ones. */
    entryList: z.array(campaignEntrySchema),
    tierSummary: z.array(
      z.object({ tier: z.int(), planned: z.int(), awarded: z.int(), prizeYuanEach: z.number().nullable(), totalYuan: z.number().nullable() }),
    ),
    totalPrizeYuan: z.number().nullable(),
    /** Eligible entries every department (or, when not required, some department) has scored. */
    ranked: z.int(),
    canManage: z.boolean(),
  })
  .meta({ id: 'FiveSmallsCampaignDetail' });
export type CampaignDetail = z.infer<typeof campaignDetailSchema>;

export const campaignSubParams = z.object({ id: decimalId, entryId: decimalId });

// ---------------------------------------------------------------------------------------
// Choices for the forms

export const hostChoiceSchema = z
  .object({ id: z.int(), name: z.string(), kind: z.enum(['employer', 'department']), area: z.string().nullable() })
  .meta({ id: 'StudioHostChoice' });
export type HostChoice = z.infer<typeof hostChoiceSchema>;

export const peopleChoiceSchema = z
  .object({ id: z.int(), name: z.string(), skillLevel: z.int().nullable(), occupationName: z.string().nullable(), employer: refSchema.nullable() })
  .meta({ id: 'StudioPersonChoice' });
export type PersonChoice = z.infer<typeof peopleChoiceSchema>;

export const reviewerChoiceSchema = z
  .object({
    id: z.int(),
    username: z.string(),
    displayName: z.string(),
    role: z.string(),
    org: z.object({ id: z.int(), name: z.string(), kind: z.string() }),
  })
  .meta({ id: 'StudioReviewerChoice' });
export type ReviewerChoice = z.infer<typeof reviewerChoiceSchema>;

export const lookupPeopleQuery = z.object({ employerId: decimalId.optional(), q: z.string().trim().max(50).optional() });
export const lookupAccountsQuery = z.object({ q: z.string().trim().max(50).optional() });
