import { z } from 'zod';
import { decimalId } from './common.ts';

/**
 * Judging beyond the scores (issue 13): trainee judges, judge quality with the home-group check,
 * standardised scores. Definitions of every figure: server/domain/judging/.
 */

// ---- Trainee judges (见习裁判) ------------------------------------------------------------------

export const setTraineeBody = z.object({
  /** true: the judge marks as a trainee and none of their marks count; false: an ordinary judge. */
  trainee: z.boolean(),
});
export type SetTraineeInput = z.infer<typeof setTraineeBody>;

export const roundQuery = z.object({
  roundId: decimalId.optional().describe('Default: the first open round, else the last'),
});

const traineePartSchema = z.object({
  partId: z.string(),
  partName: z.string(),
  max: z.number(),
  /** Entries compared: the trainee has a whole part mark and the counting panel a value. */
  entries: z.int(),
  /** Mean |trainee − counting panel| in the part's points, 2 decimals. */
  meanAbsDiff: z.number().nullable(),
  /** Mean (trainee − counting panel): positive = the trainee marks higher. */
  meanDiff: z.number().nullable(),
  /** Spearman's rank correlation (ties averaged) with the panel over the entries; null below 3 entries or without spread. */
  spearman: z.number().nullable(),
  criteria: z.array(z.object({ criterionId: z.string(), criterionName: z.string(), max: z.number(), entries: z.int(), meanAbsDiff: z.number().nullable() })),
});

export const traineeReportSchema = z
  .object({
    eventId: z.int(),
    roundId: z.int(),
    rounds: z.array(z.object({ id: z.int(), seq: z.int(), name: z.string(), status: z.enum(['open', 'closed']) })),
    trainees: z.array(z.object({ judgeId: z.int(), name: z.string(), marks: z.int(), parts: z.array(traineePartSchema) })),
  })
  .meta({ id: 'TraineeReport' });
export type TraineeReport = z.infer<typeof traineeReportSchema>;

// ---- Judge quality (裁判评分质量) ------------------------------------------------------------------

export const eventQualityQuery = z.object({
  roundId: decimalId.optional().describe('Only this round (default: every round of the event)'),
  partId: z.string().regex(/^[a-z0-9_-]{1,40}$/, 'a part id of the scheme').optional().describe('Only this part'),
});

const judgeQualitySchema = z.object({
  judgeId: z.int(),
  name: z.string(),
  /** Events (competition view) the judge's marks come from. */
  events: z.array(z.string()),
  marks: z.int(),
  entries: z.int(),
  /** Mean (mark − panel median) on a 100-point scale: + lenient, − harsh. */
  meanDeviation: z.number().nullable(),
  meanAbsDeviation: z.number().nullable(),
  dropped: z.object({ eligible: z.int(), count: z.number(), share: z.number().nullable(), expectedShare: z.number().nullable() }),
  consistency: z.object({ rho: z.number().nullable(), units: z.int() }),
  home: z.object({
    /** The judge's home unit (the branch of the organising body their employer sits in); null when unknown. */
    groupName: z.string().nullable(),
    reason: z.enum(['no_home', 'no_own_entrants', 'no_other_entrants']).nullable(),
    test: z
      .object({
        ownCount: z.int(),
        otherCount: z.int(),
        /** Mean (judge − other judges' mean) over own-group entrants, 100-point scale. */
        ownMean: z.number(),
        otherMean: z.number(),
        /** ownMean − otherMean: the difference of differences. */
        difference: z.number(),
        /** Two-sided permutation p-value. */
        pValue: z.number(),
        method: z.enum(['exact', 'monte_carlo']),
        permutations: z.int(),
      })
      .nullable(),
  }),
});
export type JudgeQualityRow = z.infer<typeof judgeQualitySchema>;

export const judgeQualityReportSchema = z
  .object({
    competitionId: z.int(),
    competitionName: z.string(),
    /** null for the whole competition. */
    eventId: z.int().nullable(),
    eventName: z.string().nullable(),
    roundId: z.int().nullable(),
    partId: z.string().nullable(),
    rounds: z.array(z.object({ id: z.int(), seq: z.int(), name: z.string() })),
    parts: z.array(z.object({ id: z.string(), name: z.string() })),
    /** How the figures are defined, to print with them. */
    method: z.object({
      scale: z.literal(100),
      homeGroup: z.literal('branch_of_organiser'),
      exactLimit: z.int(),
      monteCarloPermutations: z.int(),
      seed: z.int(),
    }),
    judges: z.array(judgeQualitySchema),
  })
  .meta({ id: 'JudgeQualityReport' });
export type JudgeQualityReport = z.infer<typeof judgeQualityReportSchema>;

// ---- Standardised scores (标准分) ------------------------------------------------------------------

export const standardisationSettingSchema = z
  .object({
    /** Standardise each event's totals (mean 500, SD 100) and show them beside the raw total. */
    enabled: z.boolean(),
    /** Also on the venue screen once results are released. */
    showOnScreen: z.boolean().default(false),
    /** Name the best standardised score across the competition's events (全场最佳). */
    bestOfCompetition: z.boolean().default(false),
  })
  .meta({ id: 'StandardisationSetting' });
export type StandardisationSetting = z.infer<typeof standardisationSettingSchema>;

export const standardisedEntrySchema = z.object({
  eventId: z.int(),
  eventName: z.string(),
  number: z.int().nullable(),
  /** Only where the caller may see who is behind the number (after release: everyone). */
  name: z.string().nullable(),
  delegation: z.string().nullable(),
  total: z.number(),
  standardised: z.number(),
  /** Place across the competition by the published (2-decimal) standardised score; ties share it. */
  rank: z.int(),
});

export const competitionStandardisedSchema = z
  .object({
    competitionId: z.int(),
    setting: standardisationSettingSchema,
    events: z.array(
      z.object({
        eventId: z.int(),
        eventName: z.string(),
        released: z.boolean(),
        n: z.int(),
        mean: z.number().nullable(),
        sd: z.number().nullable(),
        spread: z.enum(['normal', 'single', 'none', 'empty']),
      }),
    ),
    /** Every counting entry across the events, best first. */
    ranking: z.array(standardisedEntrySchema),
    /** The best of the competition (ties: several); empty unless the organiser chose the award. */
    best: z.array(standardisedEntrySchema),
  })
  .meta({ id: 'CompetitionStandardised' });
export type CompetitionStandardised = z.infer<typeof competitionStandardisedSchema>;
