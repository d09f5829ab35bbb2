import { fromHundredths, roundHalfUp, toHundredths } from './rounding.ts';
import type { RankingRow } from './scoring.ts';

/**
 * How a team's (代表队) score is built from its members' results:
 * - `sum`: add the best members' totals; `mean`: average them (rounded to 2 decimals);
 * - `placing_points`: each member earns the points of their place from the organiser's table
 *   (`points[0]` for 1st, `points[1]` for 2nd …, nothing past the table) and the team adds them
 *   (see placingPoints for shared places).
 * `bestN`: how many of a team's best-ranked members count (a positive integer).
 */
export interface TeamRankingOptions {
  method: 'sum' | 'mean' | 'placing_points';
  bestN: number;
  /** The placing points table; required with `placing_points`. */
  points?: readonly number[];
}

/** One line of a team ranking. */
export interface TeamRankingRow {
  /** Standard competition rank (1, 2, 2, 4); null for a team with no ranked member. */
  rank: number | null;
  teamId: number;
  /**
   * The sum or the mean (rounded half-up to 2 decimals) of the counted members' totals, or their
   * placing points (exact sums may have thirds: shown rounded half-up to 2 decimals, ranked exactly).
   */
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
  if (method === 'placing_points') {
    if (!options.points) throw new RangeError('placing_points needs a points table');
    return placingPointsTeamRanking(rows, options.points, bestN);
  }

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

// ---------------------------------------------------------------------------------------
// Placing points (名次积分)

/**
 * An exact non-negative rational in hundredths of a point: n / d hundredths. Shared places
 * average the points of the places they cover, so three entries sharing 2nd of 10, 9, 8, 7 get
 * 8 each but two sharing 3rd of 10, 9, 8, 6 get 7 each and two sharing 1st of 10, 9 get 9.5;
 * with three sharing 2nd of 10, 9, 7, 6, each gets 22/3. Summing such thirds as floating point
 * would make equal teams unequal, so points are kept as fractions and only shown rounded.
 */
export interface Ratio {
  n: bigint;
  d: bigint;
}

const gcd = (a: bigint, b: bigint): bigint => {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
};
function ratio(n: bigint, d: bigint): Ratio {
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
}
export const ZERO: Ratio = { n: 0n, d: 1n };
export function addRatio(a: Ratio, b: Ratio): Ratio {
  return ratio(a.n * b.d + b.n * a.d, a.d * b.d);
}
/** Negative when a < b, zero when equal, positive when a > b. */
export function compareRatio(a: Ratio, b: Ratio): number {
  const diff = a.n * b.d - b.n * a.d;
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}
/** Points (not hundredths), rounded half-up to 2 decimals for display. */
export function ratioPoints(r: Ratio): number {
  // round(n / d) for n, d ≥ 0, half-up: floor((2n + d) / 2d).
  const hundredths = (2n * r.n + r.d) / (2n * r.d);
  return fromHundredths(Number(hundredths));
}

function checkTable(points: readonly number[]): void {
  for (const p of points)
    if (!Number.isFinite(p) || p < 0 || Math.abs(p * 100 - Math.round(p * 100)) > 1e-6)
      throw new RangeError(`placing points must be numbers ≥ 0 with at most 2 decimals, got ${p}`);
}

/**
 * The placing points (名次积分) each ranked row earns: the row at place p earns `table[p − 1]`
 * (nothing past the table). Rows sharing a rank share the places they cover: k rows sharing rank
 * r cover places r … r + k − 1 and each earns the mean of those places' points. So the points
 * handed out are always the table's points for the places filled, however ties fall. Unranked
 * rows (absent, disqualified, reserve; rank null) earn nothing and take no place.
 *
 * @param rows a ranking (RankingRow fits) with standard competition ranks (1, 2, 2, 4)
 * @param table points for 1st, 2nd, … (e.g. 10, 9, 8, … for the top ten)
 * @returns entry id → exact points (in hundredths; ratioPoints shows them)
 */
export function placingPoints(rows: readonly { entryId: number; rank: number | null }[], table: readonly number[]): Map<number, Ratio> {
  checkTable(table);
  const tableH = table.map((p) => BigInt(toHundredths(p)));
  const byRank = new Map<number, number[]>();
  for (const r of rows) {
    if (r.rank === null) continue;
    if (!Number.isInteger(r.rank) || r.rank < 1) throw new RangeError(`rank must be a whole number ≥ 1, got ${r.rank} for ${r.entryId}`);
    let ids = byRank.get(r.rank);
    if (!ids) byRank.set(r.rank, (ids = []));
    ids.push(r.entryId);
  }
  const out = new Map<number, Ratio>();
  for (const [rank, ids] of byRank) {
    let sum = 0n;
    for (let place = rank; place < rank + ids.length; place++) sum += tableH[place - 1] ?? 0n;
    const share = ratio(sum, BigInt(ids.length));
    for (const id of ids) out.set(id, share);
  }
  return out;
}

/** Shared team ranks (1, 2, 2, 4) by exact value, highest first; teams with nothing counted last, unranked. */
function rankByRatio<T extends { teamId: number; exact: Ratio; hasMembers: boolean }>(teams: T[]): (T & { rank: number | null; sharedRank: boolean })[] {
  teams.sort((a, b) => {
    if (a.hasMembers !== b.hasMembers) return a.hasMembers ? -1 : 1;
    return (a.hasMembers ? compareRatio(b.exact, a.exact) : 0) || a.teamId - b.teamId;
  });
  const out: (T & { rank: number | null; sharedRank: boolean })[] = [];
  teams.forEach((t, i) => {
    const prev = out[i - 1];
    const shares = t.hasMembers && prev !== undefined && prev.hasMembers && compareRatio(prev.exact, t.exact) === 0;
    if (shares) prev.sharedRank = true;
    out.push({ ...t, rank: !t.hasMembers ? null : shares ? prev.rank : i + 1, sharedRank: shares });
  });
  return out;
}

function placingPointsTeamRanking(rows: readonly RankingRow[], table: readonly number[], bestN: number): TeamRankingRow[] {
  const points = placingPoints(rows, table);
  const members = new Map<number, RankingRow[]>();
  for (const row of rows) {
    if (row.teamId === null) continue;
    let list = members.get(row.teamId);
    if (!list) members.set(row.teamId, (list = []));
    if (row.rank !== null) list.push(row);
  }
  const teams = [...members].map(([teamId, ranked]) => {
    ranked.sort((a, b) => a.rank! - b.rank! || a.entryId - b.entryId);
    const counted = ranked.slice(0, bestN);
    const exact = counted.reduce((sum, r) => addRatio(sum, points.get(r.entryId) ?? ZERO), ZERO);
    return {
      teamId,
      exact,
      hasMembers: counted.length > 0,
      memberEntryIds: counted.map((r) => r.entryId),
      incomplete: counted.length < bestN,
      provisional: counted.some((r) => r.provisional),
    };
  });
  return rankByRatio(teams).map((t) => ({
    rank: t.rank,
    teamId: t.teamId,
    value: ratioPoints(t.exact),
    memberEntryIds: t.memberEntryIds,
    incomplete: t.incomplete,
    provisional: t.provisional,
    sharedRank: t.sharedRank,
  }));
}

/** One event's ranking as the competition's team standing reads it. */
export interface TeamStandingEventInput {
  eventId: number;
  rows: readonly { entryId: number; rank: number | null; teamId: number | null; provisional?: boolean }[];
}

/** One team's line in the competition's team standing (团体总分). */
export interface TeamStandingRow {
  /** Shared ranks (1, 2, 2, 4); null for a team with no ranked member anywhere. */
  rank: number | null;
  teamId: number;
  /** Σ of the team's points over the events, rounded half-up to 2 decimals (ranked exactly). */
  value: number;
  /** The team's points in each event it took part in, in the order the events were given. */
  byEvent: { eventId: number; points: number; memberEntryIds: number[] }[];
  provisional: boolean;
  sharedRank: boolean;
}

/**
 * The competition-level team standing over events by placing points: in each event every
 * ranked entry earns the points of its place (placingPoints: shared places share them), the
 * team's best `bestN` ranked entries in that event count, and the team's standing is the sum
 * over the events. Equal exact sums share a rank (1, 2, 2, 4); a team whose entries are all
 * unranked comes last, unranked. Totals of different events are never added: events are marked
 * out of different schemes, and places are what compares across them.
 */
export function computeTeamStanding(events: readonly TeamStandingEventInput[], options: { points: readonly number[]; bestN: number }): TeamStandingRow[] {
  const { points: table, bestN } = options;
  if (!Number.isInteger(bestN) || bestN < 1) throw new RangeError(`bestN must be a positive integer, got ${bestN}`);
  const teams = new Map<number, { exact: Ratio; hasMembers: boolean; provisional: boolean; byEvent: TeamStandingRow['byEvent'] }>();
  for (const ev of events) {
    const points = placingPoints(ev.rows, table);
    const ranked = new Map<number, { entryId: number; rank: number; provisional: boolean }[]>();
    for (const r of ev.rows) {
      if (r.teamId === null) continue;
      if (!teams.has(r.teamId)) teams.set(r.teamId, { exact: ZERO, hasMembers: false, provisional: false, byEvent: [] });
      let list = ranked.get(r.teamId);
      if (!list) ranked.set(r.teamId, (list = []));
      if (r.rank !== null) list.push({ entryId: r.entryId, rank: r.rank, provisional: r.provisional === true });
    }
    for (const [teamId, list] of ranked) {
      const team = teams.get(teamId)!;
      list.sort((a, b) => a.rank - b.rank || a.entryId - b.entryId);
      const counted = list.slice(0, bestN);
      const exact = counted.reduce((sum, r) => addRatio(sum, points.get(r.entryId) ?? ZERO), ZERO);
      team.exact = addRatio(team.exact, exact);
      team.hasMembers ||= counted.length > 0;
      team.provisional ||= counted.some((r) => r.provisional);
      team.byEvent.push({ eventId: ev.eventId, points: ratioPoints(exact), memberEntryIds: counted.map((r) => r.entryId) });
    }
  }
  return rankByRatio([...teams].map(([teamId, t]) => ({ teamId, ...t }))).map((t) => ({
    rank: t.rank,
    teamId: t.teamId,
    value: ratioPoints(t.exact),
    byEvent: t.byEvent,
    provisional: t.provisional,
    sharedRank: t.sharedRank,
  }));
}
