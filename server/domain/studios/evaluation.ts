/**
 * The joint performance evaluation (联合绩效评估) that precedes recognition: reviewers of the
 * union and of the HR bureau score each applicant studio on an indicator sheet; each body's
 * reviewers are aggregated into the body's score, the two are weighted into a combined score,
 * and the combined score is compared with the threshold and ranked.
 *
 * Rounding points (half-up, 2 decimals), chosen so a reviewer can recompute the result sheet
 * by hand from the printed figures:
 * (a) a body's score (mean or trimmed mean of its reviewers' totals) is rounded: it is the
 *     figure printed per body;
 * (b) the combined score = Σ rounded body score × weight, rounded.
 * A reviewer's total is the exact sum of their item points (cleaned of float noise only).
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
import { aggregateMarks } from '../aggregation.ts';
import { cleanFloat, roundHalfUp, toHundredths } from '../rounding.ts';
import { rankByScore } from './shared-ranks.ts';

/** One body's part of an applicant's result. */
export interface BodyResult {
  /** The body's score, 2 decimals; null when none of its reviewers handed in a complete sheet. */
  score: number | null;
  /** Complete sheets counted (a sheet is complete when every item is scored). */
  sheets: number;
  /** Sheets left out because some item was not scored yet. */
  incompleteSheets: number;
  /** True when a trimmed mean had too few sheets and the plain mean was used. */
  fellBack: boolean;
}

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

/**
 * Whether a reviewer must stand aside for a studio (回避): a reviewer does not score a studio
 * hosted by their own employer. A reviewer with no employer on record (an outside expert) is
 * never in conflict by this rule.
 */
export function reviewerConflict(reviewer: { employerId: number | null }, studio: { hostEmployerId: number }): boolean {
  return reviewer.employerId !== null && reviewer.employerId === studio.hostEmployerId;
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
  const reviewers = new Map(panel.reviewers.map((r) => [r.id, r]));
  const applicants = new Map(panel.applicants.map((a) => [a.id, a]));
  const items = new Map(sheet.items.map((i) => [i.id, i]));
  const seen = new Set<string>();
  const problems: ScoreProblem[] = [];
  scores.forEach((s, index) => {
    const add = (field: string, code: ScoreProblem['code'], message: string) =>
      problems.push({ index, field: `scores.${index}.${field}`, code, message });
    const reviewer = reviewers.get(s.reviewerId);
    const applicant = applicants.get(s.applicantId);
    const item = items.get(s.itemId);
    if (!reviewer) add('reviewerId', 'unknown_reviewer', '评审人不在本次评审组名单中');
    else if (reviewer.body === null) add('reviewerId', 'reviewer_without_body', '评审人未编入工会或人社部门评审组');
    else if (reviewer.body !== s.body) add('body', 'body_mismatch', `评审人属于${bodyName(reviewer.body)}评审组`);
    if (!applicant) add('applicantId', 'unknown_applicant', '申报工作室不在本次评审范围内');
    else if (reviewer && reviewerConflict(reviewer, applicant))
      add('reviewerId', 'reviewer_conflict', '评审人不得为本单位的工作室评分（回避）');
    if (!item) add('itemId', 'unknown_item', `评估指标中没有「${s.itemId}」`);
    else if (!Number.isFinite(s.points) || s.points < 0 || s.points > item.max)
      add('points', 'out_of_range', `「${item.name}」得分须在0至${item.max}分之间`);
    const key = `${s.reviewerId}/${s.applicantId}/${s.itemId}`;
    if (seen.has(key)) add('itemId', 'duplicate_score', '同一评审人对同一指标重复评分');
    seen.add(key);
  });
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
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
  const scale = weightScale(options.unionWeight, options.hrWeight);
  if (scale === null || options.unionWeight < 0 || options.hrWeight < 0)
    throw new RangeError(`weights ${options.unionWeight} + ${options.hrWeight} must add up to 1 or to 100`);
  const aggregation: Record<EvaluationBody, EvaluationAggregation> = {
    union: withDefaultDrop(options.aggregation?.union),
    hr_bureau: withDefaultDrop(options.aggregation?.hr_bureau),
  };
  const items = new Map(sheet.items.map((i) => [i.id, i]));

  // applicant → body → reviewer → item → points
  const byApplicant = new Map<number, Record<EvaluationBody, Map<number, Map<string, number>>>>();
  const sheetsOf = (applicantId: number) => {
    let entry = byApplicant.get(applicantId);
    if (!entry) byApplicant.set(applicantId, (entry = { union: new Map(), hr_bureau: new Map() }));
    return entry;
  };
  for (const id of applicantIds) sheetsOf(id);
  for (const s of scores) {
    const item = items.get(s.itemId);
    if (!item) throw new RangeError(`unknown indicator item ${s.itemId}: validate scores first`);
    if (!Number.isFinite(s.points) || s.points < 0 || s.points > item.max)
      throw new RangeError(`points ${s.points} outside 0..${item.max} for ${s.itemId}: validate scores first`);
    const bodies = sheetsOf(s.applicantId);
    let reviewerSheet = bodies[s.body].get(s.reviewerId);
    if (!reviewerSheet) bodies[s.body].set(s.reviewerId, (reviewerSheet = new Map()));
    if (reviewerSheet.has(s.itemId))
      throw new RangeError(`reviewer ${s.reviewerId} scored ${s.itemId} of applicant ${s.applicantId} twice: validate scores first`);
    reviewerSheet.set(s.itemId, s.points);
  }

  const rows: Omit<EvaluationRow, 'rank' | 'sharedRank'>[] = [];
  for (const [applicantId, bodies] of byApplicant) {
    const union = bodyResult(bodies.union, sheet, aggregation.union);
    const hrBureau = bodyResult(bodies.hr_bureau, sheet, aggregation.hr_bureau);
    const combined = combine(union.score, options.unionWeight, hrBureau.score, options.hrWeight, scale);
    const recognised = combined !== null && toHundredths(combined) >= toHundredths(options.threshold);
    rows.push({ applicantId, union, hrBureau, combined, recognised });
  }
  return rankByScore(rows, (r) => r.combined, (r) => r.applicantId).map(({ item, rank, sharedRank }) => ({ ...item, rank, sharedRank }));
}

function withDefaultDrop(agg: { kind: 'mean' } | { kind: 'trimmed_mean'; drop?: number } | undefined): EvaluationAggregation {
  if (!agg || agg.kind === 'mean') return { kind: 'mean' };
  return { kind: 'trimmed_mean', drop: agg.drop ?? 1 };
}

function bodyResult(reviewerSheets: Map<number, Map<string, number>>, sheet: IndicatorSheet, agg: EvaluationAggregation): BodyResult {
  const totals: number[] = [];
  let incompleteSheets = 0;
  for (const points of reviewerSheets.values()) {
    if (points.size < sheet.items.length) {
      incompleteSheets++;
      continue;
    }
    let total = 0;
    for (const value of points.values()) total += value;
    totals.push(cleanFloat(total));
  }
  const outcome = aggregateMarks(totals, agg);
  return {
    score: outcome.value === null ? null : roundHalfUp(outcome.value, 2), // rounding point (a)
    sheets: totals.length,
    incompleteSheets,
    fellBack: outcome.fellBack,
  };
}

function combine(union: number | null, unionWeight: number, hr: number | null, hrWeight: number, scale: 1 | 100): number | null {
  if ((unionWeight > 0 && union === null) || (hrWeight > 0 && hr === null)) return null;
  const weighted = (unionWeight > 0 ? union! * unionWeight : 0) + (hrWeight > 0 ? hr! * hrWeight : 0);
  return roundHalfUp(weighted / scale, 2); // rounding point (b)
}

function bodyName(body: EvaluationBody): string {
  return body === 'union' ? '工会' : '人社部门';
}
