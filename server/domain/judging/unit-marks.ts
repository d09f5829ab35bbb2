/**
 * Judges' marks as the judging reports compare them: one value per judge, entry and panel
 * ("unit": a whole part, or one criterion where the part has a panel per criterion), always
 * "higher is better", with the full mark it is out of. Pure.
 */
import { criteriaOf, panelPerCriterion, type Aggregation, type Part, type Scheme } from '../../contracts/scheme.ts';
import { aggregateMarks } from '../aggregation.ts';
import { cleanFloat, roundHalfUp } from '../rounding.ts';
import type { MarkInput } from '../scoring.ts';

export interface UnitMark {
  entryId: number;
  judgeId: number;
  partId: string;
  /** null for a whole-part panel; the criterion for a per-criterion panel. */
  criterionId: string | null;
  /** Panel key: the part id, or `part:criterion`. */
  unit: string;
  /**
   * The judge's mark on a "higher is better" scale: a whole part's mark as the engine computes it
   * (Σ criteria, or max − Σ deductions, never below 0); a per-criterion rubric value as given; a
   * per-criterion deduction as criterion max − deduction (points kept).
   */
  value: number;
  /** What `value` is out of: the part's max, or the criterion's. */
  max: number;
}

/**
 * Every judge's unit marks in one round from their current marks (one mark per judge, entry,
 * part and criterion; later ones in the list win, as in the engine). A whole-part mark needs every
 * criterion of the part from the judge, as the engine counts it. Objective parts are left out.
 */
export function unitMarks(scheme: Scheme, marks: readonly MarkInput[]): UnitMark[] {
  const byKey = new Map<string, number>();
  for (const m of marks) if (Number.isFinite(m.value)) byKey.set(`${m.entryId}|${m.judgeId}|${m.partId}|${m.criterionId}`, m.value);
  const pairs = new Set<string>();
  for (const m of marks) pairs.add(`${m.entryId}|${m.judgeId}`);
  const out: UnitMark[] = [];
  for (const pair of pairs) {
    const [entryId, judgeId] = pair.split('|').map(Number) as [number, number];
    for (const part of scheme.parts) {
      if (part.marking === 'objective') continue;
      const criteria = criteriaOf(part);
      const values = criteria.map((c) => byKey.get(`${pair}|${part.id}|${c.id}`));
      if (panelPerCriterion(part)) {
        criteria.forEach((c, i) => {
          const v = values[i];
          if (v === undefined) return;
          out.push({ entryId, judgeId, partId: part.id, criterionId: c.id, unit: `${part.id}:${c.id}`, value: part.marking === 'deduction' ? c.max - v : v, max: c.max });
        });
      } else {
        if (values.length === 0 || values.some((v) => v === undefined)) continue;
        const sum = values.reduce<number>((a, b) => a + b!, 0);
        out.push({ entryId, judgeId, partId: part.id, criterionId: null, unit: part.id, value: cleanFloat(part.marking === 'deduction' ? Math.max(0, part.max - sum) : sum), max: part.max });
      }
    }
  }
  return out;
}

/** A judge's value for one criterion of a part as given (a deduction stays a deduction): the per-element comparison of trainees. */
export function criterionValues(marks: readonly MarkInput[], part: Part): Map<string, Map<string, number>> {
  // criterion → `${entryId}|${judgeId}` → value
  const out = new Map<string, Map<string, number>>();
  for (const c of criteriaOf(part)) out.set(c.id, new Map());
  for (const m of marks) if (m.partId === part.id && Number.isFinite(m.value)) out.get(m.criterionId)?.set(`${m.entryId}|${m.judgeId}`, m.value);
  return out;
}

/**
 * A panel's value on the scale of one judge's mark, rounded to 2 decimals as the results sheet
 * prints a panel result (scoring.ts rounding point a): the aggregation's result, except that a
 * trimmed sum (diving) is divided by the number of marks it keeps, so it reads as one judge's mark.
 * Null without marks.
 */
export function panelValueOnMarkScale(values: readonly number[], aggregation: Aggregation): number | null {
  const outcome = aggregateMarks(values, aggregation);
  if (outcome.value === null) return null;
  const value = aggregation.kind === 'trimmed_sum' && outcome.counted > 0 ? outcome.value / outcome.counted : outcome.value;
  return roundHalfUp(value, 2);
}
