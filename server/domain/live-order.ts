import type { RankingRow } from './scoring.ts';

/**
 * How a live ranking (venue screens, the chief's console, the public page while marking runs)
 * places entries whose marks are not all in:
 * - after_complete (default): every complete entry first, then the incomplete ones, each group
 *   in the engine's order, so a half-marked entry never sits above one that has finished;
 * - by_total: the engine's order, incomplete entries among the others by their running total
 *   (for events where everyone is marked part by part at the same time).
 */
export const LIVE_INCOMPLETE_ORDERS = ['after_complete', 'by_total'] as const;
export type LiveIncompleteOrder = (typeof LIVE_INCOMPLETE_ORDERS)[number];

/** Nothing marked for the entry in this round and nothing carried from earlier rounds. */
export function awaitingFirstMark(row: RankingRow): boolean {
  return row.score.parts.every((p) => p.marksIn === 0) && row.score.carried === 0;
}

/**
 * The live order of an engine ranking while results are not released. Entries awaiting their
 * first mark are not ranked (rank null, after every entry with marks, before the absent and
 * disqualified): before any marks nobody is ranked. Ranks are renumbered as standard
 * competition ranks over the new order; entries that shared a rank in the engine share it here
 * when they stay next to each other. Pure: the engine's rows are not changed (prizes and
 * advancement use them as they are).
 */
export function liveOrder(rows: readonly RankingRow[], order: LiveIncompleteOrder): RankingRow[] {
  const ranked = rows.filter((r) => r.rank !== null && !awaitingFirstMark(r));
  const awaiting = rows.filter((r) => r.rank !== null && awaitingFirstMark(r));
  const unranked = rows.filter((r) => r.rank === null);
  // Stable partition: complete, then provisional; entries withdrawn during the event stay where
  // the engine puts them, after everyone still in (ranked on the parts they did).
  const staying = ranked.filter((r) => r.status !== 'withdrawn');
  const withdrawn = ranked.filter((r) => r.status === 'withdrawn');
  const ordered =
    order === 'after_complete' ? [...staying.filter((r) => !r.provisional), ...staying.filter((r) => r.provisional), ...withdrawn] : ranked;
  const out: RankingRow[] = [];
  for (let i = 0; i < ordered.length; i++) {
    const row = ordered[i]!;
    const prev = out[i - 1];
    const source = ordered[i - 1];
    const tiedWithPrevious = prev !== undefined && source !== undefined && source.rank === row.rank && source.provisional === row.provisional;
    out.push({ ...row, rank: tiedWithPrevious ? prev.rank : i + 1, sharedRank: false });
    if (tiedWithPrevious) {
      prev.sharedRank = true;
      out[i]!.sharedRank = true;
    }
  }
  for (const row of awaiting) out.push({ ...row, rank: null, sharedRank: false, provisional: true });
  for (const row of unranked) out.push(row);
  return out;
}
