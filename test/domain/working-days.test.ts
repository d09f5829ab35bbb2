import { describe, expect, it } from 'vitest';
import { chinaDate, isWorkingDay, publicityEnd } from '../../server/domain/working-days.ts';

/** The last China-time day the period covers (it ends at that day's 24:00). */
const lastDay = (end: Date) => chinaDate(new Date(end.getTime() - 1));

describe('publicity period in working days', () => {
  it('runs five working days from the day after release, across a weekend', () => {
    // Released Friday 2026-11-20 15:00 China time → Mon 23 … Fri 27, ending at 24:00 China time.
    const end = publicityEnd(new Date('2026-11-20T07:00:00Z'), 5);
    expect(end.toISOString()).toBe('2026-11-27T16:00:00.000Z');
  });

  it('skips public holidays', () => {
    // Released Tue 2026-09-29; 1–7 October are holidays: Wed 30 Sep, then Thu 8, Fri 9, Mon 12, Tue 13.
    const holidays = ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'];
    expect(lastDay(publicityEnd(new Date('2026-09-29T02:00:00Z'), 5, holidays))).toBe('2026-10-13');
  });

  it('counts the China date, not the UTC one', () => {
    // 2026-11-22 20:00 UTC is already Monday 23 November in China.
    expect(chinaDate(new Date('2026-11-22T20:00:00Z'))).toBe('2026-11-23');
    expect(lastDay(publicityEnd(new Date('2026-11-22T20:00:00Z'), 1))).toBe('2026-11-24');
  });
});

describe('working days on the holiday calendar with make-up working days (调休)', () => {
  // The State Council's 2026 arrangement around the Spring Festival: Sat 14 Feb worked, 15–23 off, Sat 28 Feb worked.
  const spring2026 = {
    holidays: new Set(['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23']),
    workdays: new Set(['2026-02-14', '2026-02-28']),
  };

  it('counts a make-up Saturday and skips the holiday week', () => {
    expect(isWorkingDay('2026-02-14', spring2026)).toBe(true);
    expect(isWorkingDay('2026-02-16', spring2026)).toBe(false);
    expect(isWorkingDay('2026-02-21', spring2026)).toBe(false);
    expect(isWorkingDay('2026-02-24', spring2026)).toBe(true);
    // Released Thu 12 Feb: Fri 13, Sat 14 (调休), then Tue 24, Wed 25, Thu 26.
    expect(lastDay(publicityEnd(new Date('2026-02-12T04:00:00Z'), 5, spring2026))).toBe('2026-02-26');
    // Without the make-up day it would run a day longer.
    expect(lastDay(publicityEnd(new Date('2026-02-12T04:00:00Z'), 5, { holidays: spring2026.holidays, workdays: new Set() }))).toBe('2026-02-27');
  });

  it('counts a make-up Saturday at the end of the holiday (Sat 28 Feb 2026)', () => {
    // Released Wed 25 Feb: Thu 26, Fri 27, Sat 28 (调休), Mon 2, Tue 3 March.
    expect(lastDay(publicityEnd(new Date('2026-02-25T02:00:00Z'), 5, spring2026))).toBe('2026-03-03');
  });
});
