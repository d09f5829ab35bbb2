/**
 * The review engine (评审): one set of rules for every "panel scores candidates on a sheet"
 * procedure — the studios' joint performance evaluation (联合绩效评估) and the craftsman
 * selection (工匠评选). Pure functions: no database, no clock.
 *
 * A review has one or more steps (环节): the material review ('review') and optionally an
 * on-site visit or defence (现场考察 / 答辩), each with its own indicator sheet and its own
 * bodies (the union's, the HR bureau's, the experts' reviewer groups) weighted within the
 * step. Steps are weighted into the final score.
 *
 * Rounding points (half-up, 2 decimals), chosen so anyone can recompute the result sheet by
 * hand from the printed figures (each printed figure is the one carried forward):
 * (a) a body's score in a step (mean or trimmed mean of its reviewers' complete-sheet totals)
 *     is rounded: it is the figure printed per body;
 * (b) a step's score = Σ rounded body score × body weight, rounded;
 * (c) the final score = Σ rounded step score × step weight, rounded.
 * A reviewer's total is the exact sum of their item points (cleaned of float noise only).
 * With one step of weight 1 (or 100), (c) gives back the step score unchanged, so a one-step
 * review is exactly the studios' evaluation of before the engine.
 *
 * Ranking, threshold and quota are in ./selection.ts; the committee's vote in ./vote.ts.
 */
import { aggregateMarks } from '../aggregation.ts';
import { cleanFloat, roundHalfUp } from '../rounding.ts';

// ---------------------------------------------------------------------------------------
// Configuration

/** One indicator (评估指标) of a sheet. */
export interface ReviewItem {
  id: string;
  name: string;
  /** Highest points a reviewer may give; points lie in 0..max. */
  max: number;
  /**
   * The heading the item is printed under (e.g. 职业素养 / 技能水平 / 创新成果). A label only:
   * grouping changes neither validation nor arithmetic (see {@link sheetGroups}).
   */
  group?: string | null;
}

/** An indicator sheet: the items every reviewer of a step scores. */
export interface ReviewSheet {
  items: readonly ReviewItem[];
}

/**
 * How a body's reviewers' totals become the body's score. A trimmed mean (去掉最高分和最低分)
 * drops `drop` (default 1) of each end; with too few sheets it falls back to the plain mean,
 * flagged (server/domain/aggregation.ts).
 */
export type ReviewAggregation = { kind: 'mean' } | { kind: 'trimmed_mean'; drop?: number };

/** A reviewing body (评审组) within a step, e.g. the union's, the HR bureau's, the experts'. */
export interface ReviewBody {
  /** Stable key, e.g. 'union', 'hr_bureau', 'expert': reviewers carry it. */
  key: string;
  /** As printed: 工会, 人社部门, 专家. */
  name: string;
  /** Share of the step score; a step's body weights add up to 1 or to 100. 0 = shown, not needed. */
  weight: number;
  /** Default: mean. */
  aggregation?: ReviewAggregation;
}

/** A step (环节) of the review: its sheet, the bodies that score it and its weight in the final score. */
export interface ReviewStep {
  /** Stable key: 'review' for the material review, e.g. 'defence' for 答辩, 'visit' for 现场考察. */
  key: string;
  /** As printed: 材料评审, 现场答辩. */
  name: string;
  /** Share of the final score; the steps' weights add up to 1 or to 100. 0 = shown, not needed. */
  weight: number;
  sheet: ReviewSheet;
  bodies: readonly ReviewBody[];
}

/** The step a score row belongs to when it names none: the material review. */
export const DEFAULT_STEP = 'review';

// ---------------------------------------------------------------------------------------
// Panel, candidates and score rows

/** A reviewer on the panel. */
export interface ReviewReviewer {
  id: number;
  /** The body the reviewer scores for; null = not (yet) put in any body's group. */
  body: string | null;
  /** The reviewer's employer; null for an outside expert (never in conflict by employer). */
  employerId: number | null;
  /** Candidates the reviewer declared a relation with (亲属、师徒、同一项目…) and must stand aside from. */
  relations?: readonly number[];
}

/** A candidate: an applicant studio, a nominated worker. */
export interface ReviewCandidate {
  id: number;
  /** The candidate's employer (a studio's host); null when not on record. */
  employerId: number | null;
}

/** One reviewer's points for one item of one candidate in one step. */
export interface ReviewScore {
  reviewerId: number;
  candidateId: number;
  itemId: string;
  points: number;
  /** Default {@link DEFAULT_STEP}. */
  step?: string;
  /**
   * The body the reviewer scored for, when the row records it (the studios' rows do); it must
   * be the reviewer's body. Without it, the reviewer's body on the panel is used.
   */
  body?: string;
}

// ---------------------------------------------------------------------------------------
// Recusal (回避)

/** Why a reviewer must stand aside for a candidate. */
export type RecusalReason = 'same_employer' | 'declared_relation';

/**
 * Whether reviewer and candidate have the same employer. Unknown on either side is no
 * conflict: an outside expert has no employer, and a candidate without one on record cannot
 * be matched (a relation can still be declared).
 */
export function sharesEmployer(reviewer: { employerId: number | null }, candidate: { employerId: number | null }): boolean {
  return reviewer.employerId !== null && reviewer.employerId === candidate.employerId;
}

/**
 * Every reason the reviewer must stand aside for the candidate (empty: may score). The same
 * employer is checked first because it is known without asking the reviewer; a declared
 * relation (亲属、师徒…) covers what records cannot show.
 */
export function recusalReasons(reviewer: Pick<ReviewReviewer, 'employerId' | 'relations'>, candidate: ReviewCandidate): RecusalReason[] {
  const reasons: RecusalReason[] = [];
  if (sharesEmployer(reviewer, candidate)) reasons.push('same_employer');
  if (reviewer.relations?.includes(candidate.id)) reasons.push('declared_relation');
  return reasons;
}

/** True when {@link recusalReasons} gives any reason. */
export function mustStandAside(reviewer: Pick<ReviewReviewer, 'employerId' | 'relations'>, candidate: ReviewCandidate): boolean {
  return recusalReasons(reviewer, candidate).length > 0;
}

// ---------------------------------------------------------------------------------------
// Configuration checks

/** A problem with a review's configuration: a dotted path, a stable code and a Chinese message. */
export interface ReviewConfigProblem {
  path: string;
  code:
    | 'no_steps'
    | 'duplicate_step'
    | 'no_bodies'
    | 'duplicate_body'
    | 'empty_sheet'
    | 'duplicate_item'
    | 'bad_item_max'
    | 'bad_weight'
    | 'weights_do_not_add_up'
    | 'bad_aggregation';
  message: string;
}

/**
 * 1 when weights are fractions adding up to 1, 100 when percentages adding up to 100, null
 * otherwise. Adds in the given order from 0, so for two weights it is exactly the studios'
 * `weightScale(a, b)` (same sum, same tolerances), which keeps their results to the cent.
 */
export function weightScaleOf(weights: readonly number[]): 1 | 100 | null {
  let sum = 0;
  for (const w of weights) sum += w;
  if (Math.abs(sum - 1) < 1e-9) return 1;
  if (Math.abs(sum - 100) < 1e-7) return 100;
  return null;
}

/**
 * Checks the steps of a review: at least one step; step keys unique; each step has a sheet
 * with items (unique ids, a positive maximum) and bodies (unique keys); weights are finite,
 * not negative and add up to 1 or to 100 (the steps' weights, and each step's body weights).
 * Every problem is reported. {@link scoreReview} refuses a configuration with problems.
 */
export function checkReviewSteps(steps: readonly ReviewStep[]): ReviewConfigProblem[] {
  const problems: ReviewConfigProblem[] = [];
  const add = (path: string, code: ReviewConfigProblem['code'], message: string) => problems.push({ path, code, message });
  if (steps.length === 0) add('steps', 'no_steps', '评审至少要有一个环节');
  const stepKeys = new Set<string>();
  steps.forEach((step, s) => {
    const at = `steps.${s}`;
    if (stepKeys.has(step.key)) add(`${at}.key`, 'duplicate_step', `环节「${step.key}」重复`);
    stepKeys.add(step.key);
    if (!isWeight(step.weight)) add(`${at}.weight`, 'bad_weight', `「${step.name}」的权重须为不小于0的数`);
    if (step.sheet.items.length === 0) add(`${at}.sheet.items`, 'empty_sheet', `「${step.name}」的评分表没有指标`);
    const itemIds = new Set<string>();
    step.sheet.items.forEach((item, i) => {
      if (itemIds.has(item.id)) add(`${at}.sheet.items.${i}.id`, 'duplicate_item', `指标「${item.id}」重复`);
      itemIds.add(item.id);
      if (!(Number.isFinite(item.max) && item.max > 0)) add(`${at}.sheet.items.${i}.max`, 'bad_item_max', `「${item.name}」的满分须大于0`);
    });
    if (step.bodies.length === 0) add(`${at}.bodies`, 'no_bodies', `「${step.name}」没有评审组`);
    const bodyKeys = new Set<string>();
    step.bodies.forEach((body, b) => {
      if (bodyKeys.has(body.key)) add(`${at}.bodies.${b}.key`, 'duplicate_body', `评审组「${body.key}」重复`);
      bodyKeys.add(body.key);
      if (!isWeight(body.weight)) add(`${at}.bodies.${b}.weight`, 'bad_weight', `${body.name}评审组的权重须为不小于0的数`);
      const agg = body.aggregation;
      if (agg?.kind === 'trimmed_mean' && agg.drop !== undefined && !(Number.isInteger(agg.drop) && agg.drop >= 0))
        add(`${at}.bodies.${b}.aggregation.drop`, 'bad_aggregation', '去掉最高分和最低分的个数须为不小于0的整数');
    });
    if (step.bodies.length > 0 && step.bodies.every((b) => isWeight(b.weight)) && weightScaleOf(step.bodies.map((b) => b.weight)) === null)
      add(`${at}.bodies`, 'weights_do_not_add_up', `「${step.name}」各评审组的权重之和须为1或100`);
  });
  if (steps.length > 0 && steps.every((s) => isWeight(s.weight)) && weightScaleOf(steps.map((s) => s.weight)) === null)
    add('steps', 'weights_do_not_add_up', '各环节的权重之和须为1或100');
  return problems;
}

function isWeight(w: number): boolean {
  return Number.isFinite(w) && w >= 0;
}

/** The sheet's headings in order of first appearance, with their items' maxima added up (ungrouped items under null). */
export function sheetGroups(sheet: ReviewSheet): { group: string | null; itemIds: string[]; max: number }[] {
  const groups = new Map<string | null, { group: string | null; itemIds: string[]; max: number }>();
  for (const item of sheet.items) {
    const key = item.group ?? null;
    let entry = groups.get(key);
    if (!entry) groups.set(key, (entry = { group: key, itemIds: [], max: 0 }));
    entry.itemIds.push(item.id);
    // cleanFloat: maxima such as 7.5 + 2.5 + 0.1 are decimals on paper.
    entry.max = cleanFloat(entry.max + item.max);
  }
  return [...groups.values()];
}

// ---------------------------------------------------------------------------------------
// Score row checks

/** A problem with one score row: the row, the field as a dotted path, a stable code and a Chinese message. */
export interface ReviewProblem {
  index: number;
  field: string;
  code:
    | 'unknown_reviewer'
    | 'reviewer_without_body'
    | 'body_mismatch'
    | 'unknown_step'
    | 'body_not_in_step'
    | 'unknown_candidate'
    | 'reviewer_conflict'
    | 'reviewer_relation'
    | 'unknown_item'
    | 'out_of_range'
    | 'duplicate_score';
  message: string;
}

/**
 * Checks score rows before they are stored or combined. Per row, in this order (so a form
 * shows the reviewer's problem before the candidate's and the item's):
 * - the reviewer is on the panel (`unknown_reviewer`), in a body (`reviewer_without_body`)
 *   and, when the row records a body, scores for their own (`body_mismatch`);
 * - the step exists (`unknown_step`) and the reviewer's body scores it (`body_not_in_step`:
 *   e.g. only the experts score the defence);
 * - the candidate is in the review (`unknown_candidate`) and the reviewer need not stand aside
 *   (`reviewer_conflict` for the same employer, `reviewer_relation` for a declared relation:
 *   distinct codes, since the second is the reviewer's own declaration and is shown as such);
 * - the item is on the step's sheet (`unknown_item`) and the points lie in 0..max (`out_of_range`);
 * - no reviewer scores the same item of the same candidate in the same step twice (`duplicate_score`).
 * Every problem is reported, not only the first; fields are `scores.<index>.<field>`.
 */
export function validateReviewScores(
  steps: readonly ReviewStep[],
  scores: readonly ReviewScore[],
  panel: { reviewers: readonly ReviewReviewer[]; candidates: readonly ReviewCandidate[] },
): { ok: true } | { ok: false; problems: ReviewProblem[] } {
  const reviewers = new Map(panel.reviewers.map((r) => [r.id, r]));
  const candidates = new Map(panel.candidates.map((c) => [c.id, c]));
  const stepsByKey = new Map(steps.map((s) => [s.key, { step: s, items: new Map(s.sheet.items.map((i) => [i.id, i])) }]));
  const bodyNames = bodyNamesOf(steps);
  const seen = new Set<string>();
  const problems: ReviewProblem[] = [];
  scores.forEach((s, index) => {
    const add = (field: string, code: ReviewProblem['code'], message: string) =>
      problems.push({ index, field: `scores.${index}.${field}`, code, message });
    const stepKey = s.step ?? DEFAULT_STEP;
    const reviewer = reviewers.get(s.reviewerId);
    const candidate = candidates.get(s.candidateId);
    const step = stepsByKey.get(stepKey);
    const item = step?.items.get(s.itemId);

    // The body the row is scored for, once the reviewer checks out.
    let body: string | null = null;
    if (!reviewer) add('reviewerId', 'unknown_reviewer', '评审人不在本次评审组名单中');
    else if (reviewer.body === null) add('reviewerId', 'reviewer_without_body', `评审人未编入${joinOr([...bodyNames.values()])}评审组`);
    else if (s.body !== undefined && reviewer.body !== s.body) add('body', 'body_mismatch', `评审人属于${bodyNames.get(reviewer.body) ?? reviewer.body}评审组`);
    else body = reviewer.body;

    if (!step) add('step', 'unknown_step', `评审中没有「${stepKey}」环节`);
    // Only asked once the body is known: a reviewer problem above already says what is wrong.
    else if (body !== null && !step.step.bodies.some((b) => b.key === body))
      add('step', 'body_not_in_step', `${bodyNames.get(body) ?? body}评审组不参加「${step.step.name}」评分`);

    if (!candidate) add('candidateId', 'unknown_candidate', '候选人不在本次评审范围内');
    else if (reviewer)
      for (const reason of recusalReasons(reviewer, candidate)) {
        if (reason === 'same_employer') add('reviewerId', 'reviewer_conflict', '评审人不得为本单位的候选人评分（回避）');
        else add('reviewerId', 'reviewer_relation', '评审人已申报与该候选人存在利害关系，须回避');
      }

    // Without the step its sheet is unknown, and the item cannot be judged either way.
    if (step && !item) add('itemId', 'unknown_item', `评估指标中没有「${s.itemId}」`);
    else if (item && !pointsInRange(s.points, item.max)) add('points', 'out_of_range', `「${item.name}」得分须在0至${item.max}分之间`);

    // JSON.stringify: keys made of free text cannot run into each other.
    const key = JSON.stringify([s.reviewerId, s.candidateId, stepKey, s.itemId]);
    if (seen.has(key)) add('itemId', 'duplicate_score', '同一评审人对同一指标重复评分');
    seen.add(key);
  });
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}

function pointsInRange(points: number, max: number): boolean {
  return Number.isFinite(points) && points >= 0 && points <= max;
}

/** Body key → printed name, over all steps in order (the first name given wins). */
function bodyNamesOf(steps: readonly ReviewStep[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const step of steps) for (const body of step.bodies) if (!names.has(body.key)) names.set(body.key, body.name);
  return names;
}

/** 工会 / 工会或人社部门 / 工会、人社部门或专家: how a list of alternatives is written. */
function joinOr(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join('、')}或${names[names.length - 1]}`;
}

// ---------------------------------------------------------------------------------------
// Combination

/** One body's part of a candidate's step score. */
export interface BodyScore {
  /** The body's score, 2 decimals (rounding point a); null when none of its reviewers handed in a complete sheet. */
  score: number | null;
  /** Complete sheets counted (a sheet is complete when every item is scored). */
  sheets: number;
  /** Sheets left out because some item was not scored yet. */
  incompleteSheets: number;
  /** True when a trimmed mean had too few sheets and the plain mean was used. */
  fellBack: boolean;
}

/** A candidate's result in one step. */
export interface StepScore {
  /** Weighted body scores, 2 decimals (rounding point b); null while a weighted body has no score. */
  score: number | null;
  /** Every body of the step, by key, in the step's order (a body weighted 0 too). */
  bodies: Record<string, BodyScore>;
}

/** A candidate's scores, before ranking. */
export interface CandidateScore {
  candidateId: number;
  /** Every step, by key, in the configured order. */
  steps: Record<string, StepScore>;
  /** Weighted step scores, 2 decimals (rounding point c); null while a weighted step has no score. */
  final: number | null;
}

/** Options of {@link scoreReview}. */
export interface ScoreReviewOptions {
  /** Candidates listed even when nobody has scored them yet (they come out unscored). */
  candidateIds?: readonly number[];
  /** The panel, to find the body of rows that do not record one. */
  reviewers?: readonly Pick<ReviewReviewer, 'id' | 'body'>[];
}

/**
 * Combines validated score rows into each candidate's body, step and final scores (rounding
 * points in the file header).
 *
 * - A reviewer's total is the sum of their item points on the step's sheet; only complete
 *   sheets count, so a half-filled sheet never drags a candidate down.
 * - A body's score is the mean (default) or trimmed mean of its reviewers' totals.
 * - A step's score needs every body weighted above 0; the final score every step weighted above 0.
 * - Candidates are those in `scores` plus `options.candidateIds`, in id order.
 *
 * Throws a RangeError for a configuration {@link checkReviewSteps} refuses, and for rows
 * {@link validateReviewScores} would refuse in a way that breaks the arithmetic (unknown step,
 * body or item, points out of range, a row scored twice): callers validate first, and a
 * result must never be computed from rows nobody checked.
 */
export function scoreReview(steps: readonly ReviewStep[], scores: readonly ReviewScore[], options: ScoreReviewOptions = {}): CandidateScore[] {
  const configProblems = checkReviewSteps(steps);
  if (configProblems.length > 0) throw new RangeError(`review configuration: ${configProblems.map((p) => `${p.path} ${p.code}`).join(', ')}`);
  const stepScale = weightScaleOf(steps.map((s) => s.weight))!;
  const bodyScales = new Map(steps.map((s) => [s.key, weightScaleOf(s.bodies.map((b) => b.weight))!]));
  const stepsByKey = new Map(steps.map((s) => [s.key, { step: s, items: new Map(s.sheet.items.map((i) => [i.id, i])) }]));
  const bodyOfReviewer = new Map((options.reviewers ?? []).map((r) => [r.id, r.body]));

  // candidate → step → body → reviewer → item → points, in the order rows come in.
  type Sheets = Map<string, Map<string, Map<number, Map<string, number>>>>;
  const byCandidate = new Map<number, Sheets>();
  const sheetsOf = (candidateId: number): Sheets => {
    let entry = byCandidate.get(candidateId);
    if (!entry) {
      entry = new Map(steps.map((s) => [s.key, new Map(s.bodies.map((b) => [b.key, new Map()]))]));
      byCandidate.set(candidateId, entry);
    }
    return entry;
  };
  for (const id of options.candidateIds ?? []) sheetsOf(id);
  for (const s of scores) {
    const stepKey = s.step ?? DEFAULT_STEP;
    const step = stepsByKey.get(stepKey);
    if (!step) throw new RangeError(`unknown step ${stepKey}: validate scores first`);
    const item = step.items.get(s.itemId);
    if (!item) throw new RangeError(`unknown indicator item ${s.itemId}: validate scores first`);
    if (!pointsInRange(s.points, item.max)) throw new RangeError(`points ${s.points} outside 0..${item.max} for ${s.itemId}: validate scores first`);
    const body = s.body ?? bodyOfReviewer.get(s.reviewerId) ?? null;
    const reviewersOfBody = body === null ? undefined : sheetsOf(s.candidateId).get(stepKey)!.get(body);
    if (!reviewersOfBody) throw new RangeError(`reviewer ${s.reviewerId} has no body of step ${stepKey}: validate scores first`);
    let reviewerSheet = reviewersOfBody.get(s.reviewerId);
    if (!reviewerSheet) reviewersOfBody.set(s.reviewerId, (reviewerSheet = new Map()));
    if (reviewerSheet.has(s.itemId))
      throw new RangeError(`reviewer ${s.reviewerId} scored ${s.itemId} of candidate ${s.candidateId} in step ${stepKey} twice: validate scores first`);
    reviewerSheet.set(s.itemId, s.points);
  }

  const rows: CandidateScore[] = [];
  for (const [candidateId, sheets] of byCandidate) {
    const stepScores: Record<string, StepScore> = {};
    for (const step of steps) {
      const bodies: Record<string, BodyScore> = {};
      for (const body of step.bodies) bodies[body.key] = bodyScore(sheets.get(step.key)!.get(body.key)!, step.sheet, body.aggregation);
      const score = weighted(step.bodies.map((b) => ({ score: bodies[b.key]!.score, weight: b.weight })), bodyScales.get(step.key)!); // rounding point (b)
      stepScores[step.key] = { score, bodies };
    }
    const final = weighted(steps.map((s) => ({ score: stepScores[s.key]!.score, weight: s.weight })), stepScale); // rounding point (c)
    rows.push({ candidateId, steps: stepScores, final });
  }
  return rows.sort((a, b) => a.candidateId - b.candidateId);
}

function bodyScore(reviewerSheets: Map<number, Map<string, number>>, sheet: ReviewSheet, aggregation: ReviewAggregation | undefined): BodyScore {
  const totals: number[] = [];
  let incompleteSheets = 0;
  for (const points of reviewerSheets.values()) {
    // Rows are checked against the sheet and never doubled, so a full count means every item.
    if (points.size < sheet.items.length) {
      incompleteSheets++;
      continue;
    }
    let total = 0;
    for (const value of points.values()) total += value;
    totals.push(cleanFloat(total));
  }
  const agg = !aggregation || aggregation.kind === 'mean' ? { kind: 'mean' as const } : { kind: 'trimmed_mean' as const, drop: aggregation.drop ?? 1 };
  const outcome = aggregateMarks(totals, agg);
  return {
    score: outcome.value === null ? null : roundHalfUp(outcome.value, 2), // rounding point (a)
    sheets: totals.length,
    incompleteSheets,
    fellBack: outcome.fellBack,
  };
}

/**
 * Σ score × weight / scale, rounded half-up to 2 decimals; null when a part weighted above 0
 * has no score. Parts weighted 0 are skipped rather than multiplied, so a missing score there
 * does not matter. Added from 0 in the configured order: for the studios' two bodies this is
 * the very expression they used before the engine.
 */
function weighted(parts: readonly { score: number | null; weight: number }[], scale: 1 | 100): number | null {
  let sum = 0;
  for (const part of parts) {
    if (part.weight === 0) continue;
    if (part.score === null) return null;
    sum += part.score * part.weight;
  }
  return roundHalfUp(sum / scale, 2);
}
