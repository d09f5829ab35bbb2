/**
 * Judging beyond the scores: trainee (shadow) judges, judge quality with the home-group check,
 * and standardised scores across events. Pure; depends only on the scheme contract and the engine.
 */
export { averageRanks, mean, median, pearson, spearman } from './statistics.ts';
export { binomial, diffOfDiffsTest, EXACT_LIMIT, MONTE_CARLO_PERMUTATIONS, seededRandom } from './permutation.ts';
export type { DiffOfDiffsResult } from './permutation.ts';
export { STANDARD_MEAN, STANDARD_SD, standardiseTotals } from './standardise.ts';
export type { StandardisedScores } from './standardise.ts';
export { panelValueOnMarkScale, unitMarks } from './unit-marks.ts';
export type { UnitMark } from './unit-marks.ts';
export { compareTrainee, countingMarks, MIN_ENTRIES_FOR_CORRELATION } from './trainees.ts';
export type { TraineePartComparison } from './trainees.ts';
export { judgeQuality } from './quality.ts';
export type { JudgeQuality, QualityInput, QualityRound } from './quality.ts';
