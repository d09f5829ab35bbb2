import { describe, expect, it } from 'vitest';
import { placeByScore } from '../../../server/domain/review/index.ts';
import type { SelectionRules } from '../../../server/domain/review/index.ts';

/** Candidates 1, 2, 3… with these final scores, placed under `rules`; rows as [id, rank, passes, selected, tiedAtLine]. */
function place(scores: (number | null)[], rules: SelectionRules) {
  const items = scores.map((score, i) => ({ id: i + 1, score }));
  const { rows, summary } = placeByScore(items, (c) => c.score, (c) => c.id, rules);
  return { rows: rows.map((r) => [r.item.id, r.rank, r.passes, r.selected, r.tiedAtLine]), summary };
}

describe('the quota line', () => {
  it('quota 3 and ranks 1, 2, 3, 3: two selected, two tied at the line, one place for the committee', () => {
    const { rows, summary } = place([95, 90, 88, 88, 80], { threshold: 60, quota: 3 });
    expect(rows).toEqual([
      [1, 1, true, true, false],
      [2, 2, true, true, false],
      [3, 3, true, false, true],
      [4, 3, true, false, true],
      [5, 5, true, false, false], // behind the tie: the tied candidates come first
    ]);
    expect(summary).toEqual({ quota: 3, passed: 5, selected: 2, tiedAtLine: 2, placesToDecide: 1, placesUnfilled: 0 });
  });

  it('a tie that fits inside the quota is selected whole', () => {
    // ranks 1, 1, 3, 4 with quota 3: the pair and the third fill it exactly
    const { rows, summary } = place([90, 90, 85, 80], { threshold: 0, quota: 3 });
    expect(rows.map((r) => r[3])).toEqual([true, true, true, false]);
    expect(summary).toMatchObject({ selected: 3, tiedAtLine: 0, placesToDecide: 0, placesUnfilled: 0 });
  });

  it('a tie wholly behind a full quota is not "at the line"', () => {
    // quota 2, ranks 1, 2, 3, 3: the line falls between 2 and 3
    const { rows, summary } = place([95, 90, 88, 88], { threshold: 0, quota: 2 });
    expect(rows.map((r) => [r[3], r[4]])).toEqual([[true, false], [true, false], [false, false], [false, false]]);
    expect(summary).toMatchObject({ selected: 2, tiedAtLine: 0, placesToDecide: 0 });
  });

  it('everyone tied for first with fewer places: the committee fills them all', () => {
    const { summary, rows } = place([88, 88, 88], { threshold: 0, quota: 2 });
    expect(rows.every((r) => r[4] === true && r[3] === false)).toBe(true);
    expect(summary).toMatchObject({ selected: 0, tiedAtLine: 3, placesToDecide: 2, placesUnfilled: 0 });
  });

  it('places nobody reached stay unfilled; the threshold comes before the quota', () => {
    // quota 3, but the pair at rank 3 scores 79.99 < 80
    const { rows, summary } = place([95, 90, 79.99, 79.99], { threshold: 80, quota: 3 });
    expect(rows.map((r) => [r[2], r[3], r[4]])).toEqual([[true, true, false], [true, true, false], [false, false, false], [false, false, false]]);
    expect(summary).toEqual({ quota: 3, passed: 2, selected: 2, tiedAtLine: 0, placesToDecide: 0, placesUnfilled: 1 });
  });

  it('quota 0 selects nobody; no quota selects everyone who passes (安徽工匠: no quota)', () => {
    expect(place([95, 90], { threshold: 0, quota: 0 }).summary).toMatchObject({ selected: 0, tiedAtLine: 0, placesUnfilled: 0 });
    const open = place([95, 90, 90, 70, null], { threshold: 80 });
    expect(open.rows.map((r) => r[3])).toEqual([true, true, true, false, false]);
    expect(open.summary).toEqual({ quota: null, passed: 3, selected: 3, tiedAtLine: 0, placesToDecide: 0, placesUnfilled: 0 });
  });

  it('refuses a quota that is not a whole number ≥ 0', () => {
    expect(() => place([90], { threshold: 0, quota: 1.5 })).toThrow(RangeError);
    expect(() => place([90], { threshold: 0, quota: -1 })).toThrow(RangeError);
    expect(() => place([90], { threshold: Number.NaN })).toThrow(RangeError);
  });
});

describe('threshold and shared ranks', () => {
  it('the threshold is met at equality, compared at two decimals', () => {
    const { rows } = place([85, 84.99, 85.001], { threshold: 85 });
    // 85.001 is published as 85.00: it ties with 85 and passes
    expect(rows).toEqual([
      [1, 1, true, true, false],
      [3, 1, true, true, false],
      [2, 3, false, false, false],
    ]);
  });

  it('unscored candidates come last, unranked, by id', () => {
    const { rows } = place([null, 70, null, 90], { threshold: 0, quota: 5 });
    expect(rows.map((r) => [r[0], r[1], r[2]])).toEqual([[4, 1, true], [2, 2, true], [1, null, false], [3, null, false]]);
  });
});
