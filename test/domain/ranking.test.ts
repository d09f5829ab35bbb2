import { describe, expect, it } from 'vitest';
import { computeRanking, rankEntries, scoreEntry } from '../../server/domain/index.ts';
import type { EntryInput, MarkInput, RankingRow } from '../../server/domain/index.ts';
import type { TieBreak } from '../../server/contracts/scheme.ts';
import { entry, objectiveMark, objectivePart, scheme } from './helpers.ts';

/** Theory 30 % + practical 70 %, each an objective part out of 100. */
const withTieBreaks = (tieBreaks: TieBreak[]) =>
  scheme({ totaling: 'weighted', tieBreaks, parts: [objectivePart('theory', 'theory', 30), objectivePart('practical', 'practical', 70)] });

function marks(entryId: number, theory: number, practical?: number): MarkInput[] {
  const m = [objectiveMark(entryId, 'theory', theory)];
  if (practical !== undefined) m.push(objectiveMark(entryId, 'practical', practical));
  return m;
}

const summary = (rows: RankingRow[]) => rows.map((r) => [r.entryId, r.rank]);

// A: 90 × 0.3 + 80 × 0.7 = 27 + 56 = 83;  B: 76 × 0.3 + 86 × 0.7 = 22.8 + 60.2 = 83
const tiedAB = [...marks(1, 90, 80), ...marks(2, 76, 86)];

describe('rankEntries: order and tie-breaks', () => {
  it('orders by total, highest first', () => {
    const rows = computeRanking(withTieBreaks([]), [entry(1), entry(2), entry(3)], [...marks(1, 60, 60), ...marks(2, 90, 90), ...marks(3, 70, 70)]);
    expect(summary(rows)).toEqual([
      [2, 1],
      [3, 2],
      [1, 3],
    ]);
    expect(rows.map((r) => r.total)).toEqual([90, 70, 60]);
  });

  it('practical: the higher practical subtotal ranks first on equal totals', () => {
    const rows = computeRanking(withTieBreaks(['practical', 'theory']), [entry(1), entry(2)], tiedAB);
    expect(rows.map((r) => r.total)).toEqual([83, 83]);
    expect(summary(rows)).toEqual([
      [2, 1],
      [1, 2],
    ]);
    expect(rows[1]!.tieBrokenBy).toBe('practical');
    expect(rows[0]!.tieBrokenBy).toBeNull();
  });

  it('theory: the higher theory subtotal ranks first on equal totals', () => {
    const rows = computeRanking(withTieBreaks(['theory']), [entry(1), entry(2)], tiedAB);
    expect(summary(rows)).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(rows[1]!.tieBrokenBy).toBe('theory');
  });

  it('completion_time: shorter first, a missing time after any present one', () => {
    const sch = withTieBreaks(['completion_time', 'practical', 'theory']);
    const tied = [...marks(1, 80, 80), ...marks(2, 80, 80), ...marks(3, 80, 80)];
    const rows = computeRanking(
      sch,
      [entry(1, { completionSeconds: null }), entry(2, { completionSeconds: 600 }), entry(3, { completionSeconds: 540 })],
      tied,
    );
    expect(summary(rows)).toEqual([
      [3, 1],
      [2, 2],
      [1, 3],
    ]);
    expect(rows.map((r) => r.tieBrokenBy)).toEqual([null, 'completion_time', 'completion_time']);
  });

  it('applies the chain in order: time first, then practical', () => {
    const sch = withTieBreaks(['completion_time', 'practical', 'theory']);
    const rows = computeRanking(sch, [entry(1, { completionSeconds: 500 }), entry(2, { completionSeconds: 500 })], tiedAB);
    expect(summary(rows)).toEqual([
      [2, 1],
      [1, 2],
    ]);
    expect(rows[1]!.tieBrokenBy).toBe('practical');
    const timeFirst = computeRanking(sch, [entry(1, { completionSeconds: 400 }), entry(2, { completionSeconds: 500 })], tiedAB);
    expect(summary(timeFirst)).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it('shares ranks 1, 2, 2, 4 when nothing separates entries, listed by entry id', () => {
    const sch = withTieBreaks(['completion_time', 'practical', 'theory']);
    const rows = computeRanking(sch, [entry(4), entry(3), entry(2), entry(1)], [
      ...marks(1, 90, 90),
      ...marks(3, 85, 85),
      ...marks(2, 85, 85),
      ...marks(4, 80, 80),
    ]);
    expect(summary(rows)).toEqual([
      [1, 1],
      [2, 2],
      [3, 2],
      [4, 4],
    ]);
    expect(rows.map((r) => r.sharedRank)).toEqual([false, true, true, false]);
  });

  it('with no tie-breaks, equal totals share the rank', () => {
    const rows = computeRanking(withTieBreaks([]), [entry(1), entry(2)], tiedAB);
    expect(summary(rows)).toEqual([
      [1, 1],
      [2, 1],
    ]);
  });
});

describe('rankEntries: provisional, absent and disqualified', () => {
  it('ranks entries with missing marks provisionally among the others', () => {
    const rows = computeRanking(withTieBreaks([]), [entry(1), entry(2), entry(3)], [...marks(1, 90, 90), ...marks(2, 100), ...marks(3, 20, 20)]);
    // entry 2 has theory only: 30 so far
    expect(summary(rows)).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(rows.map((r) => r.provisional)).toEqual([false, true, false]);
    expect(rows[1]!.total).toBe(30);
  });

  it('lists absent and disqualified entries last, unranked, by entry id', () => {
    const entries: EntryInput[] = [
      entry(5, { status: 'disqualified' }),
      entry(1, { status: 'absent' }),
      entry(3),
      entry(2, { status: 'registered' }),
    ];
    const rows = computeRanking(withTieBreaks([]), entries, [...marks(5, 100, 100), ...marks(3, 50, 50), ...marks(2, 60, 60)]);
    expect(summary(rows)).toEqual([
      [2, 1],
      [3, 2],
      [1, null],
      [5, null],
    ]);
    expect(rows[3]!.total).toBe(100); // the score is still there, but it does not rank
    expect(rows[2]!.provisional).toBe(false);
  });

  it('rankEntries re-ranks kept scores after one entry is re-scored (the incremental path)', () => {
    const sch = withTieBreaks([]);
    const scores = new Map([1, 2, 3].map((id) => [id, scoreEntry(sch, entry(id), marks(id, 50 + id, 50 + id))]));
    expect(summary(rankEntries(sch, [...scores.values()]))[0]).toEqual([3, 1]);
    scores.set(1, scoreEntry(sch, entry(1), marks(1, 99, 99)));
    expect(summary(rankEntries(sch, [...scores.values()]))).toEqual([
      [1, 1],
      [3, 2],
      [2, 3],
    ]);
  });

  it('marks for entries that are not listed are ignored', () => {
    const rows = computeRanking(withTieBreaks([]), [entry(1)], [...marks(1, 50, 50), ...marks(9, 99, 99)]);
    expect(rows).toHaveLength(1);
  });
});
