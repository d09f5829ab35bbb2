import { toHundredths } from '../rounding.ts';

/** A ranked item: its rank (null when it has no score) and whether another item shares it. */
export interface RankedItem<T> {
  item: T;
  rank: number | null;
  sharedRank: boolean;
}

/**
 * Ranks by score, highest first, with shared ranks (1, 2, 2, 4): scores are compared in
 * hundredths, since they are published with two decimals and equal published scores must tie.
 * Items without a score come last, unranked. Equal scores are listed by id, so the result does
 * not depend on the input order.
 */
export function rankByScore<T>(items: readonly T[], scoreOf: (item: T) => number | null, idOf: (item: T) => number): RankedItem<T>[] {
  const keyed = items.map((item) => {
    const score = scoreOf(item);
    return { item, key: score === null ? null : toHundredths(score), id: idOf(item) };
  });
  keyed.sort((a, b) => {
    if (a.key === null || b.key === null) return a.key === b.key ? a.id - b.id : a.key === null ? 1 : -1;
    return a.key !== b.key ? b.key - a.key : a.id - b.id;
  });
  const out: RankedItem<T>[] = [];
  for (let i = 0; i < keyed.length; i++) {
    const k = keyed[i]!;
    const previous = i > 0 ? keyed[i - 1] : undefined;
    const prevRow = out[i - 1];
    if (k.key === null) {
      out.push({ item: k.item, rank: null, sharedRank: false });
    } else if (previous && prevRow && previous.key === k.key) {
      prevRow.sharedRank = true;
      out.push({ item: k.item, rank: prevRow.rank, sharedRank: true });
    } else {
      out.push({ item: k.item, rank: i + 1, sharedRank: false });
    }
  }
  return out;
}
