/**
 * Small, exact-as-possible statistics for judging reports. Pure, no I/O.
 *
 * Everything here works on plain arrays of finite numbers; callers filter out missing values.
 */

/** The arithmetic mean; NaN for an empty list (callers check lengths first). */
export function mean(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total / values.length;
}

/** The middle value, or the mean of the two middle ones for an even count; NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Fractional ("average") ranks, 1-based, ascending: tied values share the mean of the ranks they
 * span (10, 20, 20, 30 → 1, 2.5, 2.5, 4). This is the tie rule Spearman's coefficient needs to
 * stay a Pearson correlation of ranks (Kendall & Gibbons, Rank Correlation Methods, ch. 3).
 */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Array<number>(values.length);
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]!] === values[order[i]!]) j++;
    const shared = (i + j) / 2 + 1; // positions i..j hold ranks i+1..j+1
    for (let k = i; k <= j; k++) ranks[order[k]!] = shared;
    i = j + 1;
  }
  return ranks;
}

/** Pearson's correlation of two equally long lists; null when either has no spread or fewer than 2 values. */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  const n = xs.length;
  if (n !== ys.length) throw new RangeError(`pearson: lists of different lengths (${n}, ${ys.length})`);
  if (n < 2) return null;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  // Clamped: rounding can put a perfect correlation a hair outside [-1, 1].
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/**
 * Spearman's rank correlation with ties handled: Pearson's correlation of the average ranks
 * (not the 1 − 6Σd²/(n(n²−1)) shortcut, which is only exact without ties). 1 when the two lists
 * order the items identically, −1 when exactly reversed; null with fewer than 2 items or when
 * either list gives every item the same value (an order that says nothing).
 */
export function spearman(xs: readonly number[], ys: readonly number[]): number | null {
  if (xs.length !== ys.length) throw new RangeError(`spearman: lists of different lengths (${xs.length}, ${ys.length})`);
  if (xs.length < 2) return null;
  return pearson(averageRanks(xs), averageRanks(ys));
}
