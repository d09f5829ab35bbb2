import { fromHundredths, roundHalfUp, toHundredths } from './rounding.ts';
import type { RankingRow } from './scoring.ts';

/** How a team's (代表队) score is built from its members' totals. */
export interface TeamRankingOptions {
  /** sum: add the best members' totals; mean: average them (rounded to 2 decimals). */
  method: 'sum' | 'mean';
  /** How many of a team's best-ranked members count (a positive integer). */
  bestN: number;
}

/** One line of a team ranking. */
export interface TeamRankingRow {
  /** Standard competition rank (1, 2, 2, 4); null for a team with no ranked member. */
  rank: number | null;
  teamId: number;
  /** The sum or the mean (rounded half-up to 2 decimals) of the counted members' totals. */
  value: number;
  /** Members whose totals count, best first (at most bestN). */
  memberEntryIds: number[];
  /** Fewer than bestN ranked members: ranked on what it has, but flagged. */
  incomplete: boolean;
  /** Some counted member is ranked provisionally (marks missing). */
  provisional: boolean;
  /** Another team has the same rank. */
  sharedRank: boolean;
}

/**
 * Ranks teams by the sum or the mean of their best `bestN` ranked members' totals ("best" =
 * highest in the entry ranking, so entry tie-breaks decide between equal totals).
 *
 * Entries without a team and unranked entries (absent, disqualified) do not count. A team with
 * fewer than `bestN` ranked members is `incomplete` but still ranked on the members it has: its
 * sum adds fewer totals (so it usually ranks lower), its mean averages the members it has.
 * Equal values share a rank (1, 2, 2, 4), listed by team id; teams with no ranked member come
 * last, unranked. A mean is ranked by its rounded (published) value.
 *
 * @param rows an entry ranking from rankEntries / computeRanking
 */
export function computeTeamRanking(rows: readonly RankingRow[], options: TeamRankingOptions): TeamRankingRow[] {
  const { method, bestN } = options;
  if (!Number.isInteger(bestN) || bestN < 1) throw new RangeError(`bestN must be a positive integer, got ${bestN}`);

  const members = new Map<number, RankingRow[]>();
  for (const row of rows) {
    if (row.teamId === null) continue;
    let list = members.get(row.teamId);
    if (!list) members.set(row.teamId, (list = []));
    if (row.rank !== null) list.push(row);
  }

  const teams = [...members].map(([teamId, ranked]) => {
    // Rank order; the entry id only matters for shared ranks and keeps the pick deterministic.
    ranked.sort((a, b) => a.rank! - b.rank! || a.entryId - b.entryId);
    const counted = ranked.slice(0, bestN);
    let sumH = 0;
    for (const r of counted) sumH += toHundredths(r.total);
    const value = counted.length === 0 ? 0 : method === 'sum' ? fromHundredths(sumH) : roundHalfUp(fromHundredths(sumH) / counted.length, 2);
    return {
      teamId,
      value,
      valueH: toHundredths(value),
      hasMembers: counted.length > 0,
      memberEntryIds: counted.map((r) => r.entryId),
      incomplete: counted.length < bestN,
      provisional: counted.some((r) => r.provisional),
    };
  });

  teams.sort((a, b) => {
    if (a.hasMembers !== b.hasMembers) return a.hasMembers ? -1 : 1;
    return (a.hasMembers ? b.valueH - a.valueH : 0) || a.teamId - b.teamId;
  });

  const result: TeamRankingRow[] = [];
  teams.forEach((t, i) => {
    const previous = result[i - 1];
    const prevTeam = teams[i - 1];
    const shares = t.hasMembers && prevTeam !== undefined && prevTeam.hasMembers && prevTeam.valueH === t.valueH;
    if (shares && previous) previous.sharedRank = true;
    result.push({
      rank: !t.hasMembers ? null : shares && previous ? previous.rank : i + 1,
      teamId: t.teamId,
      value: t.value,
      memberEntryIds: t.memberEntryIds,
      incomplete: t.incomplete,
      provisional: t.provisional,
      sharedRank: shares,
    });
  });
  return result;
}
