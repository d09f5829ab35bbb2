/**
 * The year's craftsman selections as a union reports them: how many were nominated and named, and
 * who they are by title level, occupation, region, employer type, gender and age band. Pure: the
 * feature gathers one row per candidate.
 */

export type ReportCandidate = {
  status: 'nominated' | 'ineligible' | 'withdrawn' | 'proposed' | 'not_selected' | 'named' | 'nomination_award';
  titleLevel: 'county' | 'city' | 'province' | 'national';
  occupation: string | null;
  /** The region of the body that keeps the person's record (name as the tree calls it). */
  region: string;
  /**
   * What the records say about the employer: an organisation of the tree (a registered unit:
   * enterprises, institutions) or a name written as text (small private firms, sole traders).
   */
  employerType: 'organisation' | 'written' | 'none';
  gender: 'male' | 'female';
  /** ISO date. */
  birthDate: string;
};

/** Age bands a union's report uses (young craftsmen under 35 are reported on their own). */
export const AGE_BANDS = ['under_35', '35_44', '45_54', '55_and_over'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** The band of someone's age on 31 December of the report year (how yearly figures count age). */
export function ageBand(birthDate: string, year: number): AgeBand {
  const age = year - Number(birthDate.slice(0, 4));
  if (age < 35) return 'under_35';
  if (age < 45) return '35_44';
  if (age < 55) return '45_54';
  return '55_and_over';
}

export type Breakdown = { key: string; count: number }[];

export type SelectionFigures = {
  /** Everyone put forward, withdrawn included. */
  candidates: number;
  eligible: number;
  named: number;
  nominationAwards: number;
  /** Of those named: */
  namedBy: {
    level: Breakdown;
    occupation: Breakdown;
    region: Breakdown;
    employerType: Breakdown;
    gender: Breakdown;
    ageBand: Breakdown;
  };
};

function countBy<T>(rows: readonly T[], keyOf: (row: T) => string): Breakdown {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(keyOf(row), (counts.get(keyOf(row)) ?? 0) + 1);
  // Largest first, then by key, so the report reads the same every time.
  return [...counts].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

export function selectionFigures(rows: readonly ReportCandidate[], year: number): SelectionFigures {
  const named = rows.filter((r) => r.status === 'named');
  return {
    candidates: rows.length,
    eligible: rows.filter((r) => r.status !== 'ineligible' && r.status !== 'withdrawn').length,
    named: named.length,
    nominationAwards: rows.filter((r) => r.status === 'nomination_award').length,
    namedBy: {
      level: countBy(named, (r) => r.titleLevel),
      occupation: countBy(named, (r) => r.occupation ?? '—'),
      region: countBy(named, (r) => r.region),
      employerType: countBy(named, (r) => r.employerType),
      gender: countBy(named, (r) => r.gender),
      ageBand: countBy(named, (r) => ageBand(r.birthDate, year)),
    },
  };
}
