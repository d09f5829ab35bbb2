/**
 * The home-group check for judges: difference of differences with a permutation test. Pure.
 *
 * Method (the judging-bias literature):
 * - Zitzewitz, E. (2006), "Nationalism in Winter Sports Judging and Its Lessons for
 *   Organizational Decision Making", Journal of Economics & Management Strategy 15(1), 67–99:
 *   a judge's bias is measured by the judge's score minus the mean of the other judges' scores
 *   for the same performance, compared between performers of the judge's own country and the
 *   others (a difference of differences), so that how good the performance was cancels out.
 * - Emerson, J. W., Seltzer, M. & Lin, D. (2009), "Assessing Judging Bias: An Example From the
 *   2000 Olympic Games", The American Statistician 63(2), 124–131: the same contrast tested with
 *   a permutation test — under "no bias" the labels own / other are exchangeable among the
 *   performances the judge marked, so the observed contrast is compared with its distribution
 *   over every relabelling that keeps the number of own-group performances.
 *
 * Here an observation is one entrant the judge marked (their per-entrant mean difference), the
 * statistic D = mean(own) − mean(other), and the test two-sided: p = share of relabellings with
 * |D*| ≥ |D|. With at most {@link EXACT_LIMIT} relabellings every one is enumerated (the observed
 * labelling is among them, so p ≥ 1/C > 0); otherwise {@link MONTE_CARLO_PERMUTATIONS} random
 * relabellings from a seeded generator give p = (1 + #{|D*| ≥ |D|}) / (1 + N) (Phipson & Smyth
 * 2010, "Permutation P-values Should Never Be Zero"), so the same data and seed always give the
 * same p-value.
 */

/** Relabellings enumerated exactly up to this many (C(n, k)); beyond, a seeded Monte Carlo sample. */
export const EXACT_LIMIT = 20_000;
/** Random relabellings drawn when exact enumeration is too long. */
export const MONTE_CARLO_PERMUTATIONS = 9_999;

/**
 * mulberry32: a small, fast 32-bit generator (Tommy Ettinger, public domain). Not for secrets;
 * chosen because it is tiny, has no dependency and gives the same stream on every platform.
 * Returns numbers in [0, 1).
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** C(n, k), exactly while it stays below 2^53 (callers compare it with small limits). */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  k = Math.min(k, n - k);
  let c = 1;
  for (let i = 1; i <= k; i++) {
    c = (c * (n - k + i)) / i;
    if (c > Number.MAX_SAFE_INTEGER) return Number.POSITIVE_INFINITY;
  }
  return Math.round(c);
}

export interface DiffOfDiffsResult {
  ownCount: number;
  otherCount: number;
  /** Mean of the own-group observations. */
  ownMean: number;
  /** Mean of the other observations. */
  otherMean: number;
  /** ownMean − otherMean: positive = the judge marks their own group up relative to the panel. */
  difference: number;
  /** Two-sided permutation p-value, in (0, 1]. */
  pValue: number;
  method: 'exact' | 'monte_carlo';
  /** Relabellings compared: C(n, k) exactly, or the Monte Carlo sample size. */
  permutations: number;
}

/**
 * The difference of differences between own-group and other observations, with its permutation
 * p-value (see the file's header). `values[i]` is observation i (for judges: the judge's mark
 * minus the other judges' mean, averaged per entrant), `own[i]` whether it belongs to the judge's
 * own group. Null when either group is empty: there is nothing to compare.
 *
 * @param seed used only for the Monte Carlo branch; the same seed gives the same p-value
 */
export function diffOfDiffsTest(values: readonly number[], own: readonly boolean[], seed: number): DiffOfDiffsResult | null {
  const n = values.length;
  if (own.length !== n) throw new RangeError('diffOfDiffsTest: values and labels differ in length');
  const k = own.filter(Boolean).length;
  if (k === 0 || k === n) return null;
  let total = 0;
  for (const v of values) total += v;
  // D is determined by the own group's sum: D = S/k − (T − S)/(n − k). Comparing |D| keeps the
  // test two-sided; every D (observed and permuted) is computed by this one function from a sum
  // taken in index order, so the observed labelling reproduces its own D bit for bit.
  const stat = (ownSum: number) => ownSum / k - (total - ownSum) / (n - k);
  let observedSum = 0;
  for (let i = 0; i < n; i++) if (own[i]) observedSum += values[i]!;
  const observed = stat(observedSum);
  // A relabelling "as extreme" up to float noise counts as extreme (ties in D are common with marks in half points).
  const bar = Math.abs(observed) - 1e-9 * Math.max(1, Math.abs(observed));

  const combos = binomial(n, k);
  let extreme = 0;
  let method: DiffOfDiffsResult['method'];
  let permutations: number;
  if (combos <= EXACT_LIMIT) {
    method = 'exact';
    permutations = combos;
    // Every k-subset of 0..n−1 in lexicographic order, summing in index order.
    const pick = Array.from({ length: k }, (_, i) => i);
    for (;;) {
      let s = 0;
      for (const i of pick) s += values[i]!;
      if (Math.abs(stat(s)) >= bar) extreme++;
      let i = k - 1;
      while (i >= 0 && pick[i] === n - k + i) i--;
      if (i < 0) break;
      pick[i]!++;
      for (let j = i + 1; j < k; j++) pick[j] = pick[j - 1]! + 1;
    }
  } else {
    method = 'monte_carlo';
    permutations = MONTE_CARLO_PERMUTATIONS;
    const random = seededRandom(seed);
    const index = Array.from({ length: n }, (_, i) => i);
    for (let r = 0; r < MONTE_CARLO_PERMUTATIONS; r++) {
      // Partial Fisher–Yates: the first k places become a uniform random k-subset.
      for (let i = 0; i < k; i++) {
        const j = i + Math.floor(random() * (n - i));
        const t = index[i]!;
        index[i] = index[j]!;
        index[j] = t;
      }
      const chosen = index.slice(0, k).sort((a, b) => a - b);
      let s = 0;
      for (const i of chosen) s += values[i]!;
      if (Math.abs(stat(s)) >= bar) extreme++;
    }
  }
  const ownValues = values.filter((_, i) => own[i]);
  const otherValues = values.filter((_, i) => !own[i]);
  const ownMean = ownValues.reduce((a, b) => a + b, 0) / k;
  const otherMean = otherValues.reduce((a, b) => a + b, 0) / (n - k);
  return {
    ownCount: k,
    otherCount: n - k,
    ownMean,
    otherMean,
    difference: observed,
    pValue: method === 'exact' ? extreme / permutations : (1 + extreme) / (1 + permutations),
    method,
    permutations,
  };
}
