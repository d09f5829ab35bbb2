/**
 * The review engine shared by the studios' joint evaluation and the craftsman selection: a
 * panel of reviewers in bodies scores candidates on indicator sheets, step by step, with
 * recusal; scores are combined by settable weights, ranked with shared ranks and cut by
 * threshold and quota; the committee votes on the list. Pure functions, no I/O.
 */
export {
  DEFAULT_STEP,
  checkReviewSteps,
  mustStandAside,
  recusalReasons,
  scoreReview,
  sharesEmployer,
  sheetGroups,
  validateReviewScores,
  weightScaleOf,
} from './engine.ts';
export type {
  BodyScore,
  CandidateScore,
  RecusalReason,
  ReviewAggregation,
  ReviewBody,
  ReviewCandidate,
  ReviewConfigProblem,
  ReviewItem,
  ReviewProblem,
  ReviewReviewer,
  ReviewScore,
  ReviewSheet,
  ReviewStep,
  ScoreReviewOptions,
  StepScore,
} from './engine.ts';
export { combineReview, placeByScore, rankReview } from './selection.ts';
export type { Placed, QuotaSummary, ReviewConfig, ReviewOutcome, ReviewRow, SelectionRules } from './selection.ts';
export { rankByScore } from './shared-ranks.ts';
export type { RankedItem } from './shared-ranks.ts';
export { VOTE_CHOICES, VOTE_RULES, tallyVote } from './vote.ts';
export type { Vote, VoteChoice, VoteProblem, VoteRule, VoteTally } from './vote.ts';
