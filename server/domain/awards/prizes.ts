/**
 * Prize allocation (一等奖/二等奖/三等奖) from an event's ranking. Pure, no I/O; the rule data is
 * server/contracts/awards.ts (PrizeRule). The decisions the notices leave open (shares per tier,
 * cumulative half-up rounding, ties at a boundary) are documented on the contract.
 */
import type { PrizeRule, PrizeTieRule } from '../../contracts/awards.ts';
import { cleanFloat, roundHalfUp, toHundredths } from '../rounding.ts';
import type { EntryStatus } from '../scoring.ts';

/** What allocation needs from an entry's ranking row (RankingRow fits). */
export interface PrizeCandidate {
  entryId: number;
  /** Standard competition rank (1, 2, 2, 4); null when not ranked. */
  rank: number | null;
  /** Absent and disqualified entries never get a prize, whatever their rank says. */
  status?: EntryStatus;
  provisional?: boolean;
  /** The entry's total, which a tier's minimum score (minScore) is compared with; without it every line counts as met. */
  total?: number;
}

/** What allocation needs from a team ranking row (TeamRankingRow fits). */
export interface TeamPrizeCandidate {
  teamId: number;
  rank: number | null;
  provisional?: boolean;
}

/** One prize, whoever gets it. */
export interface PrizeAwardBase {
  rank: number;
  /** 1 for the first tier (一等奖). */
  tier: number;
  label: string;
  moneyYuan: number;
  /** The winner's own result is provisional (marks missing). */
  provisional: boolean;
  /** The winner shares a rank with others across a tier boundary; the tie rule placed them. */
  tiedAtBoundary: boolean;
}

export type EntryPrize = PrizeAwardBase & { entryId: number };
export type TeamPrize = PrizeAwardBase & { teamId: number };

/** One tier's outcome. */
export interface PrizeTierOutcome {
  tier: number;
  label: string;
  /** Places the rule gives the tier before ties: its count, or its rounded share. */
  places: number;
  /** Prizes actually awarded in the tier (after the tie rule). */
  awarded: number;
  moneyYuan: number;
  /** awarded × moneyYuan, rounded half-up to 2 decimals. */
  totalYuan: number;
}

/** Entrants sharing a rank across a boundary, and what the tie rule gave them. */
export interface BoundaryTie {
  /** The boundary after this tier (1 = between first and second prize). */
  afterTier: number;
  rank: number;
  ids: number[];
  /** The tier they all got, or null (no prize: `exclude` at the last boundary). */
  tier: number | null;
}

/**
 * An entrant whose prize a tier's minimum score changed: lower than their place alone gives, or
 * none. `missed` lists the lines they are below, from their place's tier down to the tier they
 * got (exclusive); empty when they meet every line but others who fell from a higher tier took
 * the places of their tier (a tier never awards more than its places).
 */
export interface LineChange {
  id: number;
  rank: number;
  total: number | null;
  /** The tier the place alone gives (the allocation without lines); null: no prize by place either. */
  placeTier: number | null;
  tier: number | null;
  missed: { tier: number; minScore: number }[];
}

/** The outcome of an allocation; `awards` in rank order, ties by id. */
export interface PrizeAllocation<A extends PrizeAwardBase> {
  awards: A[];
  tiers: PrizeTierOutcome[];
  /** Entrants the shares were taken of: ranked, not absent or disqualified. */
  rankedEntrants: number;
  /** Σ places over the tiers (what the rule plans to award). */
  plannedTotal: number;
  awardedTotal: number;
  totalYuan: number;
  boundaryTies: BoundaryTie[];
  /** Entrants the tiers' minimum scores moved (none without lines), in rank order. */
  lineChanges: LineChange[];
  /**
   * Some ranked entrant is provisional: any of them can still move, so the whole allocation may
   * change. Publish it as provisional until this is false.
   */
  provisional: boolean;
}

/**
 * Places per tier for a number of ranked entrants, before ties (see PrizeRule): counts as
 * given; shares per tier, rounded half-up either at each cumulative boundary (default) or per
 * tier; at least one first prize when anyone is ranked; never more places than entrants.
 *
 * `prizePlaces(45, national_2012_shares)` → [5, 9, 13]: boundaries 4.5 → 5, 13.5 → 14, 27.
 */
export function prizePlaces(rankedEntrants: number, rule: PrizeRule): number[] {
  if (!Number.isInteger(rankedEntrants) || rankedEntrants < 0) throw new RangeError(`rankedEntrants must be a whole number ≥ 0, got ${rankedEntrants}`);
  const n = rankedEntrants;
  if (n === 0) return rule.tiers.map(() => 0);
  const ends: number[] = [];
  if (rule.basis === 'count') {
    let end = 0;
    for (const t of rule.tiers) ends.push((end = Math.min(n, end + t.count)));
  } else if (rule.rounding === 'cumulative') {
    let percent = 0;
    let end = 0;
    rule.tiers.forEach((t, k) => {
      percent = cleanFloat(percent + t.percent);
      // Half-up on the decimal the product stands for (45 × 10 % = 4.5 → 5), never below the
      // previous boundary and never past the entrants.
      const rounded = roundHalfUp((n * percent) / 100, 0);
      end = Math.min(n, Math.max(end, k === 0 ? Math.max(1, rounded) : rounded));
      ends.push(end);
    });
  } else {
    let end = 0;
    rule.tiers.forEach((t, k) => {
      const rounded = roundHalfUp((n * t.percent) / 100, 0);
      ends.push((end = Math.min(n, end + (k === 0 ? Math.max(1, rounded) : rounded))));
    });
  }
  return ends.map((end, k) => end - (k === 0 ? 0 : ends[k - 1]!));
}

interface Line {
  id: number;
  rank: number;
  provisional: boolean;
  /** Compared with the tiers' minimum scores; undefined: every line counts as met. */
  total?: number;
}

/**
 * Allocates prizes over an entry ranking.
 *
 * Only ranked rows (rank not null, not absent or disqualified) count as entrants and can win.
 * Rows are taken in rank order (ties by entry id, so the input order does not matter), and
 * entrants sharing a rank always get the same prize. The rule's `ties` decides a shared rank
 * across a boundary: `include` (default) all take the higher prize and the next tier shrinks,
 * `exclude` all take the lower one, `expand` all take the higher one and later tiers still
 * award their full counts (see PrizeTieRule). Money is per winner.
 *
 * A tier's minimum score (minScore, the medal line) keeps its prize from every entrant whose
 * total is below it. The tiers are then filled in turn, each in rank order with the entrants not
 * yet awarded, up to its places (the tie rule as above at its end), stopping at the first
 * entrant below its line: that entrant and everyone after are left for the next tier, whose own
 * line and places apply. So an entrant below a line falls to the next tier whose line they meet,
 * or gets none; no tier awards more than its places (nor the total more than planned), places a
 * line leaves empty are not passed down (名额不顺延), and nobody gets a better prize than an
 * entrant ranked above them. `lineChanges` says whom the lines moved and why.
 *
 * @param rows a ranking from rankEntries / computeRanking, or anything with entryId and rank
 */
export function allocatePrizes(rows: readonly PrizeCandidate[], rule: PrizeRule): PrizeAllocation<EntryPrize> {
  const lines = rows
    .filter((r) => r.rank !== null && r.status !== 'absent' && r.status !== 'disqualified')
    .map((r) => ({ id: r.entryId, rank: r.rank!, provisional: r.provisional === true, total: r.total }));
  const result = allocate(lines, rule);
  return { ...result, awards: result.awards.map(({ id, ...award }) => ({ entryId: id, ...award })) };
}

/**
 * Allocates team prizes (代表队) over a team ranking, exactly as {@link allocatePrizes} does for
 * entries: teams without a rank (no ranked member) get nothing. Minimum scores do not apply: a
 * team's value is a sum, a mean or placing points, not an entry's total the line was set on.
 *
 * @param rows a ranking from computeTeamRanking, or anything with teamId and rank
 */
export function allocateTeamPrizes(rows: readonly TeamPrizeCandidate[], rule: PrizeRule): PrizeAllocation<TeamPrize> {
  const lines = rows.filter((r) => r.rank !== null).map((r) => ({ id: r.teamId, rank: r.rank!, provisional: r.provisional === true }));
  const result = allocate(lines, rule);
  return { ...result, awards: result.awards.map(({ id, ...award }) => ({ teamId: id, ...award })) };
}

function allocate(input: Line[], rule: PrizeRule): PrizeAllocation<PrizeAwardBase & { id: number }> {
  for (const line of input)
    if (!Number.isInteger(line.rank) || line.rank < 1) throw new RangeError(`rank must be a whole number ≥ 1, got ${line.rank} for ${line.id}`);
  const lines = [...input].sort((a, b) => a.rank - b.rank || a.id - b.id);
  const n = lines.length;
  const places = prizePlaces(n, rule);

  // Groups of equal rank with their first position (0-based). Positions, not rank values, mark
  // the boundaries, so dense ranks (1, 1, 2) would still be allocated by places.
  const groups: { start: number; members: Line[] }[] = [];
  lines.forEach((line, i) => {
    const last = groups[groups.length - 1];
    if (last && last.members[0]!.rank === line.rank) last.members.push(line);
    else groups.push({ start: i, members: [line] });
  });

  const byPlace = assignTiers(groups, places, rule.ties);
  const minScores = rule.tiers.map((t) => t.minScore ?? null);
  const hasLines = minScores.some((m) => m !== null) && lines.some((l) => l.total !== undefined);
  const tierOf = hasLines ? assignTiersWithLines(groups, places, rule.ties, minScores) : byPlace;
  const lineChanges: LineChange[] = [];
  if (hasLines)
    groups.forEach((group, g) => {
      const placeTier = byPlace[g]!.tier;
      const tier = tierOf[g]!.tier;
      if (placeTier === tier) return;
      for (const m of group.members) {
        const missed: LineChange['missed'] = [];
        for (let k = placeTier ?? rule.tiers.length + 1; k < (tier ?? rule.tiers.length + 1); k++) {
          const line = minScores[k - 1];
          if (line != null && !meetsLine(m, line)) missed.push({ tier: k, minScore: line });
        }
        lineChanges.push({ id: m.id, rank: m.rank, total: m.total ?? null, placeTier, tier, missed });
      }
    });
  const awards: (PrizeAwardBase & { id: number })[] = [];
  const boundaryTies: BoundaryTie[] = [];
  groups.forEach((group, g) => {
    const { tier, straddled } = tierOf[g]!;
    if (straddled !== null)
      boundaryTies.push({ afterTier: straddled, rank: group.members[0]!.rank, ids: group.members.map((m) => m.id), tier });
    if (tier === null) return;
    const t = rule.tiers[tier - 1]!;
    for (const m of group.members)
      awards.push({ id: m.id, rank: m.rank, tier, label: t.label, moneyYuan: t.moneyYuan, provisional: m.provisional, tiedAtBoundary: straddled !== null });
  });

  const tiers = rule.tiers.map((t, k) => {
    const awarded = awards.filter((a) => a.tier === k + 1).length;
    return { tier: k + 1, label: t.label, places: places[k]!, awarded, moneyYuan: t.moneyYuan, totalYuan: roundHalfUp(awarded * t.moneyYuan, 2) };
  });
  return {
    awards,
    tiers,
    rankedEntrants: n,
    plannedTotal: places.reduce((s, p) => s + p, 0),
    awardedTotal: awards.length,
    totalYuan: roundHalfUp(tiers.reduce((s, t) => cleanFloat(s + t.totalYuan), 0), 2),
    boundaryTies,
    lineChanges,
    provisional: lines.some((l) => l.provisional),
  };
}

/** Compared in hundredths, as totals are published. */
function meetsLine(line: Line, minScore: number): boolean {
  return line.total === undefined || toHundredths(line.total) >= toHundredths(minScore);
}

/**
 * The tiers with minimum scores (see allocatePrizes): each tier in turn takes the groups not yet
 * awarded, in rank order, up to its places, and stops at the first group below its line. At the
 * end of its places the tie rule decides a straddling group as assignTiers does: `include` gives
 * it the tier and the next tiers give up the overflow, `exclude` leaves it (with the places it
 * would have straddled) to the next tier, `expand` gives it the tier at no cost to the next. With
 * every line met this gives exactly what assignTiers gives (a property test holds them equal).
 * A group is in or out as a whole: members sharing a rank share a total.
 */
function assignTiersWithLines(
  groups: readonly { start: number; members: Line[] }[],
  places: readonly number[],
  ties: PrizeTieRule,
  minScores: readonly (number | null)[],
): { tier: number | null; straddled: number | null }[] {
  const out: { tier: number | null; straddled: number | null }[] = groups.map(() => ({ tier: null, straddled: null }));
  const meets = (group: { members: Line[] }, k: number) => {
    const line = minScores[k];
    return line == null || group.members.every((m) => meetsLine(m, line));
  };
  let next = 0; // first group not yet awarded: tiers take groups in rank order
  let debt = 0; // places an `include` overflow took from the tiers after it
  let spare = 0; // places an `exclude` tie left to the next tier
  places.forEach((count, k) => {
    let cap = count + spare - debt;
    spare = 0;
    debt = 0;
    if (cap < 0) [debt, cap] = [-cap, 0];
    let filled = 0;
    while (next < groups.length && filled < cap) {
      const group = groups[next]!;
      if (!meets(group, k)) break; // below the line: left, with everyone after, for the next tier
      const size = group.members.length;
      if (filled + size > cap) {
        if (out[next]!.straddled === null) out[next]!.straddled = k + 1;
        if (ties === 'exclude') {
          spare = cap - filled;
          break;
        }
        if (ties === 'include') debt = filled + size - cap;
      }
      out[next]!.tier = k + 1;
      filled += size;
      next++;
    }
  });
  return out;
}

/**
 * The tier of each rank group (null: no prize), and the boundary it straddled (the tier it
 * crossed the end of), if any.
 */
function assignTiers(groups: readonly { start: number; members: Line[] }[], places: readonly number[], ties: PrizeTieRule): { tier: number | null; straddled: number | null }[] {
  if (ties === 'expand') {
    // Each tier takes its count from where the previous one stopped and runs on to the end of
    // a rank group it cuts, so it never awards fewer than its count while entrants remain.
    const out: { tier: number | null; straddled: number | null }[] = groups.map(() => ({ tier: null, straddled: null }));
    let g = 0;
    let position = 0;
    places.forEach((count, k) => {
      if (count === 0) return;
      const end = position + count;
      while (g < groups.length && groups[g]!.start < end) {
        const group = groups[g]!;
        const groupEnd = group.start + group.members.length;
        out[g] = { tier: k + 1, straddled: groupEnd > end ? k + 1 : null };
        position = groupEnd;
        g++;
      }
    });
    return out;
  }

  // include / exclude: the boundaries stay at the cumulative places.
  const ends: number[] = [];
  places.reduce((end, p) => (ends.push(end + p), end + p), 0);
  return groups.map((group) => {
    const first = group.start;
    const last = group.start + group.members.length - 1;
    const straddledIndex = ends.findIndex((end) => first < end && last >= end);
    const k = ties === 'include' ? ends.findIndex((end) => first < end) : ends.findIndex((end) => last < end);
    return { tier: k === -1 ? null : k + 1, straddled: straddledIndex === -1 ? null : straddledIndex + 1 };
  });
}

/**
 * The number printed on an award certificate (获奖证书编号): `JS` (技术竞赛), the competition's
 * year, its id (4 digits) and the prize's id (6 digits), e.g. JS2027-0003-000042. It is derived
 * from records that never change once a prize exists, so the same prize always prints the same
 * number, and the public results list it beside the prize: anyone holding the paper can check it.
 */
export function prizeCertificateNumber(p: { year: number; competitionId: number; prizeId: number }): string {
  return `JS${p.year}-${String(p.competitionId).padStart(4, '0')}-${String(p.prizeId).padStart(6, '0')}`;
}
