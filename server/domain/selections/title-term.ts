/**
 * The term of a craftsman title (称号期限): a title named for a fixed term is reviewed every year
 * (年度考核) until its term ends; a title held for life is not. Pure functions on China dates
 * (`YYYY-MM-DD`).
 *
 * - A title is `revoked` once revoked, else `expired` after its last day, else `active`.
 * - The years to review are the calendar years after the naming year up to the year the term ends,
 *   as far as they have begun by `today`: a title named in 2026 with a 3-year term is reviewed for
 *   2027, 2028 and 2029, and in 2028 the years 2027 and 2028 are due.
 */

export type TitleStanding = 'active' | 'expired' | 'revoked';

export function titleStanding(title: { termEnds: string | null; revoked: boolean }, today: string): TitleStanding {
  if (title.revoked) return 'revoked';
  return title.termEnds !== null && today > title.termEnds ? 'expired' : 'active';
}

/** The years a fixed-term title is reviewed for, as far as they have begun by `today`; none for a title held for life. */
export function reviewYears(namedOn: string, termEnds: string | null, today: string): number[] {
  if (termEnds === null) return [];
  const first = Number(namedOn.slice(0, 4)) + 1;
  const last = Math.min(Number(termEnds.slice(0, 4)), Number(today.slice(0, 4)));
  const years: number[] = [];
  for (let y = first; y <= last; y++) years.push(y);
  return years;
}

/** The years still without a review outcome; a revoked title owes none. */
export function reviewsMissing(title: { namedOn: string; termEnds: string | null; revoked: boolean }, reviewed: readonly number[], today: string): number[] {
  if (title.revoked) return [];
  const done = new Set(reviewed);
  return reviewYears(title.namedOn, title.termEnds, today).filter((y) => !done.has(y));
}
