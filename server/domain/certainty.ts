/**
 * Live certainty while marks arrive (issue 13): for each entry of a round, the lowest and highest
 * total it can still reach, and whether its prize tier or its advancement is already certain
 * (clinched), no longer possible (out of reach) or still open. Pure, no I/O.
 *
 * ## Why the bounds are exact
 *
 * What can still arrive for an entry: the marks its panels still owe (each judge's part mark
 * counts once every criterion of the part is in; the panel owes `expected − counted` judges, and a
 * judge who marked some criteria owes the rest), objective values not yet entered, and a
 * completion time not yet entered where the completion_time tie-break uses it. Each missing mark
 * lies anywhere on its criterion's grid, from its minimum (0, unless grades go below) in steps up
 * to the largest step not above its max; an objective value on 0.01 from 0 up to the part's max.
 *
 * Every step of the engine from a mark to the total is monotone in each mark, the same way for
 * every judge: a judge's part mark is Σ factor × criterion (rubric, objective; factors are
 * positive) or max(0, max − Σ deductions) (deduction: non-increasing in a deduction, so a
 * deduction's "lowest" is its largest value); a penalty part's score is subtracted (reversed
 * again); a grade turns into the grade table's points for the entry's base value (the lowest and
 * highest points are taken, whichever grades give them); every
 * aggregation — mean, median, trimmed mean, trimmed sum and their fallbacks for short panels —
 * is non-decreasing in each mark once the number of marks is fixed (all expected marks in);
 * rounding half-up is non-decreasing; difficulty, multiplier and weight/max are factors ≥ 0; the
 * total is a sum, plus the carried total, itself non-decreasing in earlier rounds' totals. So the
 * total is smallest with every missing mark at its own lowest value and largest with every one at
 * its highest, and those two completions exist: the bounds are attained, hence exact. They are
 * computed with the engine itself ({@link scoreEntry} on the entry's marks plus the missing ones
 * filled in at their extremes), so they stay right when the engine's formulas change, as long as
 * it stays monotone (test/domain/certainty.properties.test.ts checks against brute force).
 *
 * The ranking key (total, then the tie-breaks) has a least and a greatest attainable value too:
 * the practical and theory subtotals and a part's column (part:<id>) are sums of the same
 * monotone contributions, so at the lowest total every one of them is at its lowest (a higher one
 * would make the total higher);
 * a missing completion time is worst missing (it sorts last) and best at 0 s, independently of
 * the marks. So `min` and `max` below are the entry's worst and best places in the ranking order,
 * and every completion lies between them.
 *
 * ## Why the states are exact
 *
 * Entries are independent: an entry's total depends only on its own marks. Let, for entry e,
 * - maxAhead(e): entries that can still finish strictly ahead of e at its worst: the others whose
 *   best key beats e's worst key;
 * - maxAtOrAhead(e): the same, counting those that can tie with it (equal key: a shared rank);
 * - minAhead(e), minAtOrAhead(e): the others that finish ahead of (or tied with) e at its best
 *   even at their own worst, i.e. in every completion.
 * The worst case for e — e at its worst, everyone else at their best — is one completion, and in
 * it exactly maxAhead(e) entries are ahead of e: no completion puts more ahead. Likewise the best
 * case puts exactly minAhead(e) ahead and no completion fewer. All four counts come from one
 * ranking of everyone's worst and best scores together ({@link rankEntries}, so ties, the
 * tie-breaks, withdrawn entries after the others and unranked statuses are the engine's own).
 *
 * - Prizes, ties `include` (default): an entrant gets a tier ≤ k exactly when fewer than C_k
 *   (the places of tiers 1..k, {@link prizePlaces} for the number of ranked entrants, which marks
 *   never change) are strictly ahead of it (the tier of a rank group is decided by the position of
 *   its first member). So tier ≤ k is clinched iff maxAhead < C_k and out of reach iff
 *   minAhead ≥ C_k.
 * - Ties `exclude`: a group gets a tier only if it ends inside it, so the same with the counts
 *   that include ties (maxAtOrAhead, minAtOrAhead).
 * - Advancement top_n / top_percent: the same with the round's places (selectAdvancers' own
 *   count of ranked entrants who stayed), tiesAtCut include / exclude as above; min_score: the
 *   worst total against the score and the best total against it. Withdrawn entries never advance.
 *
 * Two rule options make the outcome depend on more than counts: ties `expand` (a tie straddling a
 * boundary pushes the next tiers back, so whether *other* entrants can tie each other matters) and
 * tier minimum scores (分数线: an entrant ahead who misses a line can fall into e's tier). Whether
 * two other entrants can still finish exactly level, or one land exactly between e and a line,
 * depends on totals strictly between their extremes, which a completion may or may not reach (a
 * 0.5-point step times a weight reaches only some hundredths). There the states come from sound
 * certificates and engine witnesses ({@link decideCertainty}): clinched and out of reach are
 * never wrong, and `exact` says whether "still open" is certain to be open too. They are exact
 * whenever no entrant with marks still missing can finish at or ahead of e (then only e moves,
 * and e's outcome is monotone in its own key), in particular once every mark is in.
 *
 * Entries with marks missing are ranked among the others by the engine, as prizes and advancement
 * are decided (the venue screen lists them after the complete ones, but that order is display only:
 * server/domain/live-order.ts). Absent, disqualified and reserve entries are not ranked; withdrawn
 * ones follow the event's rule (ranked after everyone who stayed, or not at all), never advance,
 * and get no more judges' marks (staff may still enter their objective values).
 *
 * What certainty assumes: the expected marks arrive. A correction of a mark already in, a change of
 * an entry's status, a panel, a difficulty coefficient, a declared base value, a void element or a
 * completion time already entered, or reopening a closed round can move anything; the state is
 * recomputed after each. A penalty (an objective penalty part) owes nothing but may still be
 * entered while the round is open, so it widens the range downwards until marking closes.
 */
import type { PrizeRule } from '../contracts/awards.ts';
import { criteriaOf, criterionGrades, panelPerCriterion, type Advancement, type Criterion, type Part, type Scheme } from '../contracts/scheme.ts';
import { selectAdvancers } from './advancement.ts';
import { allocatePrizes, prizePlaces, type PrizeCandidate } from './awards/prizes.ts';
import { toHundredths } from './rounding.ts';
import { panelKey, rankEntries, scoreEntry, type EntryInput, type EntryScore, type EntryStatus, type MarkInput, type RankingRow, type WithdrawnRanking } from './scoring.ts';

/** What can still arrive for an entry (closed rounds and released events: nothing). */
export interface StillArriving {
  /** Judges' marks (the entry is checked in, or may still check in, and its round is open). */
  marks: boolean;
  /** Objective values and a completion time entered by staff (not absent or disqualified, round open). */
  objective: boolean;
}

/** One entry as the engine sees it, and what can still arrive for it. */
export interface CertaintyEntry {
  input: EntryInput;
  /** The entry's current (counting) marks, as the engine is given them. */
  marks: readonly MarkInput[];
  arriving: StillArriving;
  /** The range of what earlier rounds carry (their own bounds); default: `input.carried` fixed. */
  carried?: { min: number; max: number };
  /** The engine's current score of the entry, when the caller has it (saves one scoreEntry). */
  current?: EntryScore;
}

/** An entry's reachable range: the engine's scores with every missing value at its lowest and its highest. */
export interface EntryBounds {
  entryId: number;
  status: EntryStatus;
  current: EntryScore;
  /** The worst completion: its total is the lowest total the entry can still reach. */
  min: EntryScore;
  /** The best completion. */
  max: EntryScore;
  /** Marks and values still to come (each criterion mark and each objective value counts one). */
  missing: number;
  /** A completion time can still be entered (it decides the completion_time tie-break). */
  timeOpen: boolean;
}

/** The engine's lowest value on a grid of `step` (0), and its highest: the largest multiple of `step` not above `max`. */
export function highestOnStep(max: number, step: number): number {
  const key = `${max}/${step}`;
  let top = highest.get(key);
  if (top === undefined) highest.set(key, (top = computeHighestOnStep(max, step)));
  return top;
}

/** highestOnStep by `max/step`: a scheme has a handful of grids, asked about for every missing mark. */
const highest = new Map<string, number>();

function computeHighestOnStep(max: number, step: number): number {
  const m = decimal(max);
  const s = decimal(step);
  const scale = Math.max(m.scale, s.scale);
  const mu = m.units * 10n ** BigInt(scale - m.scale);
  const su = s.units * 10n ** BigInt(scale - s.scale);
  if (su <= 0n || mu <= 0n) return 0;
  const units = (mu / su) * su; // floor: bigint division truncates, both positive
  // Parsing the decimal text gives the double nearest the exact value, as an entered mark would be.
  return Number(`${units}e-${scale}`);
}

/** What entryBounds needs of each part of a scheme, worked out once per scheme. */
interface PartPlan {
  part: Part;
  criteria: Criterion[];
  index: Map<string, number>;
  objective: boolean;
  /** Aggregated per element: by `aggregateBy: 'element'` or a panel per criterion. */
  element: boolean;
  /** Higher marks lower the total: deductions (扣分制), and penalty parts (subtracted); a deducted penalty is both, so neither. */
  reversed: boolean;
  /** Each criterion's lowest and highest value; null where a grade table makes it depend on the entry's base value. */
  ranges: ([number, number] | null)[];
}

const plans = new WeakMap<Scheme, PartPlan[]>();
const NO_VOIDS: readonly string[] = [];

function planOf(scheme: Scheme): PartPlan[] {
  let plan = plans.get(scheme);
  if (plan) return plan;
  plan = scheme.parts.map((part) => {
    const criteria = criteriaOf(part);
    return {
      part,
      criteria,
      index: new Map(criteria.map((c, k) => [c.id, k])),
      objective: part.marking === 'objective',
      element: part.marking !== 'objective' && (part.aggregateBy === 'element' || panelPerCriterion(part)),
      reversed: (part.marking === 'deduction') !== (part.kind === 'penalty'),
      ranges: criteria.map((c): [number, number] | null => (c.gradeTable === undefined ? [c.min ?? 0, highestOnStep(c.max, c.step)] : null)),
    };
  });
  plans.set(scheme, plan);
  return plan;
}

/**
 * A grade-table criterion's lowest and highest grade by points: grades turn into the table's
 * points for the entry's base value, so the extremes are the grades with the fewest and the most
 * points, whichever they are (a table need not rise with the grade). Without a base value (or a
 * row for it) the element is not scored yet: the grade's own ends stand in.
 */
function gradeRange(scheme: Scheme, c: Criterion, base: number | undefined): [number, number] {
  const table = scheme.gradeTables?.find((t) => t.id === c.gradeTable);
  const row = table && typeof base === 'number' ? table.rows.find((r) => toHundredths(r.baseValue) === toHundredths(base)) : undefined;
  if (table && row) {
    let lo: { grade: number; points: number } | null = null;
    let hi: { grade: number; points: number } | null = null;
    for (const grade of criterionGrades(c, 1000) ?? []) {
      const k = table.grades.findIndex((g) => Math.abs(g - grade) < 1e-9);
      const points = k < 0 ? undefined : row.points[k];
      if (points === undefined) continue;
      if (lo === null || points < lo.points) lo = { grade, points };
      if (hi === null || points > hi.points) hi = { grade, points };
    }
    if (lo !== null && hi !== null) return [lo.grade, hi.grade];
  }
  return [c.min ?? 0, highestOnStep(c.max, c.step)];
}

/** How many judges have marked each criterion of the part (the engine keeps one mark per judge and slot). */
function markedPerCriterion(plan: PartPlan, entryId: number, marks: readonly MarkInput[]): number[] {
  const seen = new Set<string>();
  const counts = plan.criteria.map(() => 0);
  for (const m of marks) {
    if (m.entryId !== entryId || m.partId !== plan.part.id || !Number.isFinite(m.value)) continue;
    const k = plan.index.get(m.criterionId);
    if (k === undefined || seen.has(`${m.judgeId}:${k}`)) continue;
    seen.add(`${m.judgeId}:${k}`);
    counts[k]!++;
  }
  return counts;
}

/** The criteria of the part one judge has marked. */
function criteriaMarkedBy(plan: PartPlan, entryId: number, judgeId: number, marks: readonly MarkInput[]): Set<string> {
  const done = new Set<string>();
  for (const m of marks)
    if (m.entryId === entryId && m.judgeId === judgeId && m.partId === plan.part.id && Number.isFinite(m.value) && plan.index.has(m.criterionId)) done.add(m.criterionId);
  return done;
}

/** A finite number as integer units of its shortest decimal text (93.5 → 935 × 10^-1), as server/domain/decimal.ts reads marks. */
function decimal(x: number): { units: bigint; scale: number } {
  const [mantissa = '0', exponent = '0'] = String(Math.abs(x)).toLowerCase().split('e');
  const [whole = '0', fraction = ''] = mantissa.split('.');
  let scale = fraction.length - Number(exponent);
  let units = BigInt(whole + fraction);
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { units, scale };
}

/**
 * The entry's reachable range (see the file comment for why it is exact): the marks and values
 * still owed are filled in at their lowest and at their highest and the entry is scored by the
 * engine both ways. Who owes what is read from the engine's own score of the entry (judges
 * counted, judges with a part half marked, marks expected), so it follows the engine's rules.
 */
export function entryBounds(scheme: Scheme, entry: CertaintyEntry): EntryBounds {
  const { input, marks, arriving } = entry;
  const current = entry.current ?? scoreEntry(scheme, input, marks);
  const low: MarkInput[] = [];
  const high: MarkInput[] = [];
  const objectiveLow: Record<string, number | null | undefined> | undefined = input.objective ? { ...input.objective } : undefined;
  const objectiveHigh: Record<string, number | null | undefined> | undefined = input.objective ? { ...input.objective } : undefined;
  let missing = 0;
  // Judges who have not marked yet get ids of their own below every real one; aggregations do not look at ids.
  let nextJudge = -1;
  const entryId = input.entryId;

  let widened = false; // a value that may arrive though nothing is owed (a penalty)
  planOf(scheme).forEach((plan, index) => {
    const ps = current.parts[index];
    if (!ps) return;
    const { part, criteria, reversed } = plan;
    const voided = plan.objective ? NO_VOIDS : input.voids?.[part.id];
    const isVoid = (c: Criterion) => voided !== undefined && voided.includes(c.id);
    const add = (judgeId: number, c: Criterion, k: number) => {
      const [lo, hi] = plan.ranges[k] ?? gradeRange(scheme, c, input.baseValues?.[part.id]?.[c.id]);
      low.push({ entryId, judgeId, partId: part.id, criterionId: c.id, value: reversed ? hi : lo });
      high.push({ entryId, judgeId, partId: part.id, criterionId: c.id, value: reversed ? lo : hi });
      missing++;
    };

    if (plan.objective && input.objective !== undefined) {
      // Entered by staff: one value, complete when present (the engine reads it from input.objective).
      const value = input.objective[part.id];
      if (arriving.objective && !(typeof value === 'number' && Number.isFinite(value))) {
        const top = highestOnStep(part.max, 0.01);
        if (part.kind === 'penalty') {
          // A penalty with nothing entered counts 0 and owes nothing, but one may still be entered.
          objectiveLow![part.id] = top;
          widened = true;
        } else {
          objectiveLow![part.id] = 0;
          objectiveHigh![part.id] = top;
          missing++;
        }
      }
      return;
    }
    if (!arriving.marks) return;

    if (plan.element) {
      // Each element is aggregated over its panel on its own: it owes expected − counted marks,
      // as the engine counts them where it reports elements; a void element owes none.
      const counted = ps.elements ? null : markedPerCriterion(plan, entryId, marks);
      criteria.forEach((c, k) => {
        if (isVoid(c)) return;
        const element = ps.elements?.[k];
        const expected = input.panels?.[panelKey(part.id, panelPerCriterion(part) ? c.id : null)]?.expected ?? part.expectedMarks;
        const owed = element ? element.expected - element.marksIn : expected - counted![k]!;
        for (let j = 0; j < owed; j++) add(nextJudge--, c, k);
      });
      return;
    }

    // One panel for the part: judges half way through finish their sheet, the rest of the panel
    // marks in full; void criteria are nobody's to mark.
    for (const judgeId of ps.partialJudges) {
      const done = criteriaMarkedBy(plan, entryId, judgeId, marks);
      criteria.forEach((c, k) => {
        if (!isVoid(c) && !done.has(c.id)) add(judgeId, c, k);
      });
    }
    const owed = ps.expected - ps.marksIn - ps.partialJudges.length;
    for (let j = 0; j < owed; j++) {
      const judgeId = nextJudge--;
      criteria.forEach((c, k) => {
        if (!isVoid(c)) add(judgeId, c, k);
      });
    }
  });

  const time = input.completionSeconds;
  const timeOpen = arriving.objective && scheme.tieBreaks.includes('completion_time') && !(typeof time === 'number' && Number.isFinite(time));
  const carried = entry.carried;
  const carriedMoves = carried !== undefined && carried.min !== carried.max;
  if (missing === 0 && !widened && !timeOpen && !carriedMoves) {
    const fixed = carried === undefined || carried.min === (input.carried ?? 0) ? current : scoreEntry(scheme, { ...input, carried: carried.min }, marks);
    return { entryId, status: input.status, current, min: fixed, max: fixed, missing: 0, timeOpen: false };
  }
  const min = scoreEntry(
    scheme,
    { ...input, carried: carried?.min ?? input.carried, objective: objectiveLow, completionSeconds: timeOpen ? null : input.completionSeconds },
    low.length ? [...marks, ...low] : marks,
  );
  const max = scoreEntry(
    scheme,
    // 0 s is the shortest time the grid accepts: first on the completion_time tie-break.
    { ...input, carried: carried?.max ?? input.carried, objective: objectiveHigh, completionSeconds: timeOpen ? 0 : input.completionSeconds },
    high.length ? [...marks, ...high] : marks,
  );
  return { entryId, status: input.status, current, min, max, missing, timeOpen };
}

// ---------------------------------------------------------------------------------------

/** What the round's outcome is decided by. */
export interface CertaintyTargets {
  /** The event's prize rule, for the round prizes are awarded on (the last); null: no prize certainty. */
  prizeRule?: PrizeRule | null;
  /** The round's advancement rule (when there is a next round); null: none. */
  advancement?: Advancement | null;
  /** The event's rule for withdrawn entries (default after_complete, as the engine). */
  withdrawn?: WithdrawnRanking;
}

/**
 * Where an entry stands on prizes. Tiers are numbered from 1 (一等奖); a better prize is a lower
 * number. `guaranteed`: the worst tier it can still end with (a prize at least this good is
 * certain: every tier from it down is clinched), null when it can still end without a prize.
 * `best`: the best tier it can still reach, null when no prize is (out of reach). Tier k is
 * clinched when guaranteed ≤ k, out of reach when best is null or best > k, open otherwise.
 */
export interface PrizeCertainty {
  guaranteed: number | null;
  best: number | null;
  /**
   * False only under ties `expand` or tier minimum scores, when whether other entrants can still
   * tie each other or fall below a line decides it: then an open tier may in truth be decided
   * (never the other way round). See the file comment.
   */
  exact: boolean;
}

export type CertaintyState = 'clinched' | 'out_of_reach' | 'open';

/** One entry's certainty in a round. */
export interface EntryCertainty {
  entryId: number;
  status: EntryStatus;
  /** The engine ranks it (not absent, disqualified, reserve, or withdrawn under the unranked rule). */
  ranked: boolean;
  total: number;
  min: number;
  max: number;
  missing: number;
  /** Nothing can move it any more: min = max and no completion time to come. */
  settled: boolean;
  prize: PrizeCertainty | null;
  advancement: CertaintyState | null;
}

export interface RoundCertainty {
  entries: EntryCertainty[];
  /** Places per tier (the rule's counts or rounded shares for the ranked entrants), null without a prize rule. */
  prizePlaces: number[] | null;
  /** Entrants the prize shares are taken of. */
  prizeEntrants: number;
  /** Places the advancement rule gives (null for min_score or without a rule). */
  advancementPlaces: number | null;
}

/** The state of one prize tier from an entry's prize certainty. */
export function tierState(p: PrizeCertainty, tier: number): CertaintyState {
  if (p.guaranteed !== null && p.guaranteed <= tier) return 'clinched';
  if (p.best === null || p.best > tier) return 'out_of_reach';
  return 'open';
}

/** Whether an entry's prize is decided: which tier (or none) is certain. */
export function prizeState(p: PrizeCertainty): CertaintyState {
  if (p.best === null) return 'out_of_reach';
  if (p.guaranteed !== null && p.guaranteed === p.best) return 'clinched';
  return 'open';
}

/** Not a prize entrant (not ranked, absent, disqualified): no prize, decided. */
const NO_PRIZE: PrizeCertainty = { guaranteed: null, best: null, exact: true };

/**
 * Decides every entry's state from the entries' bounds (see the file comment): one ranking of
 * everyone's worst and best scores together, counts over it, and the rule's places. O(n log n):
 * after a mark only the marked entry's bounds change, but any entry's state can, so this runs
 * whole (a few milliseconds for 1,000 entries; `npm run bench:certainty`).
 */
export function decideCertainty(scheme: Scheme, bounds: readonly EntryBounds[], targets: CertaintyTargets = {}): RoundCertainty {
  const n = bounds.length;
  const withdrawn = targets.withdrawn ?? 'after_complete';
  // Entry i's worst score is ranked as id 2i, its best as 2i + 1: the engine sorts full ties by id,
  // and the ids only have to be distinct. An entry that can no longer move (late in the marking,
  // most of them) is ranked once, as its best row standing for both.
  const merged: EntryScore[] = [];
  for (let i = 0; i < n; i++) {
    const b = bounds[i]!;
    if (b.min !== b.max) merged.push(relabelled(b.min, 2 * i));
    merged.push(relabelled(b.max, 2 * i + 1));
  }
  const rows = rankEntries(scheme, merged, { withdrawn });

  // Rank groups in order (rows sharing a rank have equal keys); -1 for unranked rows.
  const group = new Int32Array(2 * n).fill(-1);
  const maxInGroup: number[] = [];
  const minInGroup: number[] = [];
  let g = -1;
  let lastRank: number | null = null;
  for (const row of rows) {
    if (row.rank === null) continue;
    if (row.rank !== lastRank) {
      g++;
      lastRank = row.rank;
      maxInGroup.push(0);
      minInGroup.push(0);
    }
    group[row.entryId] = g;
    if (row.entryId % 2 === 0) minInGroup[g]!++;
    else {
      maxInGroup[g]!++;
      // A fixed entry's one row is its worst row too.
      if (bounds[(row.entryId - 1) / 2]!.min === bounds[(row.entryId - 1) / 2]!.max) {
        minInGroup[g]!++;
        group[row.entryId - 1] = g;
      }
    }
  }
  const maxBefore = prefix(maxInGroup);
  const minBefore = prefix(minInGroup);

  const counts = bounds.map((_, i) => {
    const gMin = group[2 * i]!;
    const gMax = group[2 * i + 1]!;
    if (gMin < 0 || gMax < 0) return null;
    // The entry's own best row is at or ahead of its own worst one (monotone bounds); it is not an "other".
    return {
      gMin,
      gMax,
      maxAhead: maxBefore[gMin]! - (gMax < gMin ? 1 : 0),
      maxAtOrAhead: maxBefore[gMin]! + maxInGroup[gMin]! - (gMax <= gMin ? 1 : 0),
      minAhead: minBefore[gMax]! - (gMin < gMax ? 1 : 0),
      minAtOrAhead: minBefore[gMax]! + minInGroup[gMax]! - (gMin <= gMax ? 1 : 0),
    };
  });

  const isFixed = (row: RankingRow) => row.entryId % 2 === 1 && bounds[(row.entryId - 1) / 2]!.min === bounds[(row.entryId - 1) / 2]!.max;
  // Everyone at their worst, and everyone at their best: each is a ranking the engine could give.
  const minRows = rows.filter((r) => r.entryId % 2 === 0 || isFixed(r)).map((r) => (r.entryId % 2 === 0 ? r : { ...r, entryId: r.entryId - 1 }));
  const maxRows = rows.filter((r) => r.entryId % 2 === 1);
  const prize = targets.prizeRule ? decidePrizes(bounds, counts, maxRows, minRows, targets.prizeRule) : null;
  const advancement = targets.advancement ? decideAdvancement(bounds, counts, minRows, targets.advancement) : null;

  const entries = bounds.map((b, i): EntryCertainty => {
    const c = counts[i];
    return {
      entryId: b.entryId,
      status: b.status,
      ranked: c !== null,
      total: b.current.total,
      min: b.min.total,
      max: b.max.total,
      missing: b.missing,
      settled: b.missing === 0 && !b.timeOpen && b.min.total === b.max.total,
      prize: prize ? (prize.byEntry[i] ?? NO_PRIZE) : null,
      advancement: advancement ? advancement.byEntry[i]! : null,
    };
  });
  return {
    entries,
    prizePlaces: prize?.places ?? null,
    prizeEntrants: prize?.entrants ?? 0,
    advancementPlaces: advancement?.places ?? null,
  };
}

/**
 * A score under another id, kept while the score object lives: after a mark only the marked
 * entry's scores are new, so a live round copies two scores per mark, not every entry's.
 */
function relabelled(score: EntryScore, id: number): EntryScore {
  const known = relabels.get(score);
  if (known?.entryId === id) return known;
  const copy = { ...score, entryId: id };
  relabels.set(score, copy);
  return copy;
}
const relabels = new WeakMap<EntryScore, EntryScore>();

function prefix(values: readonly number[]): number[] {
  const out = new Array<number>(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    out[i] = sum;
    sum += values[i]!;
  }
  return out;
}

type Counts = { gMin: number; gMax: number; maxAhead: number; maxAtOrAhead: number; minAhead: number; minAtOrAhead: number } | null;

/** The first tier k (1-based) for which `holds(k)`, or null. */
function firstTier(tiers: number, holds: (k: number) => boolean): number | null {
  for (let k = 1; k <= tiers; k++) if (holds(k)) return k;
  return null;
}

function decidePrizes(bounds: readonly EntryBounds[], counts: readonly Counts[], maxRows: readonly RankingRow[], minRows: readonly RankingRow[], rule: PrizeRule) {
  // The entrants the places are taken of: ranked and not absent or disqualified, as allocatePrizes counts them.
  const entrants = minRows.filter((r) => r.rank !== null && r.status !== 'absent' && r.status !== 'disqualified').length;
  const places = prizePlaces(entrants, rule);
  const m = places.length;
  const ends = prefix([...places, 0]).slice(1); // ends[k-1] = C_k, places of tiers 1..k
  const lines = rule.tiers.map((t) => (t.minScore === undefined ? null : toHundredths(t.minScore)));
  const hasLines = lines.some((l) => l !== null);
  const exotic = rule.ties === 'expand' || hasLines;
  const isLine = (i: number) => counts[i] !== null && bounds[i]!.status !== 'absent' && bounds[i]!.status !== 'disqualified';

  // Witnesses for the exotic rules: the engine's allocation when everyone is at their worst, and
  // when everyone is at their best. Each is a completion that can happen.
  let atWorst: (number | null)[] = [];
  let atBest: (number | null)[] = [];
  let firstVariable: { g: number; i: number }[] = [];
  let depthBelow: (g: number) => number = () => 1;
  // The lowest worst total of the ranked entrants who stayed (see `surely` below).
  let stayingFloorH = Infinity;
  counts.forEach((c, i) => {
    if (c && bounds[i]!.status !== 'withdrawn') stayingFloorH = Math.min(stayingFloorH, toHundredths(bounds[i]!.min.total));
  });
  if (exotic) {
    const asCandidates = (list: readonly RankingRow[]): PrizeCandidate[] =>
      list.map((r) => ({ entryId: r.entryId, rank: r.rank, status: r.status, provisional: false, total: r.total }));
    atWorst = tiersBySlot(allocatePrizes(asCandidates(minRows), rule).awards, bounds.length, 0);
    atBest = tiersBySlot(allocatePrizes(asCandidates(maxRows), rule).awards, bounds.length, 1);
    // The two best-placed best rows of entries that can still move (worst and best keys differ):
    // an entry with no other such entry able to reach its worst place has only itself left to move.
    const variable: { g: number; i: number }[] = [];
    counts.forEach((c, i) => {
      if (c && c.gMin !== c.gMax) variable.push({ g: c.gMax, i });
    });
    variable.sort((a, b) => a.g - b.g);
    firstVariable = variable.slice(0, 2);
    if (rule.ties === 'expand') depthBelow = tieDepths(counts);
  }
  const byEntry = bounds.map((b, i): PrizeCertainty | undefined => {
    const c = counts[i];
    if (!c || !isLine(i)) return undefined;
    if (!exotic) {
      // include: the position of the group's first member decides; exclude: its last member's.
      const worst = rule.ties === 'exclude' ? c.maxAtOrAhead : c.maxAhead;
      const best = rule.ties === 'exclude' ? c.minAtOrAhead : c.minAhead;
      return { guaranteed: firstTier(m, (k) => worst < ends[k - 1]!), best: firstTier(m, (k) => best < ends[k - 1]!), exact: true };
    }
    const minH = toHundredths(b.min.total);
    const maxH = toHundredths(b.max.total);
    // Entrants ahead of e meet every line e meets: their totals are at least e's. Not so for a
    // withdrawn e, whom everyone who stayed is ahead of whatever their totals: for it a line counts
    // as surely met only if every entrant who stayed surely meets it too.
    const floorH = b.status === 'withdrawn' ? Math.min(minH, stayingFloorH) : minH;
    const surely = (k: number) => lines[k - 1] == null || floorH >= lines[k - 1]!;
    const possibly = (k: number) => lines[k - 1] == null || maxH >= lines[k - 1]!;

    // Another entry that can still move and can reach e's worst place: without one, only e moves.
    const other = firstVariable.find((v) => v.i !== i);
    if (other === undefined || other.g > c.gMin) return { guaranteed: atWorst[i] ?? null, best: atBest[i] ?? null, exact: true };

    // Sound certificates. Clinched: tiers e surely meets the line of take the entrants ahead of e in
    // rank order; tiers it may miss may take nobody (the worst case), and a tie's overflow under
    // include (or expand) never leaves e worse off than no tie.
    let guaranteed: number | null;
    if (rule.ties === 'exclude') {
      // A group straddling a tier's end waits for the next tier with the spare places; only a run
      // of consecutive tiers e surely meets is sure to pass them on.
      guaranteed = firstTier(m, (k) => {
        let run = 0;
        for (let j = 1; j <= k; j++) run = surely(j) ? run + places[j - 1]! : 0;
        return run > c.maxAtOrAhead;
      });
    } else {
      guaranteed = firstTier(m, (k) => {
        let sum = 0;
        for (let j = 1; j <= k; j++) if (surely(j)) sum += places[j - 1]!;
        return c.maxAhead < sum;
      });
    }
    // Out of reach: e can meet no line of tiers 1..k, or the entrants ahead of it in every
    // completion already fill every place up to k (lines only leave places empty); under expand
    // only when no two entrants that can finish ahead of e can tie (a tie adds places).
    const reach = (k: number) => {
      let meets = false;
      for (let j = 1; j <= k; j++) if (possibly(j)) meets = true;
      if (!meets) return false;
      if (rule.ties === 'include') return c.minAhead < ends[k - 1]!;
      if (rule.ties === 'exclude') return c.minAtOrAhead < ends[k - 1]!;
      // expand: e can only get a tier with places. Tier j ends at most T − 1 places after its
      // count, T the most entrants that can share one key among those that can finish ahead of e
      // (best row ahead of e's worst): a straddling group is one of them. So e, with at least
      // minAhead entrants ahead, can get a tier ≤ k only if minAhead < C_k + (k − 1)(T − 1). That
      // set only shrinks as marks arrive, so out of reach, once shown, stays shown.
      if (!places.slice(0, k).some((p, j) => p > 0 && possibly(j + 1))) return false;
      return c.minAhead < ends[k - 1]! + (k - 1) * (depthBelow(c.gMin) - 1);
    };
    const best = firstTier(m, reach);
    // The witnesses are completions: where they meet the certificates (or the certificates meet
    // each other), the state is exact.
    const tiers = [rankOfTier(atWorst[i] ?? null), rankOfTier(atBest[i] ?? null)];
    const exact = guaranteed === best || (Math.max(...tiers) === rankOfTier(guaranteed) && Math.min(...tiers) === rankOfTier(best));
    return { guaranteed, best, exact };
  });
  return { byEntry, places, entrants };
}

/** A tier number with "no prize" last, so that a better prize is a smaller number. */
const rankOfTier = (tier: number | null) => tier ?? Infinity;

/**
 * For ties under expand: given a group g, the most ranges [best group, worst group] of entries
 * whose best is above g that share one point (Helly on a line: ranges that pairwise overlap share
 * one), i.e. the largest number of them that could finish level. The entry asked about may be among
 * them, which only makes the number larger (sound). O(n log n) to build, O(log n) per question.
 */
function tieDepths(counts: readonly Counts[]): (g: number) => number {
  const ranges = counts.flatMap((c) => (c === null ? [] : [c])).sort((a, b) => a.gMax - b.gMax);
  const starts: number[] = [];
  const depth: number[] = [];
  const ends: number[] = []; // a min-heap of the worst ends of the ranges still open
  let deepest = 0;
  for (const r of ranges) {
    while (ends.length > 0 && ends[0]! < r.gMax) heapPop(ends);
    heapPush(ends, r.gMin);
    deepest = Math.max(deepest, ends.length);
    starts.push(r.gMax);
    depth.push(deepest);
  }
  return (g) => {
    // The last range starting strictly above g.
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! < g) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 1 : Math.max(1, depth[lo - 1]!);
  };
}

function heapPush(heap: number[], value: number): void {
  heap.push(value);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent]! <= heap[i]!) break;
    [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
    i = parent;
  }
}

function heapPop(heap: number[]): void {
  const last = heap.pop()!;
  if (heap.length === 0) return;
  heap[0] = last;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let smallest = i;
    if (l < heap.length && heap[l]! < heap[smallest]!) smallest = l;
    if (r < heap.length && heap[r]! < heap[smallest]!) smallest = r;
    if (smallest === i) return;
    [heap[smallest], heap[i]] = [heap[i]!, heap[smallest]!];
    i = smallest;
  }
}

/** Tier by entry index from an allocation over rows with slot ids 2i + parity. */
function tiersBySlot(awards: readonly { entryId: number; tier: number }[], n: number, parity: 0 | 1): (number | null)[] {
  const out: (number | null)[] = new Array(n).fill(null);
  for (const a of awards) if (a.entryId % 2 === parity) out[(a.entryId - parity) / 2] = a.tier;
  return out;
}

function decideAdvancement(bounds: readonly EntryBounds[], counts: readonly Counts[], minRows: readonly RankingRow[], advancement: Advancement) {
  const rule = advancement.rule;
  // The engine's own count of places: the ranked entries that stayed decide top_percent's share.
  const places = rule.kind === 'min_score' ? null : selectAdvancers(minRows, advancement).places;
  const byEntry = bounds.map((b, i): CertaintyState => {
    const c = counts[i];
    // Only ranked entries that stayed can advance (selectAdvancers).
    if (!c || b.status === 'withdrawn') return 'out_of_reach';
    if (rule.kind === 'min_score') {
      if (b.min.total >= rule.score) return 'clinched';
      if (b.max.total < rule.score) return 'out_of_reach';
      return 'open';
    }
    const include = advancement.tiesAtCut === 'include';
    if ((include ? c.maxAhead : c.maxAtOrAhead) < places!) return 'clinched';
    if ((include ? c.minAhead : c.minAtOrAhead) >= places!) return 'out_of_reach';
    return 'open';
  });
  return { byEntry, places };
}

/** Bounds and states of a whole round from scratch: {@link entryBounds} for each entry, then {@link decideCertainty}. */
export function computeCertainty(scheme: Scheme, entries: readonly CertaintyEntry[], targets: CertaintyTargets = {}): RoundCertainty {
  return decideCertainty(
    scheme,
    entries.map((e) => entryBounds(scheme, e)),
    targets,
  );
}

/**
 * Live certainty of one round, kept up to date mark by mark: {@link update} re-bounds only the
 * entry that changed (two scoreEntry calls), {@link result} re-decides every state (one ranking of
 * 2n rows) at most once per change. This is the shape the server's live ranking uses.
 */
export class LiveCertainty {
  private readonly bounds = new Map<number, EntryBounds>();
  private cached: RoundCertainty | null = null;

  constructor(
    private readonly scheme: Scheme,
    private readonly targets: CertaintyTargets,
    entries: Iterable<CertaintyEntry> = [],
  ) {
    for (const e of entries) this.bounds.set(e.input.entryId, entryBounds(scheme, e));
  }

  /** The entry's marks, values or status changed: re-bound it. */
  update(entry: CertaintyEntry): void {
    this.bounds.set(entry.input.entryId, entryBounds(this.scheme, entry));
    this.cached = null;
  }

  result(): RoundCertainty {
    this.cached ??= decideCertainty(this.scheme, [...this.bounds.values()], this.targets);
    return this.cached;
  }
}
