import { describe, expect, it } from 'vitest';
import { aggregate, aggregateMarks, marksNeeded } from '../../server/domain/index.ts';

const five = [85, 86, 86.5, 80, 88];

describe('aggregate', () => {
  it('mean averages all marks', () => {
    expect(aggregate(five, { kind: 'mean' })).toBeCloseTo(85.1, 10);
    expect(aggregateMarks([7], { kind: 'mean' })).toEqual({ value: 7, fellBack: false, counted: 1 });
  });

  it('median takes the middle mark, or the mean of the two middle ones', () => {
    expect(aggregate(five, { kind: 'median' })).toBe(86);
    expect(aggregate([4, 1, 3, 2], { kind: 'median' })).toBe(2.5);
    expect(aggregate([9], { kind: 'median' })).toBe(9);
  });

  it('trimmed_mean drops the highest and lowest and averages the rest (去掉最高最低取平均)', () => {
    // drop 80 and 88: (85 + 86 + 86.5) / 3
    expect(aggregate(five, { kind: 'trimmed_mean', drop: 1 })).toBeCloseTo(257.5 / 3, 12);
    expect(aggregate([1, 2, 3, 4, 5, 6, 100], { kind: 'trimmed_mean', drop: 2 })).toBe(4);
    expect(aggregate(five, { kind: 'trimmed_mean', drop: 0 })).toBeCloseTo(85.1, 10);
  });

  it('trimmed_mean drops only one of several equal extreme marks', () => {
    expect(aggregate([8, 8, 8, 9, 9], { kind: 'trimmed_mean', drop: 1 })).toBeCloseTo(25 / 3, 12);
  });

  it('trimmed_sum drops k of each end and adds the rest (diving)', () => {
    // Paris 2024, Cao Yuan dive 2: 9 9 9 9 8.5 9 8.5 → drop 9, 9, 8.5, 8.5 → 27
    expect(aggregate([9, 9, 9, 9, 8.5, 9, 8.5], { kind: 'trimmed_sum', drop: 2 })).toBe(27);
    expect(aggregate([6, 6.5, 6, 6, 6.5, 5.5, 6.5], { kind: 'trimmed_sum', drop: 1 })).toBe(31);
  });

  it('zero marks give null for every rule', () => {
    for (const agg of [
      { kind: 'mean' },
      { kind: 'median' },
      { kind: 'trimmed_mean', drop: 1 },
      { kind: 'trimmed_sum', drop: 2 },
    ] as const) {
      expect(aggregateMarks([], agg)).toEqual({ value: null, fellBack: false, counted: 0 });
    }
  });

  describe('too few marks', () => {
    it('trimmed_mean with fewer than 2k+1 marks falls back to the plain mean, flagged', () => {
      expect(marksNeeded({ kind: 'trimmed_mean', drop: 1 })).toBe(3);
      expect(aggregateMarks([80, 90], { kind: 'trimmed_mean', drop: 1 })).toEqual({ value: 85, fellBack: true, counted: 2 });
      expect(aggregateMarks([80, 90, 70, 60], { kind: 'trimmed_mean', drop: 2 })).toEqual({ value: 75, fellBack: true, counted: 4 });
      // exactly 2k+1 marks is enough: the middle one remains
      expect(aggregateMarks([80, 90, 70], { kind: 'trimmed_mean', drop: 1 })).toEqual({ value: 80, fellBack: false, counted: 1 });
    });

    it('trimmed_sum falls back to the mean × the number of marks a full panel keeps', () => {
      // 7-judge diving panel keeps 3; with 4 marks the mean 8 stands for 3 kept marks
      expect(aggregateMarks([7, 8, 8, 9], { kind: 'trimmed_sum', drop: 2 }, { panelSize: 7 })).toEqual({
        value: 24,
        fellBack: true,
        counted: 4,
      });
      // without a panel size the panel is taken as 2k+1, which keeps 1
      expect(aggregateMarks([7, 9], { kind: 'trimmed_sum', drop: 1 })).toEqual({ value: 8, fellBack: true, counted: 2 });
    });

    it('mean and median never fall back', () => {
      expect(aggregateMarks([5], { kind: 'mean' }).fellBack).toBe(false);
      expect(aggregateMarks([5], { kind: 'median' }).fellBack).toBe(false);
      expect(marksNeeded({ kind: 'median' })).toBe(1);
    });
  });

  it('does not reorder the caller’s array', () => {
    const marks = [3, 1, 2];
    aggregate(marks, { kind: 'median' });
    expect(marks).toEqual([3, 1, 2]);
  });
});
