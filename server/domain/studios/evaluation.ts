/**
 * The joint performance evaluation (联合绩效评估) that precedes recognition: reviewers of the
 * union and of the HR bureau score each applicant studio on an indicator sheet; each body's
 * reviewers are aggregated into the body's score, the two are weighted into a combined score,
 * and the combined score is compared with the threshold and ranked.
 *
 * Since issue 11 this is a thin adapter over the review engine (server/domain/review/), which
 * the craftsman selection uses too: one step, two bodies ('union', 'hr_bureau'), no quota. The
 * exported API and every result are those of before (a frozen copy of the old implementation
 * is the oracle of test/domain/review/studios-adapter.test.ts).
 *
 * Rounding points (half-up, 2 decimals), chosen so a reviewer can recompute the result sheet
 * by hand from the printed figures:
 * (a) a body's score (mean or trimmed mean of its reviewers' totals) is rounded: it is the
 *     figure printed per body;
 * (b) the combined score = Σ rounded body score × weight, rounded.
 * A reviewer's total is the exact sum of their item points (cleaned of float noise only).
 * (The engine's point (c), weighting steps, gives back (b) unchanged with one step of weight 1.)
 */
import { weightScale } from '../../contracts/studios.ts';
import type {
  EvaluationAggregation,
  EvaluationApplicant,
  EvaluationBody,
  EvaluationOptionsInput,
  EvaluationScore,
  IndicatorSheet,
  Reviewer,
} from '../../contracts/studios.ts';
import { DEFAULT_STEP, rankReview, scoreReview, sharesEmployer, validateReviewScores } from '../review/index.ts';
import type { BodyScore, ReviewProblem, ReviewScore, ReviewStep } from '../review/index.ts';

/**
 * One body's part of an applicant's result: score (2 decimals; null when none of its reviewers
 * handed in a complete sheet), complete sheets counted, incomplete sheets left out, and whether
 * a trimmed mean had too few sheets and the plain mean was used. The engine's {@link BodyScore}.
 */
export type BodyResult = BodyScore;

/** An applicant's evaluation result, as the ranked list shows it. */
export interface EvaluationRow {
  applicantId: number;
  union: BodyResult;
  hrBureau: BodyResult;
  /** Weighted combination of the body scores, 2 decimals; null while a weighted body has no score. */
  combined: number | null;
  /** combined ≥ threshold. */
  recognised: boolean;
  /** Shared ranks (1, 2, 2, 4); null without a combined score. */
  rank: number | null;
  sharedRank: boolean;
}

/** The printed names of the two bodies, used in the engine's messages (评审人属于工会评审组). */
const BODY_NAMES: Readonly<Record<EvaluationBody, string>> = { union: '工会', hr_bureau: '人社部门' };

/**
 * Whether a reviewer must stand aside for a studio (回避): a reviewer does not score a studio
 * hosted by their own employer. A reviewer with no employer on record (an outside expert) is
 * never in conflict by this rule. The engine's {@link sharesEmployer} with the host as employer.
 */
export function reviewerConflict(reviewer: { employerId: number | null }, studio: { hostEmployerId: number }): boolean {
  return sharesEmployer(reviewer, { employerId: studio.hostEmployerId });
}

/** A problem with one score row: the row, the field as a dotted path, a stable code and a Chinese message. */
export interface ScoreProblem {
  index: number;
  field: string;
  code:
    | 'unknown_reviewer'
    | 'reviewer_without_body'
    | 'body_mismatch'
    | 'unknown_applicant'
    | 'reviewer_conflict'
    | 'unknown_item'
    | 'out_of_range'
    | 'duplicate_score';
  message: string;
}

/**
 * Checks score rows before they are stored or combined: the reviewer is on the panel, belongs
 * to a body and scores for that body; the applicant is in the round; the reviewer is not in
 * conflict with the applicant ({@link reviewerConflict}); the item is on the sheet and the
 * points lie in 0..max; no reviewer scores the same item of the same applicant twice. Every
 * problem is reported, not only the first.
 */
export function validateScores(
  sheet: IndicatorSheet,
  scores: readonly EvaluationScore[],
  panel: { reviewers: readonly Reviewer[]; applicants: readonly EvaluationApplicant[] },
): { ok: true } | { ok: false; problems: ScoreProblem[] } {
  // Weights play no part in checking rows; any pair that adds up will do.
  const steps = studioSteps(sheet, 1, 0, {});
  const checked = validateReviewScores(steps, scores.map(toReviewScore), {
    reviewers: panel.reviewers.map((r) => ({ id: r.id, body: r.body, employerId: r.employerId })),
    candidates: panel.applicants.map((a) => ({ id: a.id, employerId: a.hostEmployerId })),
  });
  return checked.ok ? checked : { ok: false, problems: checked.problems.map(toScoreProblem) };
}

/**
 * Combines validated scores into each applicant's body scores, combined score, recognition
 * and rank (rounding points in the file header).
 *
 * - A reviewer's total is the sum of their item points; only complete sheets count.
 * - A body's score is the mean (default) or the trimmed mean of its reviewers' totals
 *   (a trimmed mean with too few sheets falls back to the mean, flagged).
 * - Weights add up to 1 or to 100. A body weighted 0 is shown but not needed.
 * - Applicants are those in `scores`, plus any in `applicantIds` (listed unscored).
 *
 * The result is in rank order; unranked applicants (no combined score) come last, by id.
 * Throws a RangeError for input {@link validateScores} would refuse (unknown item, points out
 * of range, duplicate rows) or weights that do not add up.
 */
export function combineEvaluation(
  sheet: IndicatorSheet,
  scores: readonly EvaluationScore[],
  options: EvaluationOptionsInput,
  applicantIds: readonly number[] = [],
): EvaluationRow[] {
  // Checked here as well as by the engine to keep the studios' message, which names both weights.
  if (weightScale(options.unionWeight, options.hrWeight) === null || options.unionWeight < 0 || options.hrWeight < 0)
    throw new RangeError(`weights ${options.unionWeight} + ${options.hrWeight} must add up to 1 or to 100`);
  const steps = studioSteps(sheet, options.unionWeight, options.hrWeight, options.aggregation ?? {});
  const scored = scoreReview(steps, scores.map(toReviewScore), { candidateIds: applicantIds });
  return rankReview(scored, { threshold: options.threshold }).rows.map((row) => {
    const { bodies } = row.steps[DEFAULT_STEP]!;
    return {
      applicantId: row.candidateId,
      union: bodies.union!,
      hrBureau: bodies.hr_bureau!,
      combined: row.final,
      recognised: row.passes,
      rank: row.rank,
      sharedRank: row.sharedRank,
    };
  });
}

/** The evaluation as the engine's one step: the two bodies in the order union, HR (the order of the weighted sum). */
function studioSteps(
  sheet: IndicatorSheet,
  unionWeight: number,
  hrWeight: number,
  aggregation: Partial<Record<EvaluationBody, EvaluationAggregation | { kind: 'trimmed_mean'; drop?: number }>>,
): ReviewStep[] {
  return [
    {
      key: DEFAULT_STEP,
      name: sheet.name,
      weight: 1,
      sheet,
      bodies: [
        { key: 'union', name: BODY_NAMES.union, weight: unionWeight, aggregation: aggregation.union },
        { key: 'hr_bureau', name: BODY_NAMES.hr_bureau, weight: hrWeight, aggregation: aggregation.hr_bureau },
      ],
    },
  ];
}

function toReviewScore(s: EvaluationScore): ReviewScore {
  return { reviewerId: s.reviewerId, candidateId: s.applicantId, itemId: s.itemId, points: s.points, body: s.body };
}

/**
 * The engine's problem in the studios' words: the candidate is the applicant studio. The
 * engine's step and declared-relation codes cannot arise here (one step, no relations on the
 * studios' panel), so meeting one is a bug, not a user's mistake.
 */
function toScoreProblem(p: ReviewProblem): ScoreProblem {
  switch (p.code) {
    case 'unknown_candidate':
      return { index: p.index, field: `scores.${p.index}.applicantId`, code: 'unknown_applicant', message: '申报工作室不在本次评审范围内' };
    case 'reviewer_conflict':
      return { ...p, code: 'reviewer_conflict', message: '评审人不得为本单位的工作室评分（回避）' };
    case 'unknown_step':
    case 'body_not_in_step':
    case 'reviewer_relation':
      throw new Error(`review engine problem ${p.code} cannot arise in the studios' evaluation`);
    default:
      return { ...p, code: p.code };
  }
}
