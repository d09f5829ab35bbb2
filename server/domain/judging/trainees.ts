/**
 * Trainee (shadow) judges (见习裁判): they mark like the panel, their marks never count, and the
 * chief judge sees how far each was from the counting panel. Pure.
 *
 * "Never count" is one rule applied where marks enter every computation: {@link countingMarks}
 * drops a trainee's marks before the scoring engine, the package verifier and the judge-quality
 * report see them, and panels leave trainees out of their size (server/domain/panels.ts), so a
 * trainee changes no total, rank, completeness or expected count.
 */
import { criteriaOf, panelPerCriterion, type Scheme } from '../../contracts/scheme.ts';
import { roundHalfUp } from '../rounding.ts';
import type { MarkInput } from '../scoring.ts';
import { mean, spearman } from './statistics.ts';
import { panelValueOnMarkScale, unitMarks } from './unit-marks.ts';

/** The marks that count: every mark except those of trainee judges. */
export function countingMarks<M extends Pick<MarkInput, 'judgeId'>>(marks: readonly M[], trainees: ReadonlySet<number>): M[] {
  return trainees.size === 0 ? [...marks] : marks.filter((m) => !trainees.has(m.judgeId));
}

/** How one trainee compared with the counting panel on one part of one round. */
export interface TraineePartComparison {
  partId: string;
  /** Entries compared: the trainee has a whole part mark and the counting panel a value. */
  entries: number;
  /** Mean of |trainee's part mark − the counting panel's value| over those entries, in the part's points. */
  meanAbsDiff: number | null;
  /** Mean of (trainee − panel): positive = the trainee marks higher than the panel. */
  meanDiff: number | null;
  /** Spearman's rank correlation (ties averaged) of the trainee's part marks with the panel's values over the entries; null below 3 entries or without spread. */
  spearman: number | null;
  /** Per criterion (element): entries compared and mean |trainee's value − the counting panel's value for it|. */
  criteria: { criterionId: string; entries: number; meanAbsDiff: number | null }[];
}

/** Fewest entries a rank correlation is reported over: with two, any pair of marks gives ±1. */
export const MIN_ENTRIES_FOR_CORRELATION = 3;

/**
 * How far a trainee's marks were from the counting panel, per part and per criterion, over the
 * entries of one round (see {@link TraineePartComparison}).
 *
 * The counting panel's value is what the results sheet prints for the panel: its aggregation of
 * the counting judges' marks rounded to 2 decimals (a trimmed sum read as one judge's mark, see
 * panelValueOnMarkScale); for a part with a panel per criterion, the part value is built from the
 * criteria's panel values as the engine builds it (their sum, or max − their sum for deductions).
 * A part is compared for an entry once the counting panel has at least one mark there, so the
 * chief sees the comparison grow while the part is marked.
 *
 * @param marks every current mark of the round, trainees' included
 */
export function compareTrainee(scheme: Scheme, marks: readonly MarkInput[], traineeId: number, trainees: ReadonlySet<number>): TraineePartComparison[] {
  const counting = countingMarks(marks, trainees);
  const own = marks.filter((m) => m.judgeId === traineeId);
  const countingUnits = unitMarks(scheme, counting);
  const ownUnits = unitMarks(scheme, own);
  // Counting values by entry, part and criterion, and counting unit marks by entry and unit: looked up per entry below.
  const countingByCell = new Map<string, number[]>();
  for (const m of counting) {
    if (!Number.isFinite(m.value)) continue;
    const key = `${m.entryId}|${m.partId}|${m.criterionId}`;
    const list = countingByCell.get(key);
    if (list) list.push(m.value);
    else countingByCell.set(key, [m.value]);
  }
  const countingByUnit = new Map<string, number[]>();
  for (const u of countingUnits) {
    const key = `${u.entryId}|${u.unit}`;
    const list = countingByUnit.get(key);
    if (list) list.push(u.value);
    else countingByUnit.set(key, [u.value]);
  }
  const out: TraineePartComparison[] = [];
  for (const part of scheme.parts) {
    if (part.marking === 'objective') continue;
    const entryIds = [...new Set(own.filter((m) => m.partId === part.id).map((m) => m.entryId))].sort((a, b) => a - b);
    const criteria = criteriaOf(part);
    // Per criterion: the counting panel's value for the criterion (as entered: a deduction stays one).
    const criterionPanel = (entryId: number, criterionId: string): number | null =>
      panelValueOnMarkScale(countingByCell.get(`${entryId}|${part.id}|${criterionId}`) ?? [], part.aggregation);
    const criteriaOut = criteria.map((c) => {
      const diffs: number[] = [];
      for (const entryId of entryIds) {
        const mine = own.find((m) => m.entryId === entryId && m.partId === part.id && m.criterionId === c.id);
        const panel = criterionPanel(entryId, c.id);
        if (mine && panel !== null) diffs.push(Math.abs(mine.value - panel));
      }
      return { criterionId: c.id, entries: diffs.length, meanAbsDiff: diffs.length ? roundHalfUp(mean(diffs), 2) : null };
    });

    const pairs: { mine: number; panel: number }[] = [];
    for (const entryId of entryIds) {
      let mine: number | undefined;
      let panel: number | null = null;
      if (panelPerCriterion(part)) {
        const values = criteria.map((c) => own.find((m) => m.entryId === entryId && m.partId === part.id && m.criterionId === c.id)?.value);
        const panels = criteria.map((c) => criterionPanel(entryId, c.id));
        if (values.some((v) => v === undefined) || panels.some((v) => v === null)) continue;
        const sumMine = values.reduce<number>((a, b) => a + b!, 0);
        const sumPanel = panels.reduce<number>((a, b) => a + b!, 0);
        mine = part.marking === 'deduction' ? Math.max(0, part.max - sumMine) : sumMine;
        panel = roundHalfUp(part.marking === 'deduction' ? Math.max(0, part.max - sumPanel) : sumPanel, 2);
      } else {
        mine = ownUnits.find((u) => u.entryId === entryId && u.unit === part.id)?.value;
        panel = panelValueOnMarkScale(countingByUnit.get(`${entryId}|${part.id}`) ?? [], part.aggregation);
      }
      if (mine === undefined || panel === null) continue;
      pairs.push({ mine, panel });
    }
    out.push({
      partId: part.id,
      entries: pairs.length,
      meanAbsDiff: pairs.length ? roundHalfUp(mean(pairs.map((p) => Math.abs(p.mine - p.panel))), 2) : null,
      meanDiff: pairs.length ? roundHalfUp(mean(pairs.map((p) => p.mine - p.panel)), 2) : null,
      spearman: pairs.length >= MIN_ENTRIES_FOR_CORRELATION ? round3(spearman(pairs.map((p) => p.mine), pairs.map((p) => p.panel))) : null,
      criteria: criteriaOut,
    });
  }
  return out;
}

function round3(v: number | null): number | null {
  return v === null ? null : roundHalfUp(v, 3);
}
