import type { PrizeCandidate } from '../../../server/domain/awards/index.ts';

/**
 * Candidates ranked from totals, best first, with standard competition ranks (1, 2, 2, 4):
 * entry ids are 1, 2, 3 … in the order given. Marks a row with `extra` per id.
 */
export function rankTotals(totals: readonly number[], extra: Record<number, Partial<PrizeCandidate>> = {}): PrizeCandidate[] {
  const rows: PrizeCandidate[] = totals.map((_, i) => ({ entryId: i + 1, rank: null, ...extra[i + 1] }));
  const rankable = rows
    .map((row, i) => ({ row, total: totals[i]! }))
    .filter(({ row }) => row.status !== 'absent' && row.status !== 'disqualified')
    .sort((a, b) => b.total - a.total || a.row.entryId - b.row.entryId);
  rankable.forEach(({ row, total }, i) => {
    const previous = rankable[i - 1];
    row.rank = previous && previous.total === total ? previous.row.rank : i + 1;
  });
  return rows;
}

/** Candidates with the given ranks, entry ids 1, 2, 3 … in order. */
export function withRanks(ranks: readonly (number | null)[]): PrizeCandidate[] {
  return ranks.map((rank, i) => ({ entryId: i + 1, rank }));
}

/** Standard competition ranks for `n` entrants where the listed ranks are shared by two. */
export function ranksWithPairs(n: number, pairedRanks: readonly number[]): number[] {
  const ranks: number[] = [];
  while (ranks.length < n) {
    const place = ranks.length + 1;
    ranks.push(place);
    if (pairedRanks.includes(place) && ranks.length < n) ranks.push(place);
  }
  return ranks;
}
