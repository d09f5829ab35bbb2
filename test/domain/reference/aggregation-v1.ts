import type { Aggregation } from '../../../server/contracts/scheme.ts';

/** What {@link aggregateMarks} made of a panel's marks. */
export interface AggregateOutcome {
  /** The panel result, unrounded; null when there are no marks. */
  value: number | null;
  /**
   * True when there were too few marks for the configured rule and the documented fallback
   * was used instead (see {@link aggregateMarks}); the UI flags such a part.
   */
  fellBack: boolean;
  /** How many marks the result is built from (after dropping highest and lowest). */
  counted: number;
}

/** Options of {@link aggregateMarks}. */
export interface AggregateOptions {
  /**
   * The full panel size (the part's `expectedMarks`). Only the `trimmed_sum` fallback uses
   * it, to keep a short panel's result on the same scale as a full panel's. Default 2·drop+1.
   */
  panelSize?: number;
}

/** Fewest marks a rule needs before it applies as configured (1 for mean and median). */
export function marksNeeded(agg: Aggregation): number {
  return agg.kind === 'trimmed_mean' || agg.kind === 'trimmed_sum' ? 2 * agg.drop + 1 : 1;
}

/**
 * Turns one part's judge marks into the panel result.
 *
 * - `mean`: the average of all marks.
 * - `median`: the middle mark, or the average of the two middle marks for an even count.
 * - `trimmed_mean`: drop the `drop` highest and `drop` lowest marks, average the rest
 *   (去掉最高分和最低分后取平均分).
 * - `trimmed_sum`: drop `drop` of each end and add up the rest (diving: 7 judges, drop 2 + 2,
 *   add the 3 kept marks).
 *
 * Too few marks (fewer than 2·drop + 1, so nothing would be left after dropping):
 * - `trimmed_mean` falls back to the plain mean of all marks;
 * - `trimmed_sum` falls back to the plain mean of all marks × the number of marks a full panel
 *   keeps (`panelSize` − 2·drop, at least 1), so a short panel is not scored on a smaller scale;
 * and `fellBack` is true. `mean` and `median` never fall back. No marks at all gives
 * `value: null`. Marks are used as given (unrounded); rounding is the caller's business.
 */
export function aggregateMarks(marks: readonly number[], agg: Aggregation, options: AggregateOptions = {}): AggregateOutcome {
  const n = marks.length;
  if (n === 0) return { value: null, fellBack: false, counted: 0 };
  switch (agg.kind) {
    case 'mean':
      return { value: sum(marks, 0, n) / n, fellBack: false, counted: n };
    case 'median': {
      const sorted = sortedCopy(marks);
      const mid = n >> 1;
      // Non-null assertions: mid and mid − 1 are inside 0..n−1 because n ≥ 1 (n even ⇒ n ≥ 2).
      const value = n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
      return { value, fellBack: false, counted: n % 2 === 1 ? 1 : 2 };
    }
    case 'trimmed_mean': {
      if (n < 2 * agg.drop + 1) return { value: sum(marks, 0, n) / n, fellBack: true, counted: n };
      const sorted = sortedCopy(marks);
      const kept = n - 2 * agg.drop;
      return { value: sum(sorted, agg.drop, n - agg.drop) / kept, fellBack: false, counted: kept };
    }
    case 'trimmed_sum': {
      if (n < 2 * agg.drop + 1) {
        const keep = Math.max(1, (options.panelSize ?? 2 * agg.drop + 1) - 2 * agg.drop);
        return { value: (sum(marks, 0, n) / n) * keep, fellBack: true, counted: n };
      }
      const sorted = sortedCopy(marks);
      return { value: sum(sorted, agg.drop, n - agg.drop), fellBack: false, counted: n - 2 * agg.drop };
    }
  }
}

/**
 * The panel result of `marks` under `agg`, or null for no marks. Same rules as
 * {@link aggregateMarks}, which also tells whether the too-few-marks fallback was used.
 */
export function aggregate(marks: readonly number[], agg: Aggregation, options?: AggregateOptions): number | null {
  return aggregateMarks(marks, agg, options).value;
}

function sortedCopy(marks: readonly number[]): Float64Array {
  // A typed array sorts numerically by default and is cheaper than number[] with a comparator.
  return Float64Array.from(marks).sort();
}

function sum(values: ArrayLike<number>, from: number, to: number): number {
  let total = 0;
  for (let i = from; i < to; i++) total += values[i]!;
  return total;
}
