import type { Advancement, CarryOver } from '../contracts/scheme.ts';
import { fromHundredths, roundHalfUp, toHundredths } from './rounding.ts';
import type { RankingRow } from './scoring.ts';

/** Who enters the next round, and how the cut fell. */
export interface AdvancementResult {
  /** Entry ids going through, in ranking order. */
  entryIds: number[];
  /** Their ranking rows, in ranking order. */
  rows: RankingRow[];
  /**
   * Places the rule asks for: n for top_n, the rounded share for top_percent, the number of
   * entries at or above the score for min_score.
   */
  places: number;
  /** Entries sharing the last qualifying rank across the cut (empty when the cut is clean). */
  tiedAtCut: number[];
  /** Some ranked entry is provisional, so the cut may still move. */
  provisional: boolean;
}

/**
 * Selects the entries that enter the next round. Only ranked entries that stayed in the event
 * can advance: not absent, disqualified or reserve, and not withdrawn (a withdrawn entry may be
 * ranked, after everyone else, but has left; the places and the percentage count the others).
 *
 * - top_n: the first n places.
 * - top_percent: the first round-half-up(ranked entries × percent / 100) places, at least 1
 *   (15 % of 30 = 4.5 → 5).
 * - min_score: every entry whose total is at least the score (no cut tie is possible).
 *
 * When the entries at the last place and the first place after it share a rank (equal total
 * and tie-breaks), `tiesAtCut` decides: include → all of them go through (more than `places`
 * entries advance), exclude → none of them does (fewer advance).
 *
 * @param rows an entry ranking from rankEntries / computeRanking
 */
export function selectAdvancers(rows: readonly RankingRow[], advancement: Advancement): AdvancementResult {
  const ranked = rows.filter((r) => r.rank !== null && r.status !== 'withdrawn');
  const provisional = ranked.some((r) => r.provisional);
  const { rule } = advancement;

  if (rule.kind === 'min_score') {
    const through = ranked.filter((r) => r.total >= rule.score);
    return result(through, through.length, [], provisional);
  }

  const places =
    rule.kind === 'top_n' ? rule.n : Math.max(1, roundHalfUp((ranked.length * rule.percent) / 100, 0));
  if (places >= ranked.length) return result(ranked, places, [], provisional);

  // Non-null: 1 ≤ places < ranked.length.
  const lastRank = ranked[places - 1]!.rank!;
  const nextRank = ranked[places]!.rank!;
  if (nextRank !== lastRank) return result(ranked.slice(0, places), places, [], provisional);

  const tied = ranked.filter((r) => r.rank === lastRank);
  const through =
    advancement.tiesAtCut === 'include' ? ranked.filter((r) => r.rank! <= lastRank) : ranked.filter((r) => r.rank! < lastRank);
  return result(through, places, tied.map((r) => r.entryId), provisional);
}

function result(rows: RankingRow[], places: number, tiedAtCut: number[], provisional: boolean): AdvancementResult {
  return { entryIds: rows.map((r) => r.entryId), rows, places, tiedAtCut, provisional };
}

/**
 * The earlier rounds' total a round's standing adds (EntryInput.carried).
 *
 * - none: 0 (every round starts afresh, as in today's Olympic diving);
 * - previous: the last earlier round's total only (Sydney 2000 diving: semifinal + final);
 * - all: the sum of every earlier round.
 *
 * Totals are taken at 2 decimals (rounded half-up if they have more) and added exactly.
 *
 * @param roundTotals the entry's totals of the earlier rounds, oldest first
 */
export function carriedTotal(roundTotals: readonly number[], carryOver: CarryOver): number {
  switch (carryOver) {
    case 'none':
      return 0;
    case 'previous': {
      const last = roundTotals[roundTotals.length - 1];
      return last === undefined ? 0 : roundHalfUp(last, 2);
    }
    case 'all': {
      let sumH = 0;
      for (const t of roundTotals) sumH += toHundredths(roundHalfUp(t, 2));
      return fromHundredths(sumH);
    }
  }
}
