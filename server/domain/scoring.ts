/**
 * The scoring engine: judges' marks → part scores → entry totals → ranking.
 *
 * Pure functions, no I/O. The server keeps one {@link EntryScore} per entry in memory,
 * re-scores only the entry that received a mark ({@link scoreEntry}) and re-ranks
 * ({@link rankEntries}); {@link computeRanking} does everything from scratch.
 *
 * ## Rounding points (the only places a value is rounded; half-up, 2 decimals)
 *
 * (a) A part's panel result (`aggregate`, the mean / trimmed mean / median / trimmed sum of
 *     the judges' part marks) is rounded to 2 decimals. This is the figure a results sheet
 *     prints for the part (e.g. 85.83 for 85 + 86 + 86.5 over 3), so everything after it is
 *     recomputable by hand from the sheet. A part with a panel per criterion (`panel:
 *     'criterion'`) rounds each criterion's panel result instead, and its aggregate is their
 *     exact sum (rubric) or the part max − their exact sum, never below 0 (deduction).
 * (b) A part's `score` = rounded aggregate × difficulty × multiplier, rounded to 2 decimals.
 *     Diving publishes exactly this per dive (sum of the 3 kept marks × DD, Sydney 2000 also
 *     × 0.6); the products are exact decimals there and the rounding only removes float noise
 *     (39 × 1.6 × 0.6 is 37.440000000000005 in binary, 37.44 on the sheet).
 * (c) A part's weighted `contribution` = score × weight / max, rounded to 2 decimals (the
 *     折算分 column). Rounding each column, not only the total, keeps the printed columns
 *     adding up to the printed total. Raw totaling uses the score as it is.
 * (d) The entry total and the theory / practical subtotals are exact sums of 2-decimal
 *     values, added as integer hundredths: no rounding happens there, and equal totals
 *     compare equal, which shared ranks rely on.
 * (e) A team's mean (computeTeamRanking, method 'mean') is rounded to 2 decimals, and teams
 *     are ranked by the rounded, published figure.
 * (f) `carried` (earlier rounds) is expected with at most 2 decimals; more are rounded.
 *
 * ## Element parts, base values, grade tables, factors, penalties (issue 13; all opt-in)
 *
 * An element part (`aggregateBy: 'element'`, or a panel per criterion) aggregates each criterion
 * (element) over the panel on its own. A judge's grade is first turned into points when the
 * criterion names a grade table (points = table[entry's base value][grade]); the panel's value is
 * then rounded (point a, per element), multiplied by the criterion's `factor` and rounded again
 * when the factor is not 1 (ISU Rule 353: a component's trimmed mean × factor), and the element
 * scores base value + that judged value; a void element scores 0 and expects no marks. The part is
 * the exact sum of its elements (or max − the sum, for deduction marking). In a judge-aggregated
 * part a factor weighs the criterion inside each judge's part mark and a void criterion is left out.
 * A penalty part (`kind: 'penalty'`) is scored like any other and subtracted from the total
 * unweighted. The scheme's `rounding` moves point (a): `part` keeps element values exact and
 * rounds the part, `end` rounds nothing until the round's total and subtotals, which are then
 * rounded once from the exact contributions (the printed part columns are the rounded figures
 * and need not add up). `rounding.mode: 'truncate'` cuts toward zero instead of rounding half-up
 * at every point of the scheme (a–c and the end); team means and carried totals stay half-up.
 * Without these options every figure is as described above, to the hundredth.
 *
 * The reproduction tests (test/domain/fixtures) check these points against the official
 * results of the Paris 2024 and Sydney 2000 Olympic diving finals, every dive and total.
 *
 * Judges' part marks (Σ criterion values, or max − Σ deductions) are not rounded: they are
 * only cleaned of float noise (0.1 + 0.2 → 0.3), which cannot change an entered decimal.
 */
import { criteriaOf, panelPerCriterion, perElement, tieBreakPart } from '../contracts/scheme.ts';
import type { Part, Scheme, TieBreak } from '../contracts/scheme.ts';
import { aggregateMarks } from './aggregation.ts';
import { cleanFloat, fromHundredths, roundHalfUp, toHundredths, truncate } from './rounding.ts';

/**
 * Where an entry stands in the event's process. Absent and disqualified entries are not ranked;
 * a reserve (替补) is in no round until put into one; a withdrawn entry (退赛) keeps the parts it
 * completed and is placed by the event's {@link WithdrawnRanking} rule.
 */
export type EntryStatus = 'registered' | 'checked_in' | 'absent' | 'disqualified' | 'withdrawn' | 'reserve';

/**
 * Where withdrawn entries stand: after_complete → ranked after every other ranked entry (among
 * themselves by total and tie-breaks), unranked → not ranked, listed with absent and disqualified.
 */
export type WithdrawnRanking = 'after_complete' | 'unranked';

/** Event rules that shape a ranking beyond the scheme. */
export interface RankOptions {
  /** Default after_complete. */
  withdrawn?: WithdrawnRanking;
}

/**
 * One judge's current mark for one criterion of one part of one entry (only the current
 * version). Range and step are validated where marks are entered; the engine takes the value
 * as it is (a deduction part's criterion value is the deduction).
 */
export interface MarkInput {
  entryId: number;
  judgeId: number;
  partId: string;
  criterionId: string;
  value: number;
}

/** What the engine needs to know about an entry besides its marks. */
export interface EntryInput {
  entryId: number;
  status: EntryStatus;
  /** Completion time of the practical task (the completion_time tie-break); missing sorts last. */
  completionSeconds?: number | null;
  /** Difficulty coefficient (难度系数) per part id; used only for parts with `usesDifficulty`, default 1. */
  difficulty?: Record<string, number>;
  /** Earlier rounds' total to add (see {@link carriedTotal}); default 0. */
  carried?: number;
  /**
   * Values of the objective parts (exam results, measurements) entered by staff, by part id.
   * When given (even empty), an objective part is scored from here alone: one value, no
   * aggregation, complete when present; judges' marks for objective parts are ignored. When
   * omitted, objective parts are scored from marks like any other part (one mark per judge, as
   * in the diving reproductions).
   */
  objective?: Readonly<Record<string, number | null | undefined>>;
  teamId?: number | null;
  /**
   * Base value per part id and criterion id, for parts that use base values (`usesBaseValues`):
   * element score = base value + the panel's judged value. An element without one is not scored
   * yet (its part has no score and is incomplete).
   */
  baseValues?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /**
   * Void elements declared by the chief judge, per part id: criterion ids. A void element scores 0,
   * its marks are not used and no mark is expected for it, so it never leaves the entry provisional.
   */
  voids?: Readonly<Record<string, readonly string[]>>;
  /**
   * The panel behind each part (key: part id) or, for a part with a panel per criterion, each
   * criterion (key `partId:criterionId`, see {@link panelKey}): its size and the marks expected
   * for this entry (the size minus judges recused from it). A part without one uses the scheme's
   * `expectedMarks` for both.
   */
  panels?: Record<string, PanelExpectation>;
}

/** A panel's size and the number of its judges expected to mark one entry (see EntryInput.panels). */
export interface PanelExpectation {
  size: number;
  expected: number;
}

/** The key of a panel in {@link EntryInput.panels}: the part id, or `partId:criterionId` for a per-criterion panel. */
export function panelKey(partId: string, criterionId?: string | null): string {
  return criterionId ? `${partId}:${criterionId}` : partId;
}

/** One judge's mark for a whole part. */
export interface JudgePartMark {
  judgeId: number;
  mark: number;
}

/** How one element (criterion) of an element part scored (PartScore.elements). */
export interface ElementScore {
  criterionId: string;
  /** Declared void by the chief judge: scores 0, expects no marks. */
  void: boolean;
  /** The entry's base value (parts that use base values), else null. */
  baseValue: number | null;
  /** The panel's value after grade conversion and factor, rounded as the scheme says; null until scored. */
  judged: number | null;
  /** baseValue + judged (0 for a void element); null until scored. */
  score: number | null;
  marksIn: number;
  expected: number;
  complete: boolean;
}

/** How one part of one entry scored. */
export interface PartScore {
  partId: string;
  role: Part['role'];
  /** Part marks of the judges who marked every criterion of the part, by judge id. */
  judgeMarks: JudgePartMark[];
  /** Judges who marked some but not all criteria of the part: their marks are ignored until complete. */
  partialJudges: number[];
  /** Number of judges' part marks counted (= judgeMarks.length); for a per-criterion panel, the criterion marks counted; 1 for an entered objective value. */
  marksIn: number;
  /** Marks expected for this entry: the panel minus recused judges (summed over criteria for per-criterion panels). */
  expected: number;
  /** Panel result rounded to 2 decimals (rounding point a); null while marksIn < the part's minMarks. */
  aggregate: number | null;
  /** The aggregation had too few marks and used its documented fallback (see aggregateMarks). */
  fellBack: boolean;
  /** Every expected mark is in (per criterion for per-criterion panels); never while nobody may mark (expected 0); an objective part with entered values: its value is present. */
  complete: boolean;
  /** Difficulty coefficient applied (1 unless the part uses difficulty and the entry declares one). */
  difficulty: number;
  /** aggregate × difficulty × multiplier, rounded to 2 decimals (rounding point b); null with the aggregate. */
  score: number | null;
  /** What the part adds to the total: weighted score / max × weight (rounding point c), raw the score; 0 without a score. A penalty part's is minus its score. */
  contribution: number;
  /**
   * Per element: always for parts with `aggregateBy: 'element'`, and for parts with a panel per
   * criterion once this entry has a void element there; absent otherwise (so existing parts read as
   * before). Judge-aggregated parts have no per-element figures.
   */
  elements?: ElementScore[];
}

/** How one entry scored: the unit the server keeps in memory and re-computes per new mark. */
export interface EntryScore {
  entryId: number;
  status: EntryStatus;
  teamId: number | null;
  completionSeconds: number | null;
  /** One per scheme part, in scheme order. */
  parts: PartScore[];
  carried: number;
  /** This round's own total: Σ contributions (exact), what a later round carries over. */
  roundTotal: number;
  /** roundTotal + carried (exact, rounding point d): what the entry is ranked on. */
  total: number;
  /** Σ contributions of the theory parts (the theory tie-break). */
  theory: number;
  /** Σ contributions of the practical parts (the practical tie-break). */
  practical: number;
  /** Every part complete; otherwise the entry ranks provisionally. */
  complete: boolean;
  /** Some part used an aggregation fallback (too few marks). */
  fellBack: boolean;
  /** Marks that matched no part/criterion of the scheme, another entry, or were not finite numbers. */
  ignoredMarks: number;
}

/** One line of a ranking. Ranked entries come first in rank order, then the unranked ones. */
export interface RankingRow {
  /** Standard competition rank (1, 2, 2, 4); null for entries not ranked (absent, disqualified, reserve; withdrawn by rule). */
  rank: number | null;
  entryId: number;
  teamId: number | null;
  status: EntryStatus;
  total: number;
  theory: number;
  practical: number;
  completionSeconds: number | null;
  /** Ranked with missing marks that can still arrive: the rank can still change (never for a withdrawn entry). */
  provisional: boolean;
  /** Another row has the same rank (equal total and equal on every tie-break). */
  sharedRank: boolean;
  /**
   * When this row has the same total as the row above but a lower rank: the tie-break that
   * separated them (so the sheet can say "ranked below on completion time"). Otherwise null.
   */
  tieBrokenBy: TieBreak | null;
  /** The full score behind the row. */
  score: EntryScore;
}

// ---------------------------------------------------------------------------------------
// Scheme compilation: a lookup from (part id, criterion id) to a flat criterion slot, built
// once per scheme object so the per-mark loop does two Map lookups and no allocation.

/** A grade table ready for lookups: points by base value (in hundredths), grade positions by grade. */
interface CompiledTable {
  rows: Map<number, readonly number[]>;
  gradeIndex: Map<number, number>;
}

/** The key a grade is looked up by: exact for grades with up to 6 decimals, whatever float noise they carry. */
const gradeKey = (grade: number) => Math.round(grade * 1e6);

interface CompiledPart {
  part: Part;
  /** First flat slot of the part's criteria. */
  offset: number;
  /** Number of criteria (1 for objective parts). */
  count: number;
  criterionSlots: Map<string, number>;
  /** Criterion ids in slot order. */
  criterionIds: string[];
  /** Aggregated per element (aggregateBy 'element' or a panel per criterion). */
  element: boolean;
  /** The scheme asks for element detail (aggregateBy 'element'): PartScore.elements is always filled. */
  detail: boolean;
  penalty: boolean;
  /** Criterion factors in slot order, or null when every factor is 1 (the common case: no multiplication). */
  factors: Float64Array | null;
  /** Grade tables in slot order, or null when no criterion has one. */
  tables: (CompiledTable | null)[] | null;
}

interface CompiledScheme {
  parts: CompiledPart[];
  byId: Map<string, CompiledPart>;
  /** Total number of criteria over all parts: the length of one judge's row in EntryMarks.values. */
  width: number;
  /** The scheme's rounding (rounding point a and its mode for a–c). */
  at: 'element' | 'part' | 'end';
  round: (value: number) => number;
  /** The tie-breaks, each `part:<id>` one with its column in RankKey.partsH. */
  tieBreaks: CompiledTieBreak[];
  /** The part index behind each RankKey.partsH column (−1 when the scheme has no such part); empty: no part tie-breaks. */
  partColumns: number[];
}

const halfUp2 = (value: number) => roundHalfUp(value, 2);
const truncate2 = (value: number) => truncate(value, 2);

// Schemes are treated as immutable values (they come out of zod parsing), so a cache keyed by
// the object is safe and lets scoreEntry be called per mark without re-compiling.
const compiledSchemes = new WeakMap<Scheme, CompiledScheme>();

function compile(scheme: Scheme): CompiledScheme {
  const cached = compiledSchemes.get(scheme);
  if (cached) return cached;
  const parts: CompiledPart[] = [];
  const byId = new Map<string, CompiledPart>();
  const tables = new Map<string, CompiledTable>();
  for (const table of scheme.gradeTables ?? [])
    tables.set(table.id, {
      rows: new Map(table.rows.map((r) => [toHundredths(r.baseValue), r.points])),
      gradeIndex: new Map(table.grades.map((g, k) => [gradeKey(g), k])),
    });
  let width = 0;
  for (const part of scheme.parts) {
    const criteria = criteriaOf(part);
    const criterionSlots = new Map<string, number>();
    criteria.forEach((c, i) => criterionSlots.set(c.id, width + i));
    const anyFactor = criteria.some((c) => c.factor !== undefined && c.factor !== 1);
    const anyTable = criteria.some((c) => c.gradeTable !== undefined);
    const compiled: CompiledPart = {
      part,
      offset: width,
      count: criteria.length,
      criterionSlots,
      criterionIds: criteria.map((c) => c.id),
      element: perElement(part),
      detail: part.aggregateBy === 'element' && part.marking !== 'objective',
      penalty: part.kind === 'penalty',
      factors: anyFactor ? Float64Array.from(criteria, (c) => c.factor ?? 1) : null,
      tables: anyTable ? criteria.map((c) => (c.gradeTable === undefined ? null : (tables.get(c.gradeTable) ?? null))) : null,
    };
    parts.push(compiled);
    byId.set(part.id, compiled);
    width += criteria.length;
  }
  const partColumns: number[] = [];
  const tieBreaks = scheme.tieBreaks.map((tieBreak): CompiledTieBreak => {
    const id = tieBreakPart(tieBreak);
    if (id === null) return { tieBreak, kind: tieBreak === 'completion_time' ? 0 : tieBreak === 'practical' ? 1 : 2, partColumn: -1 };
    partColumns.push(scheme.parts.findIndex((p) => p.id === id));
    return { tieBreak, kind: 3, partColumn: partColumns.length - 1 };
  });
  const result: CompiledScheme = {
    parts,
    byId,
    width,
    at: scheme.rounding?.at ?? 'element',
    round: scheme.rounding?.mode === 'truncate' ? truncate2 : halfUp2,
    tieBreaks,
    partColumns,
  };
  compiledSchemes.set(scheme, result);
  return result;
}

/**
 * The marks of one entry collected so far: judge j's value for flat criterion slot k is
 * `values[j * width + k]`, NaN while unmarked (marks are finite, so NaN is free as a sentinel).
 * One typed array per entry instead of one per judge or per mark keeps the 100,000-mark loop
 * free of allocation.
 */
interface EntryMarks {
  entryId: number;
  judgeIds: number[];
  values: Float64Array;
  ignored: number;
}

/** Judges an entry's buffer holds before it grows (panels are 3–7 judges). */
const INITIAL_JUDGES = 8;

function newEntryMarks(entryId: number, width: number): EntryMarks {
  return { entryId, judgeIds: [], values: new Float64Array(Math.max(1, width) * INITIAL_JUDGES).fill(Number.NaN), ignored: 0 };
}

/** Files one mark into an entry's buffer; later marks for the same slot overwrite earlier ones. */
function addMark(compiled: CompiledScheme, acc: EntryMarks, m: MarkInput): void {
  const slot = m.entryId === acc.entryId && Number.isFinite(m.value) ? compiled.byId.get(m.partId)?.criterionSlots.get(m.criterionId) : undefined;
  if (slot === undefined) {
    acc.ignored++;
    return;
  }
  const judgeIds = acc.judgeIds;
  let j = judgeIds.indexOf(m.judgeId); // a handful of judges: a linear scan beats a Map
  if (j === -1) {
    j = judgeIds.length;
    judgeIds.push(m.judgeId);
    const needed = judgeIds.length * compiled.width;
    if (needed > acc.values.length) {
      const grown = new Float64Array(acc.values.length * 2).fill(Number.NaN);
      grown.set(acc.values);
      acc.values = grown;
    }
  }
  acc.values[j * compiled.width + slot] = m.value;
}

// ---------------------------------------------------------------------------------------

/**
 * Scores one entry from its current marks.
 *
 * An objective part with `entry.objective` given takes its value from there (a single value,
 * no aggregation, complete when present) and ignores marks. Otherwise:
 * a judge's part mark: objective → the value of the criterion whose id is the part id;
 * rubric → Σ criterion values; deduction → max(0, part max − Σ deductions). A judge counts
 * for a part only once they have marked every criterion of it (otherwise they are listed in
 * `partialJudges`). The marks expected come from the entry's `panels` (the panel minus judges
 * recused from the entry), else the scheme's `expectedMarks`; with fewer counted judges than
 * that the part is not `complete`, and with fewer than the part's `minMarks` (or than the
 * expected marks, when recusals leave fewer than `minMarks`) it has no score yet and
 * contributes 0. A part with a panel per criterion aggregates each criterion over its own panel
 * and adds the results up (see rounding point a).
 * If a judge has two marks for the same criterion, the later one in `marks` wins.
 * Weighted totaling divides a part's score by the part's max, so it expects the panel result
 * on the 0..max scale (mean, trimmed mean, median); a trimmed sum (diving) belongs with raw
 * totaling.
 *
 * @param marks the entry's marks; marks of other entries or unknown parts/criteria are ignored and counted
 */
export function scoreEntry(scheme: Scheme, entry: EntryInput, marks: readonly MarkInput[]): EntryScore {
  const compiled = compile(scheme);
  const acc = newEntryMarks(entry.entryId, compiled.width);
  for (const m of marks) addMark(compiled, acc, m);
  return finishEntry(scheme, compiled, entry, acc);
}

function finishEntry(scheme: Scheme, compiled: CompiledScheme, entry: EntryInput, acc: EntryMarks): EntryScore {
  const width = compiled.width;
  const values = acc.values;
  const R = compiled.round;
  const atEnd = compiled.at === 'end';
  // Judges in id order, so judgeMarks and partialJudges do not depend on the order of marks.
  const order = acc.judgeIds.map((_, j) => j).sort((a, b) => acc.judgeIds[a]! - acc.judgeIds[b]!);
  const parts: PartScore[] = [];
  let totalH = 0;
  let theoryH = 0;
  let practicalH = 0;
  // Rounding at the end: the exact contributions, rounded once per total.
  let totalX = 0;
  let theoryX = 0;
  let practicalX = 0;
  let complete = true;
  let fellBack = false;

  for (const cp of compiled.parts) {
    const part = cp.part;
    const judgeMarks: JudgePartMark[] = [];
    const partialJudges: number[] = [];
    // An objective part with entered values: the value is the part's only "mark" (no panel, no aggregation).
    const fromStore = part.marking === 'objective' && entry.objective !== undefined;
    const declared = entry.difficulty?.[part.id];
    const difficulty = part.usesDifficulty && typeof declared === 'number' && Number.isFinite(declared) ? declared : 1;
    const voided = part.marking === 'objective' ? undefined : entry.voids?.[part.id];
    let aggregateValue: number | null = null;
    // What an `end` scheme's one rounding adds up: the aggregate before any 15-digit reading (see scoreElements).
    let aggregateX: number | null = null;
    let partFellBack = false;
    let marksIn = 0;
    let expected = 0;
    let partComplete: boolean;
    let elements: ElementScore[] | undefined;

    if (fromStore) {
      const entered = entry.objective![part.id];
      const present = typeof entered === 'number' && Number.isFinite(entered);
      if (!present && cp.penalty) {
        // Most entries have no deduction: nothing entered is 0 and nothing is missing.
        partComplete = true;
        aggregateValue = 0;
        aggregateX = 0;
      } else {
        marksIn = present ? 1 : 0;
        expected = 1;
        partComplete = present;
        if (present) aggregateValue = aggregateX = atEnd ? entered : R(entered); // rounding point (a)
      }
    } else if (cp.element) {
      const outcome = scoreElements(compiled, cp, entry, acc, order, voided);
      aggregateValue = outcome.aggregate;
      aggregateX = outcome.aggregateX;
      marksIn = outcome.marksIn;
      expected = outcome.expected;
      partComplete = outcome.complete;
      partFellBack = outcome.fellBack;
      elements = outcome.elements;
    } else {
      const partMarks: number[] = [];
      // Void criteria are left out of every judge's part mark and out of what a judge must mark.
      let skip: Uint8Array | null = null;
      let needed = cp.count;
      if (voided !== undefined && voided.length > 0) {
        skip = new Uint8Array(cp.count);
        for (let k = 0; k < cp.count; k++)
          if (voided.includes(cp.criterionIds[k]!)) {
            skip[k] = 1;
            needed--;
          }
      }
      const factors = cp.factors;
      for (const j of order) {
        const judgeId = acc.judgeIds[j]!;
        const from = j * width + cp.offset;
        const to = from + cp.count;
        let markedCount = 0;
        let sum = 0;
        if (skip === null && factors === null) {
          for (let k = from; k < to; k++) {
            const v = values[k]!;
            if (v === v) {
              // not NaN: marked
              markedCount++;
              sum += v;
            }
          }
        } else {
          for (let k = 0; k < cp.count; k++) {
            if (skip !== null && skip[k] === 1) continue;
            const v = values[from + k]!;
            if (v === v) {
              markedCount++;
              sum += factors === null ? v : v * factors[k]!;
            }
          }
        }
        if (markedCount === 0) continue;
        if (markedCount < needed) {
          partialJudges.push(judgeId);
          continue;
        }
        const mark = cleanFloat(part.marking === 'deduction' ? Math.max(0, part.max - sum) : sum);
        judgeMarks.push({ judgeId, mark });
        partMarks.push(mark);
      }
      if (needed === 0) {
        // Every criterion void: nothing to mark and nothing missing; the part scores as if all were 0.
        partComplete = true;
        aggregateValue = aggregateX = part.marking === 'deduction' ? part.max : 0;
      } else {
        marksIn = partMarks.length;
        const panel = entry.panels?.[part.id];
        expected = panel?.expected ?? part.expectedMarks;
        partComplete = expected > 0 && marksIn >= expected;
        // With judges recused the panel expects fewer marks than minMarks may ask for: the part is
        // scored once every expected mark is in (the aggregation's documented fallback applies).
        if (marksIn > 0 && marksIn >= Math.min(part.minMarks, Math.max(1, expected))) {
          const outcome = aggregateMarks(partMarks, part.aggregation, { panelSize: panel?.size ?? part.expectedMarks });
          partFellBack = outcome.fellBack;
          // outcome.value is non-null because marksIn > 0.
          aggregateX = atEnd ? outcome.value! : R(outcome.value!); // rounding point (a)
          aggregateValue = atEnd ? cleanFloat(aggregateX) : aggregateX;
        }
      }
    }

    let score: number | null = null;
    let contribution = 0;
    let contributionX = 0;
    if (aggregateValue !== null) {
      // A penalty is subtracted as it is: never scaled by a weight.
      const weighted = scheme.totaling === 'weighted' && !cp.penalty;
      if (atEnd) {
        const scoreX = aggregateX! * difficulty * part.multiplier;
        contributionX = weighted ? (scoreX * part.weight) / part.max : scoreX;
        score = R(scoreX);
        contribution = R(contributionX);
      } else {
        score = R(aggregateValue * difficulty * part.multiplier); // rounding point (b)
        contribution = weighted ? R((score * part.weight) / part.max) : score; // rounding point (c)
      }
      if (cp.penalty) {
        contribution = contribution === 0 ? 0 : -contribution;
        contributionX = -contributionX;
      }
    }
    const contributionH = toHundredths(contribution);
    totalH += contributionH;
    totalX += contributionX;
    if (part.role === 'theory') {
      theoryH += contributionH;
      theoryX += contributionX;
    } else if (part.role === 'practical') {
      practicalH += contributionH;
      practicalX += contributionX;
    }
    if (!partComplete) complete = false;
    if (partFellBack) fellBack = true;

    const partScore: PartScore = {
      partId: part.id,
      role: part.role,
      judgeMarks,
      partialJudges,
      marksIn,
      expected,
      aggregate: aggregateValue,
      fellBack: partFellBack,
      complete: partComplete,
      difficulty,
      score,
      contribution,
    };
    if (elements !== undefined) partScore.elements = elements;
    parts.push(partScore);
  }

  if (atEnd) {
    // The one rounding of an `end` scheme: the round's total and subtotals from the exact contributions.
    totalH = toHundredths(R(totalX));
    theoryH = toHundredths(R(theoryX));
    practicalH = toHundredths(R(practicalX));
  }
  const carried = roundHalfUp(entry.carried ?? 0, 2); // rounding point (f)
  const roundTotalH = totalH;
  totalH += toHundredths(carried);
  return {
    entryId: entry.entryId,
    status: entry.status,
    teamId: entry.teamId ?? null,
    completionSeconds: entry.completionSeconds ?? null,
    parts,
    carried,
    roundTotal: fromHundredths(roundTotalH),
    total: fromHundredths(totalH),
    theory: fromHundredths(theoryH),
    practical: fromHundredths(practicalH),
    complete,
    fellBack,
    ignoredMarks: acc.ignored,
  };
}

interface ElementsOutcome {
  aggregate: number | null;
  /** The aggregate as the float arithmetic has it, for an `end` scheme's one rounding; else `aggregate`. */
  aggregateX: number | null;
  marksIn: number;
  expected: number;
  complete: boolean;
  fellBack: boolean;
  elements: ElementScore[] | undefined;
}

/**
 * An element part (aggregateBy 'element', or a panel per criterion): each element is aggregated
 * over its panel on its own and the part adds them up (see "Element parts" at the top). The part is
 * scored once every element is: enough marks (minMarks, or every expected one when recusals leave
 * fewer) and, where the part uses base values, its base value (and a row of its grade table).
 */
function scoreElements(
  compiled: CompiledScheme,
  cp: CompiledPart,
  entry: EntryInput,
  acc: EntryMarks,
  order: readonly number[],
  voided: readonly string[] | undefined,
): ElementsOutcome {
  const part = cp.part;
  const R = compiled.round;
  const at = compiled.at;
  const width = compiled.width;
  const values = acc.values;
  const criteria = part.criteria;
  const perCriterionPanel = panelPerCriterion(part);
  const partPanel = perCriterionPanel ? undefined : entry.panels?.[part.id];
  const bases = part.usesBaseValues ? entry.baseValues?.[part.id] : undefined;
  const hasVoids = voided !== undefined && voided.length > 0;
  const elements: ElementScore[] | undefined = cp.detail || hasVoids ? [] : undefined;
  let marksIn = 0;
  let expected = 0;
  let complete = true;
  let scored = true;
  let fellBack = false;
  let sumH = 0;
  let sumX = 0;

  for (let i = 0; i < cp.count; i++) {
    const criterion = criteria[i]!;
    if (hasVoids && voided.includes(criterion.id)) {
      elements?.push({ criterionId: criterion.id, void: true, baseValue: null, judged: null, score: 0, marksIn: 0, expected: 0, complete: true });
      continue;
    }
    const slot = cp.offset + i;
    const panel = perCriterionPanel ? entry.panels?.[panelKey(part.id, criterion.id)] : partPanel;
    const exp = panel?.expected ?? part.expectedMarks;
    let base: number | null = null;
    let waiting = false;
    const table = cp.tables === null ? null : cp.tables[i]!;
    let row: readonly number[] | undefined;
    if (part.usesBaseValues) {
      const b = bases?.[criterion.id];
      if (typeof b === 'number' && Number.isFinite(b)) base = b;
      else waiting = true;
      if (table !== null && base !== null) {
        row = table.rows.get(toHundredths(base));
        if (row === undefined) waiting = true; // no points for this base value: cannot score yet
      }
    }
    const list: number[] = [];
    for (const j of order) {
      let v = values[j * width + slot]!;
      if (v !== v) continue;
      if (table !== null && row !== undefined) {
        const k = table.gradeIndex.get(gradeKey(v));
        if (k === undefined) {
          acc.ignored++; // a grade the table lacks (the scheme contract and mark validation keep it out)
          continue;
        }
        v = row[k]!;
      }
      list.push(v);
    }
    marksIn += list.length;
    expected += exp;
    const elementComplete = exp > 0 && list.length >= exp && !waiting;
    if (!elementComplete) complete = false;
    let judged: number | null = null;
    // Unrounded (`part` / `end`): the element's value as the float arithmetic has it. The sum is
    // taken over these, not over the 15-digit readings shown per element: −5/3 read as
    // −1.66666666666667 and 2/3 as 0.666666666666667 add up to −0.999999999999997, and the part
    // would then round 0.375 down to 0.37.
    let judgedX = 0;
    if (!waiting && list.length > 0 && list.length >= Math.max(1, Math.min(part.minMarks, exp))) {
      const outcome = aggregateMarks(list, part.aggregation, { panelSize: panel?.size ?? part.expectedMarks });
      if (outcome.fellBack) fellBack = true;
      const factor = cp.factors === null ? 1 : cp.factors[i]!;
      if (at === 'element') {
        judged = R(outcome.value!); // rounding point (a), per element
        if (factor !== 1) judged = R(judged * factor);
      } else {
        judgedX = factor === 1 ? outcome.value! : outcome.value! * factor;
        judged = cleanFloat(judgedX);
      }
    } else scored = false;
    let score: number | null = null;
    if (judged !== null) {
      if (at === 'element') {
        score = base === null ? judged : R(base + judged);
        sumH += toHundredths(score);
        sumX += score;
      } else {
        const scoreX = base === null ? judgedX : base + judgedX;
        score = cleanFloat(scoreX);
        sumX += scoreX;
      }
    }
    elements?.push({ criterionId: criterion.id, void: false, baseValue: base, judged, score, marksIn: list.length, expected: exp, complete: elementComplete });
  }

  let aggregate: number | null = null;
  let aggregateX: number | null = null;
  if (scored) {
    if (at === 'element') {
      // Exact sums of 2-decimal element values.
      aggregate = part.marking === 'deduction' ? Math.max(0, fromHundredths(toHundredths(part.max) - sumH)) : fromHundredths(sumH);
      aggregateX = aggregate;
    } else {
      const exact = part.marking === 'deduction' ? Math.max(0, part.max - sumX) : sumX;
      aggregate = at === 'part' ? R(exact) : cleanFloat(exact); // rounding point (a), per part
      aggregateX = at === 'part' ? aggregate : exact;
    }
  } else fellBack = false;
  return { aggregate, aggregateX, marksIn, expected, complete, fellBack, elements };
}

// ---------------------------------------------------------------------------------------

/**
 * Whether an entry takes part in the ranking: registered and checked-in entries do, withdrawn
 * ones by the rule, absent, disqualified and reserve entries do not.
 */
export function isRankable(status: EntryStatus, withdrawn: WithdrawnRanking = 'after_complete'): boolean {
  if (status === 'withdrawn') return withdrawn === 'after_complete';
  return status === 'registered' || status === 'checked_in';
}

interface RankKey {
  score: EntryScore;
  rankable: boolean;
  /** 0: ranked normally; 1: withdrawn, ranked after every tier-0 entry. */
  tier: number;
  totalH: number;
  theoryH: number;
  practicalH: number;
  time: number | null;
  /** The contributions (hundredths) of the parts the `part:<id>` tie-breaks name, in tie-break order; null when none does. */
  partsH: Int32Array | null;
}

/**
 * A tie-break of the scheme as the comparator reads it: `kind` 0 completion time, 1 practical,
 * 2 theory, 3 a named part (its column in RankKey.partsH is `partColumn`). Numbers, not strings,
 * because the sort compares tied entries with it.
 */
interface CompiledTieBreak {
  tieBreak: TieBreak;
  kind: 0 | 1 | 2 | 3;
  partColumn: number;
}

/** <0 when a ranks above b on this tie-break, >0 when below, 0 when it does not separate them. */
function compareTieBreak(tb: CompiledTieBreak, a: RankKey, b: RankKey): number {
  switch (tb.kind) {
    case 0:
      if (a.time === b.time) return 0;
      if (a.time === null) return 1; // a missing time sorts after a present one
      if (b.time === null) return -1;
      return a.time - b.time; // shorter first
    case 1:
      return b.practicalH - a.practicalH;
    case 2:
      return b.theoryH - a.theoryH;
    case 3:
      return b.partsH![tb.partColumn]! - a.partsH![tb.partColumn]!; // the part's higher total first
  }
}

/**
 * Ranks scored entries.
 *
 * Order: total descending, then the scheme's `tieBreaks` in order (completion_time: shorter
 * first, a missing time after any present one; practical / theory: higher subtotal first;
 * part:<id>: the higher contribution of that part first, e.g. "the higher practical score"),
 * then entry id (only to make the order deterministic: entries still equal on total and every
 * tie-break share the rank). Ranks are standard competition ranks: 1, 2, 2, 4.
 * Entries with missing marks are ranked among the others, flagged `provisional`. Withdrawn
 * entries, when the rule ranks them (`options.withdrawn`, default after_complete), follow every
 * other ranked entry in the same order, on the parts they completed, never provisional and never
 * sharing a rank with an entry that stayed. Entries not ranked (absent, disqualified, reserve, and
 * withdrawn under the unranked rule) come last, rank null, by entry id.
 *
 * Runs in O(n log n) on precomputed integer keys: about a millisecond for 1,000 entries.
 */
export function rankEntries(scheme: Scheme, scores: readonly EntryScore[], options: RankOptions = {}): RankingRow[] {
  const compiled = compile(scheme);
  const tieBreaks = compiled.tieBreaks;
  const partIndexes = compiled.partColumns;
  const withdrawnRule = options.withdrawn ?? 'after_complete';
  const keys: RankKey[] = scores.map((score) => ({
    score,
    rankable: isRankable(score.status, withdrawnRule),
    tier: score.status === 'withdrawn' ? 1 : 0,
    totalH: toHundredths(score.total),
    theoryH: toHundredths(score.theory),
    practicalH: toHundredths(score.practical),
    time: typeof score.completionSeconds === 'number' && Number.isFinite(score.completionSeconds) ? score.completionSeconds : null,
    partsH:
      partIndexes.length === 0 ? null : Int32Array.from(partIndexes, (i) => (i < 0 ? 0 : toHundredths(score.parts[i]?.contribution ?? 0))),
  }));

  keys.sort((a, b) => {
    if (a.rankable !== b.rankable) return a.rankable ? -1 : 1;
    if (a.rankable && a.tier !== b.tier) return a.tier - b.tier;
    if (a.rankable) {
      if (a.totalH !== b.totalH) return b.totalH - a.totalH;
      for (const tb of tieBreaks) {
        const c = compareTieBreak(tb, a, b);
        if (c !== 0) return c;
      }
    }
    return a.score.entryId - b.score.entryId;
  });

  const rows: RankingRow[] = new Array(keys.length);
  let previous: RankKey | undefined;
  let previousRow: RankingRow | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const s = key.score;
    let rank: number | null = null;
    let tieBrokenBy: TieBreak | null = null;
    let sharesWithPrevious = false;
    if (key.rankable) {
      rank = i + 1;
      if (previous && previousRow && previous.rankable && previous.tier === key.tier && previous.totalH === key.totalH) {
        const decider = tieBreaks.find((tb) => compareTieBreak(tb, previous!, key) !== 0);
        if (decider === undefined) {
          rank = previousRow.rank;
          sharesWithPrevious = true;
        } else {
          tieBrokenBy = decider.tieBreak;
        }
      }
    }
    const row: RankingRow = {
      rank,
      entryId: s.entryId,
      teamId: s.teamId,
      status: s.status,
      total: s.total,
      theory: s.theory,
      practical: s.practical,
      completionSeconds: key.time,
      provisional: key.rankable && key.tier === 0 && !s.complete,
      sharedRank: sharesWithPrevious,
      tieBrokenBy,
      score: s,
    };
    if (sharesWithPrevious && previousRow) previousRow.sharedRank = true;
    rows[i] = row;
    previous = key;
    previousRow = row;
  }
  return rows;
}

/**
 * Scores and ranks a whole event: files every mark under its entry in one pass, scores each
 * entry and ranks them. Marks of entries not in `entries` are ignored. Same result as
 * scoreEntry on each entry's marks followed by rankEntries.
 */
export function computeRanking(
  scheme: Scheme,
  entries: readonly EntryInput[],
  marks: readonly MarkInput[],
  options: RankOptions = {},
): RankingRow[] {
  const compiled = compile(scheme);
  const byEntry = new Map<number, EntryMarks>();
  for (const e of entries) if (!byEntry.has(e.entryId)) byEntry.set(e.entryId, newEntryMarks(e.entryId, compiled.width));
  // Marks usually arrive grouped by entry (database order): remember the last entry's buffer.
  let last: EntryMarks | undefined;
  for (const m of marks) {
    const acc = last !== undefined && last.entryId === m.entryId ? last : (last = byEntry.get(m.entryId));
    if (acc) addMark(compiled, acc, m);
  }
  const scores = entries.map((e) => finishEntry(scheme, compiled, e, byEntry.get(e.entryId)!));
  return rankEntries(scheme, scores, options);
}
