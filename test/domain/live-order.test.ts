import { describe, expect, it } from 'vitest';
import { awaitingFirstMark, liveOrder } from '../../server/domain/live-order.ts';
import type { EntryScore, RankingRow } from '../../server/domain/scoring.ts';

/** A ranking line as the engine gives it: `marks` marks in its one part, `carried` from earlier rounds. */
function row(entryId: number, rank: number | null, total: number, o: { provisional?: boolean; marks?: number; carried?: number; status?: RankingRow['status']; shared?: boolean } = {}): RankingRow {
  const score = {
    entryId,
    parts: [{ partId: 'p', marksIn: o.marks ?? 3 }],
    carried: o.carried ?? 0,
  } as unknown as EntryScore;
  return {
    rank,
    entryId,
    teamId: null,
    status: o.status ?? 'checked_in',
    total,
    theory: 0,
    practical: total,
    completionSeconds: null,
    provisional: o.provisional ?? false,
    sharedRank: o.shared ?? false,
    tieBrokenBy: null,
    score,
  };
}

const view = (rows: RankingRow[]) => rows.map((r) => [r.entryId, r.rank, r.sharedRank]);

describe('live order of a ranking before release', () => {
  it('ranks nobody before the first mark (no column of 1s)', () => {
    const engine = [row(1, 1, 0, { marks: 0, provisional: true, shared: true }), row(2, 1, 0, { marks: 0, provisional: true, shared: true }), row(3, 1, 0, { marks: 0, provisional: true, shared: true })];
    expect(engine.every(awaitingFirstMark)).toBe(true);
    expect(view(liveOrder(engine, 'after_complete'))).toEqual([
      [1, null, false],
      [2, null, false],
      [3, null, false],
    ]);
  });

  it('puts complete entries before incomplete ones, each in the engine order, and renumbers', () => {
    const engine = [
      row(1, 1, 90, { provisional: true, marks: 2 }),
      row(2, 2, 80),
      row(3, 3, 70, { provisional: true, marks: 1 }),
      row(4, 4, 60),
      row(5, 5, 0, { marks: 0, provisional: true }),
      row(6, null, 0, { marks: 0, status: 'absent' }),
    ];
    const live = liveOrder(engine, 'after_complete');
    expect(view(live)).toEqual([
      [2, 1, false],
      [4, 2, false],
      [1, 3, false],
      [3, 4, false],
      [5, null, false],
      [6, null, false],
    ]);
    expect(live.map((r) => r.provisional)).toEqual([false, false, true, true, true, false]);
    // The engine's rows are not changed: prizes and advancement read them.
    expect(engine[0]!.rank).toBe(1);
  });

  it('keeps an entry withdrawn during the event after everyone still in, complete or not', () => {
    const engine = [row(1, 1, 90), row(2, 2, 50, { provisional: true, marks: 1 }), row(3, 3, 70, { status: 'withdrawn' })];
    expect(view(liveOrder(engine, 'after_complete'))).toEqual([
      [1, 1, false],
      [2, 2, false],
      [3, 3, false],
    ]);
  });

  it('keeps the running order by total when the event says so, still leaving the unmarked unranked', () => {
    const engine = [row(1, 1, 90, { provisional: true, marks: 2 }), row(2, 2, 80), row(3, 3, 0, { marks: 0, provisional: true })];
    expect(view(liveOrder(engine, 'by_total'))).toEqual([
      [1, 1, false],
      [2, 2, false],
      [3, null, false],
    ]);
  });

  it('keeps shared ranks of entries that stay together and counts the places they take', () => {
    const engine = [row(1, 1, 90, { shared: true }), row(2, 1, 90, { shared: true }), row(3, 3, 70, { provisional: true, marks: 1 }), row(4, 4, 60)];
    expect(view(liveOrder(engine, 'after_complete'))).toEqual([
      [1, 1, true],
      [2, 1, true],
      [4, 3, false],
      [3, 4, false],
    ]);
  });

  it('ranks an entry of a later round on what it carries before its first mark there', () => {
    const engine = [row(1, 1, 40, { marks: 0, carried: 40, provisional: true }), row(2, 2, 0, { marks: 0, provisional: true })];
    expect(view(liveOrder(engine, 'after_complete'))).toEqual([
      [1, 1, false],
      [2, null, false],
    ]);
  });
});
