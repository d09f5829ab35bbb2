/**
 * From final scores to the ranked list (排序名单): shared ranks, the threshold and the quota
 * (名额). Pure functions.
 *
 * - Ranks are shared on equal published (2-decimal) scores: 1, 2, 2, 4 (./shared-ranks.ts).
 * - A candidate passes when the final score is at or above the threshold (达到分数线即合格),
 *   compared in hundredths since both are published with two decimals.
 * - Without a quota every candidate that passes is selected (安徽工匠: no quota).
 * - With a quota the passing candidates are taken in rank order while whole groups of equal
 *   rank fit. A group that straddles the line (e.g. quota 3 and ranks 1, 2, 3, 3) is not cut
 *   by the engine: none of it is selected, every member is marked `tiedAtLine`, and the places
 *   left over are reported for the review committee to fill (by a vote, a defence, or by
 *   leaving them empty). Picking among equal scores by id or by chance would be an arbitrary
 *   decision dressed up as arithmetic; a selection committee decides it and records why.
 *   Candidates behind the group are not selected either: the tied ones come first.
 */
import { toHundredths } from '../rounding.ts';
import { scoreReview } from './engine.ts';
import type { CandidateScore, ReviewScore, ReviewStep, ScoreReviewOptions } from './engine.ts';
import { rankByScore } from './shared-ranks.ts';

/** How the ranked list is cut. */
export interface SelectionRules {
  /** Pass mark on the final score: final ≥ threshold passes. */
  threshold: number;
  /** Places to fill; null or absent = no quota. A whole number ≥ 0. */
  quota?: number | null;
}

/** A ranked candidate. */
export interface Placed<T> {
  item: T;
  /** Shared ranks (1, 2, 2, 4); null without a score. */
  rank: number | null;
  sharedRank: boolean;
  /** Score ≥ threshold. */
  passes: boolean;
  /** Selected by the rules; tied candidates at the quota line are not (see the module header). */
  selected: boolean;
  /** Shares a rank that straddles the quota line: the committee decides. */
  tiedAtLine: boolean;
}

/** What the quota did. */
export interface QuotaSummary {
  /** The quota applied, or null when there was none. */
  quota: number | null;
  /** Candidates that pass. */
  passed: number;
  /** Candidates selected by the rules. */
  selected: number;
  /** Candidates tied across the quota line. */
  tiedAtLine: number;
  /** Places the committee fills from the tied candidates (0 without a tie at the line). */
  placesToDecide: number;
  /** Places no passing candidate reached (fewer passed than the quota). */
  placesUnfilled: number;
}

/**
 * Ranks items by score (highest first, shared ranks, unscored last by id), applies the
 * threshold and the quota as the module header describes. The result is in rank order.
 * Throws a RangeError for a quota that is not a whole number ≥ 0 or a threshold that is not finite.
 */
export function placeByScore<T>(
  items: readonly T[],
  scoreOf: (item: T) => number | null,
  idOf: (item: T) => number,
  rules: SelectionRules,
): { rows: Placed<T>[]; summary: QuotaSummary } {
  const quota = rules.quota ?? null;
  if (quota !== null && !(Number.isInteger(quota) && quota >= 0)) throw new RangeError(`quota must be a whole number ≥ 0, got ${quota}`);
  if (!Number.isFinite(rules.threshold)) throw new RangeError(`threshold must be a number, got ${rules.threshold}`);
  const threshold = toHundredths(rules.threshold);
  const ranked = rankByScore(items, scoreOf, idOf);
  const rows: Placed<T>[] = ranked.map(({ item, rank, sharedRank }) => {
    const score = scoreOf(item);
    const passes = score !== null && toHundredths(score) >= threshold;
    return { item, rank, sharedRank, passes, selected: false, tiedAtLine: false };
  });
  const passed = rows.filter((r) => r.passes).length;

  if (quota === null) {
    for (const row of rows) row.selected = row.passes;
    return { rows, summary: { quota, passed, selected: passed, tiedAtLine: 0, placesToDecide: 0, placesUnfilled: 0 } };
  }

  // Passing rows are a prefix of the ranked list (a higher score never ranks lower, and equal
  // scores share both rank and pass), so a row's rank − 1 is the number of passing rows ahead.
  let selected = 0;
  let tied = 0;
  for (let i = 0; i < rows.length; ) {
    const first = rows[i]!;
    if (!first.passes) break;
    let end = i + 1;
    while (end < rows.length && rows[end]!.rank === first.rank) end++;
    const group = rows.slice(i, end);
    if (selected + group.length <= quota) {
      for (const row of group) row.selected = true;
      selected += group.length;
    } else {
      // Straddles the line only when some of the group is inside it; a group wholly beyond
      // the quota (the line already reached) is simply not selected.
      if (selected < quota) {
        for (const row of group) row.tiedAtLine = true;
        tied = group.length;
      }
      break;
    }
    i = end;
  }
  const open = quota - selected;
  return {
    rows,
    summary: { quota, passed, selected, tiedAtLine: tied, placesToDecide: tied > 0 ? open : 0, placesUnfilled: tied > 0 ? 0 : open },
  };
}

/** A candidate on the review's ranked list. */
export interface ReviewRow extends CandidateScore {
  rank: number | null;
  sharedRank: boolean;
  passes: boolean;
  selected: boolean;
  tiedAtLine: boolean;
}

/** The ranked list and what the quota did. */
export interface ReviewOutcome {
  rows: ReviewRow[];
  summary: QuotaSummary;
}

/** Ranks scored candidates on their final score and applies threshold and quota ({@link placeByScore}). */
export function rankReview(scored: readonly CandidateScore[], rules: SelectionRules): ReviewOutcome {
  const { rows, summary } = placeByScore(scored, (c) => c.final, (c) => c.candidateId, rules);
  return { rows: rows.map(({ item, ...place }) => ({ ...item, ...place })), summary };
}

/** A whole review: the steps, and how the ranked list is cut. */
export interface ReviewConfig extends SelectionRules {
  steps: readonly ReviewStep[];
}

/**
 * Scores and ranks in one call: {@link scoreReview} then {@link rankReview}. Throws as they do
 * (unchecked configuration or rows).
 */
export function combineReview(config: ReviewConfig, scores: readonly ReviewScore[], options: ScoreReviewOptions = {}): ReviewOutcome {
  return rankReview(scoreReview(config.steps, scores, options), config);
}
