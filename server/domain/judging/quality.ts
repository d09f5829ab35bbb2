/**
 * Judge quality (裁判评分质量) for the chief judge and the supervision group: how each counting
 * judge's marks sat against their panel, after a part or over a whole competition. Pure.
 *
 * Unit of comparison: one judge's mark on one panel ("unit": a part, or a criterion where the
 * part has a panel per criterion) for one entry, among the counting judges' marks there
 * (trainees never; server/domain/judging/trainees.ts). Units with a single mark compare nothing
 * and are left out. Points are put on a 100-point scale (difference ÷ the unit's full mark × 100)
 * so parts and events marked out of different maxima can be pooled; parts out of 100 — the usual
 * case — read in plain points.
 *
 * - **Deviation from the panel's median**: mean of (mark − median of the unit's marks, the judge's
 *   own included, as the chief's outlier rule in server/contracts/chief.ts measures), signed
 *   (lenient +, harsh −) and absolute.
 * - **Dropped by the trimmed mean**: in units whose aggregation drops marks (trimmed mean or sum,
 *   with enough marks that it does), how often the judge's mark was among the dropped. When the
 *   judge's mark ties with others at a dropped end, the drop is shared equally among the tied
 *   marks (the expected count under a random choice among them), so counts can be fractional.
 *   `expectedShare` is what an unremarkable judge would see: 2·drop / marks, averaged.
 * - **Consistency**: Spearman's rank correlation (ties averaged) between the judge's marks and the
 *   mean of the *other* judges' marks on the same unit, over the entries, per unit and round; the
 *   reported figure is their average weighted by entries. Leaving the judge out of the panel's
 *   value keeps a 3-judge panel from correlating with itself.
 * - **Home-group check**: difference of differences with a permutation test
 *   (server/domain/judging/permutation.ts, Zitzewitz 2006; Emerson, Seltzer & Lin 2009). Per
 *   entrant: the judge's mark minus the other judges' mean, averaged over the units the judge
 *   marked, on the 100-point scale; own-group entrants against the rest.
 */
import type { Aggregation, Scheme } from '../../contracts/scheme.ts';
import { roundHalfUp } from '../rounding.ts';
import type { MarkInput } from '../scoring.ts';
import { diffOfDiffsTest, type DiffOfDiffsResult } from './permutation.ts';
import { mean, median, spearman } from './statistics.ts';
import { MIN_ENTRIES_FOR_CORRELATION } from './trainees.ts';
import { unitMarks } from './unit-marks.ts';

/** One round's counting marks (trainees already left out) with its scheme. */
export interface QualityRound {
  /** Distinguishes rounds (and events) when several are pooled, e.g. `${eventId}:${roundId}`. */
  key: string;
  scheme: Scheme;
  marks: readonly MarkInput[];
  /** Only these parts (all when null or absent). */
  partIds?: ReadonlySet<string> | null;
}

export interface QualityInput {
  rounds: readonly QualityRound[];
  /** The judges to report on, in the order wanted. */
  judgeIds: readonly number[];
  /** Each judge's own group (home unit), null when unknown. */
  judgeHome: ReadonlyMap<number, string | null>;
  /** Each entry's group, null when unknown (left out of the home-group check). */
  entryHome: ReadonlyMap<number, string | null>;
  /** Seed of the permutation test's Monte Carlo branch; combined with the judge's id so each judge's p-value is reproducible alone. */
  seed: number;
}

export interface JudgeQuality {
  judgeId: number;
  /** Unit marks compared (units with at least one other counting mark). */
  marks: number;
  /** Entries (entrants) the judge's compared marks are for. */
  entries: number;
  /** Mean (mark − panel median), 100-point scale, 2 decimals; null without marks. */
  meanDeviation: number | null;
  /** Mean |mark − panel median|, 100-point scale, 2 decimals. */
  meanAbsDeviation: number | null;
  dropped: {
    /** Unit marks where the aggregation dropped marks. */
    eligible: number;
    /** Expected number of this judge's marks dropped (ties share a drop), 2 decimals. */
    count: number;
    /** count ÷ eligible, 3 decimals; null when none eligible. */
    share: number | null;
    /** The share a judge would see by chance alone: mean of 2·drop ÷ marks, 3 decimals. */
    expectedShare: number | null;
  };
  consistency: {
    /** Entry-weighted mean of the per-unit Spearman coefficients, 3 decimals; null when none could be computed. */
    rho: number | null;
    /** Units (part or criterion, per round) with a coefficient. */
    units: number;
  };
  home: {
    group: string | null;
    /** null when the check cannot be made; see `reason`. */
    test: (Omit<DiffOfDiffsResult, 'ownMean' | 'otherMean' | 'difference'> & { ownMean: number; otherMean: number; difference: number }) | null;
    reason: 'no_home' | 'no_own_entrants' | 'no_other_entrants' | null;
  };
}

type Obs = { judgeId: number; entryId: number; group: string; value: number; max: number; others: number[]; all: number[]; aggregation: Aggregation };

/** Judge quality for every judge in `judgeIds` (see the file's header for each figure). */
export function judgeQuality(input: QualityInput): JudgeQuality[] {
  const obs: Obs[] = [];
  for (const round of input.rounds) {
    const units = unitMarks(round.scheme, round.marks).filter((u) => !round.partIds || round.partIds.has(u.partId));
    const byCell = new Map<string, typeof units>();
    for (const u of units) {
      const key = `${u.entryId}|${u.unit}`;
      const list = byCell.get(key);
      if (list) list.push(u);
      else byCell.set(key, [u]);
    }
    const aggregationOf = new Map(round.scheme.parts.map((p) => [p.id, p.aggregation]));
    for (const cell of byCell.values()) {
      if (cell.length < 2) continue;
      const all = cell.map((u) => u.value);
      for (const u of cell) {
        obs.push({
          judgeId: u.judgeId,
          entryId: u.entryId,
          group: `${round.key}|${u.unit}`,
          value: u.value,
          max: u.max,
          others: cell.filter((o) => o !== u).map((o) => o.value),
          all,
          aggregation: aggregationOf.get(u.partId)!,
        });
      }
    }
  }

  return input.judgeIds.map((judgeId) => {
    const mine = obs.filter((o) => o.judgeId === judgeId);
    const scale = (o: Obs, d: number) => (d / o.max) * 100;
    const deviations = mine.map((o) => scale(o, o.value - median(o.all)));

    let eligible = 0;
    let dropped = 0;
    let expected = 0;
    for (const o of mine) {
      const drop = 'drop' in o.aggregation ? o.aggregation.drop : 0;
      const n = o.all.length;
      if (drop <= 0 || n < 2 * drop + 1) continue;
      eligible++;
      expected += (2 * drop) / n;
      const below = o.all.filter((v) => v < o.value).length;
      const tied = o.all.filter((v) => v === o.value).length;
      // The tie group holds sorted positions below .. below + tied − 1; positions < drop and ≥ n − drop are dropped.
      const low = Math.max(0, Math.min(drop, below + tied) - below);
      const high = Math.max(0, below + tied - Math.max(below, n - drop));
      dropped += (low + high) / tied;
    }

    // Consistency: per unit group, the judge's marks against the others' mean over the entries.
    const groups = new Map<string, { mine: number[]; others: number[] }>();
    for (const o of mine) {
      let g = groups.get(o.group);
      if (!g) groups.set(o.group, (g = { mine: [], others: [] }));
      g.mine.push(o.value);
      g.others.push(mean(o.others));
    }
    let weighted = 0;
    let weight = 0;
    let unitsWithRho = 0;
    for (const g of groups.values()) {
      if (g.mine.length < MIN_ENTRIES_FOR_CORRELATION) continue;
      const rho = spearman(g.mine, g.others);
      if (rho === null) continue;
      weighted += rho * g.mine.length;
      weight += g.mine.length;
      unitsWithRho++;
    }

    // Home-group check: per entrant, the judge's mean difference from the others (100-point scale).
    const perEntry = new Map<number, number[]>();
    for (const o of mine) {
      const list = perEntry.get(o.entryId);
      const d = scale(o, o.value - mean(o.others));
      if (list) list.push(d);
      else perEntry.set(o.entryId, [d]);
    }
    const group = input.judgeHome.get(judgeId) ?? null;
    let home: JudgeQuality['home'] = { group, test: null, reason: 'no_home' };
    if (group !== null) {
      const values: number[] = [];
      const own: boolean[] = [];
      for (const [entryId, diffs] of [...perEntry].sort((a, b) => a[0] - b[0])) {
        const entryGroup = input.entryHome.get(entryId) ?? null;
        if (entryGroup === null) continue;
        values.push(mean(diffs));
        own.push(entryGroup === group);
      }
      const ownCount = own.filter(Boolean).length;
      const result = diffOfDiffsTest(values, own, (input.seed + Math.imul(judgeId, 0x9e3779b1)) >>> 0);
      home = result
        ? {
            group,
            reason: null,
            test: { ...result, ownMean: roundHalfUp(result.ownMean, 2), otherMean: roundHalfUp(result.otherMean, 2), difference: roundHalfUp(result.difference, 2), pValue: roundHalfUp(result.pValue, 4) },
          }
        : { group, test: null, reason: ownCount === 0 ? 'no_own_entrants' : 'no_other_entrants' };
    }

    return {
      judgeId,
      marks: mine.length,
      entries: perEntry.size,
      meanDeviation: deviations.length ? roundHalfUp(mean(deviations), 2) : null,
      meanAbsDeviation: deviations.length ? roundHalfUp(mean(deviations.map(Math.abs)), 2) : null,
      dropped: {
        eligible,
        count: roundHalfUp(dropped, 2),
        share: eligible ? roundHalfUp(dropped / eligible, 3) : null,
        expectedShare: eligible ? roundHalfUp(expected / eligible, 3) : null,
      },
      consistency: { rho: weight ? roundHalfUp(weighted / weight, 3) : null, units: unitsWithRho },
      home,
    };
  });
}
