/**
 * Innovation studios (创新工作室): leader rules, the recognition life cycle, the joint union + HR
 * evaluation, the five-smalls campaign and yearly figures. Pure functions, no I/O; the rule data
 * and wire shapes live in server/contracts/studios.ts.
 */
export { checkLeaderEligibility } from './leader-eligibility.ts';
export type { LeaderEligibility, LeaderProfile, LeaderReason } from './leader-eligibility.ts';
export { canApply, openApplication, termStatus, transition } from './life-cycle.ts';
export type { Applicant, Refusal, RefusalCode, Transition, TransitionContext } from './life-cycle.ts';
export { combineEvaluation, reviewerConflict, validateScores } from './evaluation.ts';
export type { BodyResult, EvaluationRow, ScoreProblem } from './evaluation.ts';
export { awardTiers, rankFiveSmalls, screenFiveSmalls, tierCountsFromShares } from './five-smalls.ts';
export type { AwardResult, AwardRow, FiveSmallsRow, ScreeningReason, ScreeningResult } from './five-smalls.ts';
export { emptyFigures, studioYearFigures, sumFigures, totalsBySubtree } from './year-figures.ts';
export type { StudioYearFigures, SubtreeTotals } from './year-figures.ts';
export { rankByScore } from './shared-ranks.ts';
export type { RankedItem } from './shared-ranks.ts';
export { addYears, isIsoDate } from './iso-dates.ts';
