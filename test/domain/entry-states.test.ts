import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeRanking, isRankable, selectAdvancers } from '../../server/domain/index.ts';
import type { EntryInput, EntryStatus, MarkInput, RankingRow, WithdrawnRanking } from '../../server/domain/index.ts';
import { entry, objectiveMark, objectivePart, scheme } from './helpers.ts';

/** Two objective parts of 50 % each: an entry that withdrew after the first has half its points. */
const sch = scheme({
  totaling: 'weighted',
  tieBreaks: ['practical'],
  parts: [objectivePart('first', 'practical', 50), objectivePart('second', 'theory', 50)],
});

/** A ranking from [entryId, first, second | null, status] tuples. */
function ranking(list: [number, number, number | null, EntryStatus][], withdrawn?: WithdrawnRanking): RankingRow[] {
  const entries: EntryInput[] = list.map(([id, , , status]) => entry(id, { status }));
  const marks: MarkInput[] = list.flatMap(([id, a, b]) => [objectiveMark(id, 'first', a), ...(b === null ? [] : [objectiveMark(id, 'second', b)])]);
  return computeRanking(sch, entries, marks, withdrawn ? { withdrawn } : {});
}

describe('withdrawn entries', () => {
  const list: [number, number, number | null, EntryStatus][] = [
    [1, 90, 90, 'checked_in'], // 90
    [2, 100, null, 'withdrawn'], // 50 on the first part only
    [3, 40, 40, 'checked_in'], // 40
    [4, 60, null, 'checked_in'], // 30 so far: still being marked, provisional
    [5, 80, null, 'withdrawn'], // 40
    [6, 99, 99, 'disqualified'],
  ];

  it('by default rank after every other ranked entry, on the parts done, never provisional', () => {
    const rows = ranking(list);
    expect(rows.map((r) => [r.entryId, r.rank, r.total, r.provisional])).toEqual([
      [1, 1, 90, false],
      [3, 2, 40, false],
      [4, 3, 30, true],
      [2, 4, 50, false],
      [5, 5, 40, false],
      [6, null, 99, false],
    ]);
  });

  it('never share a rank with an entry that stayed, even on an equal total', () => {
    const rows = ranking([
      [1, 40, 40, 'checked_in'],
      [2, 80, null, 'withdrawn'],
      [3, 80, null, 'withdrawn'],
    ]);
    expect(rows.map((r) => [r.entryId, r.rank, r.sharedRank])).toEqual([
      [1, 1, false],
      [2, 2, true],
      [3, 2, true],
    ]);
  });

  it('are not ranked under the unranked rule', () => {
    const rows = ranking(list, 'unranked');
    expect(rows.map((r) => [r.entryId, r.rank])).toEqual([
      [1, 1],
      [3, 2],
      [4, 3],
      [2, null],
      [5, null],
      [6, null],
    ]);
    expect(isRankable('withdrawn', 'unranked')).toBe(false);
    expect(isRankable('reserve')).toBe(false);
  });

  it('never advance, and the places are counted among those who stayed', () => {
    const rows = ranking(list);
    const result = selectAdvancers(rows, { rule: { kind: 'top_n', n: 4 }, tiesAtCut: 'include' });
    expect(result.entryIds).toEqual([1, 3, 4]);
    const share = selectAdvancers(rows, { rule: { kind: 'top_percent', percent: 34 }, tiesAtCut: 'include' });
    // 34 % of the 3 who stayed rounds to 1.
    expect(share.entryIds).toEqual([1]);
  });

  it('always come after the entries that stayed, whatever the totals (property)', () => {
    const statusArb = fc.constantFrom<EntryStatus>('checked_in', 'registered', 'withdrawn', 'absent', 'disqualified', 'reserve');
    const rowArb = fc.tuple(fc.integer({ min: 0, max: 100 }), fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }), statusArb);
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 20 }), fc.constantFrom<WithdrawnRanking>('after_complete', 'unranked'), (specs, rule) => {
        const rows = ranking(
          specs.map(([a, b, status], i) => [i + 1, a, b, status]),
          rule,
        );
        const stayed = rows.filter((r) => r.status === 'checked_in' || r.status === 'registered');
        const left = rows.filter((r) => r.status === 'withdrawn');
        for (const r of stayed) expect(r.rank).not.toBeNull();
        for (const r of rows.filter((x) => ['absent', 'disqualified', 'reserve'].includes(x.status))) expect(r.rank).toBeNull();
        if (rule === 'unranked') for (const r of left) expect(r.rank).toBeNull();
        else for (const w of left) for (const r of stayed) expect(w.rank!).toBeGreaterThan(r.rank!);
        const advanced = selectAdvancers(rows, { rule: { kind: 'top_n', n: 3 }, tiesAtCut: 'include' }).entryIds;
        for (const w of left) expect(advanced).not.toContain(w.entryId);
      }),
    );
  });
});
