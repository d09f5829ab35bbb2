import type { Criterion, Part } from '../../server/contracts/scheme.ts';

/*
 * How a scheme's parts read on sheets and tablets. Types only from the contract: importing its
 * runtime would bring zod into the judge's page (28 KB gzip of its 80 KB budget).
 */

/**
 * Whether a criterion is marked in grades (GOE −5 … +5, or turned into points by a grade table):
 * its value is no score out of a maximum, so sheets and tablets give its range instead of 满分.
 */
export function isGraded(criterion: Pick<Criterion, 'gradeTable' | 'min'>): boolean {
  return criterion.gradeTable !== undefined || (criterion.min ?? 0) < 0;
}

/**
 * Whether a part's score is not the sum of a judge's values (graded elements, or base values the
 * engine adds): sheets and tablets then show no "x / max" sum for it, which would mislead.
 */
export function isGradedPart(part: Pick<Part, 'usesBaseValues' | 'criteria'>): boolean {
  return part.usesBaseValues === true || part.criteria.some(isGraded);
}
