/**
 * Standings over an event's rounds. Pure, no I/O.
 *
 * - A round's own placement (本轮名次): the round ranked on its own total, beside the standing
 *   that carries earlier rounds forward (the row's rank). With carry-over the round winner and
 *   the overall winner can differ: a diver can win the final and lose the event on the
 *   preliminary's points.
 * - The final standings (最终名次) list everyone who took part: the finalists by the final, then
 *   those eliminated in the round before it by that round's standing, and so on back to the
 *   first round. That is how multi-round results are published (swimming, diving and skills
 *   finals alike: places 1–8 from the final, 9–16 from the semi-final).
 */
import type { Scheme } from '../contracts/scheme.ts';
import { rankEntries, type RankOptions, type RankingRow } from './scoring.ts';

/**
 * The round ranked on its own total (the round's contributions alone, nothing carried), with
 * the round's tie-breaks. Without carry-over it is the round's ranking itself.
 *
 * @param rows the round's ranking (its rows carry the scores)
 */
export function ownRoundRanking(scheme: Scheme, rows: readonly RankingRow[], options: RankOptions = {}): RankingRow[] {
  return rankEntries(
    scheme,
    rows.map((r) => ({ ...r.score, carried: 0, total: r.score.roundTotal })),
    options,
  );
}

/** One round's ranking, in round order (the first round first). */
export interface StandingRound {
  roundId: number;
  rows: readonly Pick<RankingRow, 'entryId' | 'rank' | 'status' | 'total' | 'provisional'>[];
}

/** One line of the final standings. */
export interface FinalStanding {
  entryId: number;
  /**
   * The overall place: finalists keep their final rank; an entry eliminated earlier is placed
   * after everyone of later rounds who has a place, by its standing in the last round it took
   * part in (shared where that standing is shared). Null when that round did not rank it
   * (absent, disqualified, withdrawn when not ranked).
   */
  place: number | null;
  sharedPlace: boolean;
  /** The last round the entry took part in (its standing there places it). */
  roundId: number;
  /** Index of that round (0 = first); the finalists' is the last round's. */
  roundIndex: number;
  /** Its rank in that round's standing. */
  roundRank: number | null;
  /** Its standing's total in that round (with carry-over, the carried standing). */
  total: number;
  status: RankingRow['status'];
  /** Took part in the last round. */
  finalist: boolean;
  provisional: boolean;
}

/**
 * Everyone who took part, each once: the finalists by the final, then the entries whose last
 * round was the one before, by their standing there, and so on. Within a group the ranked rows
 * come in rank order (ties by entry id) and the unranked ones after them; places continue from
 * the places given before (8 placed finalists: the semi-final's best non-finalist is 9th).
 *
 * An entry's last round is the latest round whose ranking lists it; a reserve put into the final
 * counts as a finalist, an entry that stopped after the preliminary is placed by the preliminary.
 *
 * @param rounds the rounds' rankings in order, first round first
 */
export function finalStandings(rounds: readonly StandingRound[]): FinalStanding[] {
  const last = new Map<number, number>();
  rounds.forEach((round, index) => {
    for (const row of round.rows) last.set(row.entryId, index);
  });
  const out: FinalStanding[] = [];
  let placed = 0;
  for (let index = rounds.length - 1; index >= 0; index--) {
    const round = rounds[index]!;
    const group = round.rows.filter((r) => last.get(r.entryId) === index);
    const ranked = group.filter((r) => r.rank !== null).sort((a, b) => a.rank! - b.rank! || a.entryId - b.entryId);
    const unranked = group.filter((r) => r.rank === null).sort((a, b) => a.entryId - b.entryId);
    const before = placed;
    ranked.forEach((row, i) => {
      const previous = ranked[i - 1];
      const shares = previous !== undefined && previous.rank === row.rank;
      const place = shares ? out[out.length - 1]!.place : before + i + 1;
      if (shares) out[out.length - 1]!.sharedPlace = true;
      out.push(line(row, round.roundId, index, index === rounds.length - 1, place, shares));
    });
    placed += ranked.length;
    for (const row of unranked) out.push(line(row, round.roundId, index, index === rounds.length - 1, null, false));
  }
  return out;
}

function line(row: StandingRound['rows'][number], roundId: number, roundIndex: number, finalist: boolean, place: number | null, sharedPlace: boolean): FinalStanding {
  return {
    entryId: row.entryId,
    place,
    sharedPlace,
    roundId,
    roundIndex,
    roundRank: row.rank,
    total: row.total,
    status: row.status,
    finalist,
    provisional: row.provisional,
  };
}
