import { describe, expect, it } from 'vitest';
import { carriedTotal, computeRanking, computeTeamRanking, selectAdvancers } from '../../server/domain/index.ts';
import type { EntryInput, MarkInput, RankingRow } from '../../server/domain/index.ts';
import { entry, objectiveMark, objectivePart, scheme } from './helpers.ts';

const sch = scheme({ totaling: 'raw', tieBreaks: [], parts: [objectivePart('exam', 'theory', 100)] });

/** A ranking from [entryId, total, teamId?, status?] tuples. */
function ranking(list: [number, number, number?, EntryInput['status']?][]): RankingRow[] {
  const entries = list.map(([id, , teamId, status]) => entry(id, { teamId: teamId ?? null, status: status ?? 'checked_in' }));
  const marks: MarkInput[] = list.map(([id, total]) => objectiveMark(id, 'exam', total));
  return computeRanking(sch, entries, marks);
}

describe('computeTeamRanking', () => {
  const rows = ranking([
    [1, 95, 10],
    [2, 90, 20],
    [3, 88, 10],
    [4, 85, 30],
    [5, 80, 20],
    [6, 70, 30],
    [7, 60, 10],
    [8, 99, 30, 'disqualified'],
    [9, 75], // no team
  ]);

  it('sums the best N ranked members; unranked and team-less entries do not count', () => {
    const teams = computeTeamRanking(rows, { method: 'sum', bestN: 2 });
    // team 10: 95 + 88 = 183; team 20: 90 + 80 = 170; team 30: 85 + 70 = 155 (the disqualified 99 does not count)
    expect(teams.map((t) => [t.teamId, t.rank, t.value, t.memberEntryIds])).toEqual([
      [10, 1, 183, [1, 3]],
      [20, 2, 170, [2, 5]],
      [30, 3, 155, [4, 6]],
    ]);
    expect(teams.every((t) => !t.incomplete)).toBe(true);
  });

  it('averages the best N (rounded to 2 decimals) with method mean', () => {
    const teams = computeTeamRanking(rows, { method: 'mean', bestN: 3 });
    // team 10: (95 + 88 + 60) / 3 = 81; team 20: (90 + 80) / 2 = 85, incomplete; team 30: (85 + 70) / 2 = 77.5, incomplete
    expect(teams.map((t) => [t.teamId, t.rank, t.value, t.incomplete])).toEqual([
      [20, 1, 85, true],
      [10, 2, 81, false],
      [30, 3, 77.5, true],
    ]);
  });

  it('ranks teams with fewer than N ranked members on what they have, flagged incomplete', () => {
    const teams = computeTeamRanking(rows, { method: 'sum', bestN: 3 });
    expect(teams.map((t) => [t.teamId, t.value, t.incomplete])).toEqual([
      [10, 243, false],
      [20, 170, true],
      [30, 155, true],
    ]);
  });

  it('shares team ranks 1, 2, 2, 4 and lists teams with no ranked member last', () => {
    const tied = ranking([
      [1, 90, 1],
      [2, 80, 2],
      [3, 80, 3],
      [4, 70, 4],
      [5, 99, 5, 'absent'],
    ]);
    const teams = computeTeamRanking(tied, { method: 'sum', bestN: 1 });
    expect(teams.map((t) => [t.teamId, t.rank, t.sharedRank])).toEqual([
      [1, 1, false],
      [2, 2, true],
      [3, 2, true],
      [4, 4, false],
      [5, null, false],
    ]);
  });

  it('rounds a team mean half-up', () => {
    const r = ranking([
      [1, 85.01, 1],
      [2, 85.02, 1],
      [3, 85.02, 1],
    ]);
    expect(computeTeamRanking(r, { method: 'mean', bestN: 3 })[0]!.value).toBe(85.02); // 85.0166… → 85.02
    const half = ranking([
      [1, 85.01, 1],
      [2, 85.02, 1],
    ]);
    expect(computeTeamRanking(half, { method: 'mean', bestN: 2 })[0]!.value).toBe(85.02); // 85.015 → 85.02
  });

  it('rejects a bestN that is not a positive integer', () => {
    expect(() => computeTeamRanking(rows, { method: 'sum', bestN: 0 })).toThrow(RangeError);
  });
});

describe('selectAdvancers', () => {
  // ranks: 1 (100), 2 (90), 3 (80), 3 (80), 5 (70), 6 (60), absent entry 7
  const rows = ranking([
    [1, 100],
    [2, 90],
    [3, 80],
    [4, 80],
    [5, 70],
    [6, 60],
    [7, 99, undefined, 'absent'],
  ]);

  it('top_n with a clean cut', () => {
    const r = selectAdvancers(rows, { rule: { kind: 'top_n', n: 2 }, tiesAtCut: 'include' });
    expect(r.entryIds).toEqual([1, 2]);
    expect(r.tiedAtCut).toEqual([]);
  });

  it('top_n, ties at the cut included: everyone sharing the last qualifying rank goes through', () => {
    const r = selectAdvancers(rows, { rule: { kind: 'top_n', n: 3 }, tiesAtCut: 'include' });
    expect(r.entryIds).toEqual([1, 2, 3, 4]);
    expect(r.tiedAtCut).toEqual([3, 4]);
    expect(r.places).toBe(3);
  });

  it('top_n, ties at the cut excluded: none of them goes through', () => {
    const r = selectAdvancers(rows, { rule: { kind: 'top_n', n: 3 }, tiesAtCut: 'exclude' });
    expect(r.entryIds).toEqual([1, 2]);
    expect(r.tiedAtCut).toEqual([3, 4]);
  });

  it('top_percent rounds the count half-up over ranked entries, at least 1', () => {
    // 6 ranked entries (the absent one does not count): 25 % = 1.5 → 2
    expect(selectAdvancers(rows, { rule: { kind: 'top_percent', percent: 25 }, tiesAtCut: 'include' }).entryIds).toEqual([1, 2]);
    // 50 % = 3 → the tie at rank 3
    expect(selectAdvancers(rows, { rule: { kind: 'top_percent', percent: 50 }, tiesAtCut: 'include' }).entryIds).toEqual([1, 2, 3, 4]);
    expect(selectAdvancers(rows, { rule: { kind: 'top_percent', percent: 50 }, tiesAtCut: 'exclude' }).entryIds).toEqual([1, 2]);
    // 1 % of 6 = 0.06 → at least 1
    expect(selectAdvancers(rows, { rule: { kind: 'top_percent', percent: 1 }, tiesAtCut: 'include' }).places).toBe(1);
  });

  it('min_score takes every ranked entry at or above the score', () => {
    const r = selectAdvancers(rows, { rule: { kind: 'min_score', score: 80 }, tiesAtCut: 'exclude' });
    expect(r.entryIds).toEqual([1, 2, 3, 4]);
    expect(selectAdvancers(rows, { rule: { kind: 'min_score', score: 99 }, tiesAtCut: 'include' }).entryIds).toEqual([1]);
  });

  it('never advances absent or disqualified entries, even when all places are open', () => {
    const r = selectAdvancers(rows, { rule: { kind: 'top_n', n: 50 }, tiesAtCut: 'include' });
    expect(r.entryIds).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('says when the cut rests on provisional results', () => {
    const partial = computeRanking(sch, [entry(1), entry(2)], [objectiveMark(1, 'exam', 50)]);
    expect(selectAdvancers(partial, { rule: { kind: 'top_n', n: 1 }, tiesAtCut: 'include' }).provisional).toBe(true);
    expect(selectAdvancers(rows, { rule: { kind: 'top_n', n: 1 }, tiesAtCut: 'include' }).provisional).toBe(false);
  });
});

describe('carriedTotal', () => {
  it('none, previous and all', () => {
    expect(carriedTotal([100.1, 230.4], 'none')).toBe(0);
    expect(carriedTotal([100.1, 230.4], 'previous')).toBe(230.4);
    expect(carriedTotal([], 'previous')).toBe(0);
    expect(carriedTotal([0.1, 0.2], 'all')).toBe(0.3);
    expect(carriedTotal([88, 95.4, 94.35, 91.8, 39.1, 99], 'all')).toBe(507.65);
    expect(carriedTotal([1.005], 'all')).toBe(1.01);
  });
});
